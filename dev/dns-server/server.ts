// A local DNS-over-HTTPS resolver for development and browser tests, answering the JSON API the Worker
// uses (`GET /dns-query?name=…&type=TXT|CNAME|A|AAAA`, `accept: application/dns-json`) from records kept in a
// file. There is no internet here: the domains page is exercised by adding records to this resolver.
//   POST   /_records {"type":"TXT","name":"_portico.portal.acme.test","value":"portico-verify=…"}
//   DELETE /_records?type=TXT&name=…      GET /_records
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";

type RecordType = "TXT" | "CNAME" | "A" | "AAAA";
interface StoredRecord {
	type: RecordType;
	name: string;
	value: string;
}

const TYPE_CODES: Record<RecordType, number> = { TXT: 16, CNAME: 5, A: 1, AAAA: 28 };
const normal = (name: string) => name.toLowerCase().replace(/\.$/, "");

async function bodyOf(req: IncomingMessage): Promise<string> {
	let text = "";
	for await (const chunk of req) {
		text += chunk;
		if (text.length > 64 * 1024) throw new Error("too large");
	}
	return text;
}

export function startDnsServer(port: number, file: string): Promise<{ url: string; close(): Promise<void> }> {
	let records: StoredRecord[] = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : [];
	const save = () => writeFileSync(file, JSON.stringify(records, null, 2));
	const server: Server = createServer(async (req, res) => {
		const url = new URL(req.url ?? "/", "http://localhost");
		const json = (status: number, value: unknown, type = "application/json") => {
			res.writeHead(status, { "content-type": type });
			res.end(JSON.stringify(value));
		};
		try {
			if (url.pathname === "/dns-query" && req.method === "GET") {
				const name = normal(url.searchParams.get("name") ?? "");
				const type = url.searchParams.get("type") as RecordType;
				if (!name || !(type in TYPE_CODES))
					return json(400, { error: "name and type (TXT, CNAME, A or AAAA) are required" });
				const answer = records
					.filter((r) => r.type === type && normal(r.name) === name)
					.map((r) => ({
						name: `${name}.`,
						type: TYPE_CODES[type],
						TTL: 60,
						data:
							type === "TXT" ? `"${r.value.replace(/"/g, '\\"')}"` : type === "CNAME" ? `${normal(r.value)}.` : r.value,
					}));
				return json(200, { Status: answer.length > 0 ? 0 : 3, Answer: answer }, "application/dns-json");
			}
			if (url.pathname === "/_records" && req.method === "GET") return json(200, records);
			if (url.pathname === "/_records" && req.method === "POST") {
				const input = JSON.parse(await bodyOf(req)) as Partial<StoredRecord>;
				if (!input.name || !input.value || !input.type || !(input.type in TYPE_CODES)) {
					return json(400, { error: 'send {"type":"TXT"|"CNAME"|"A"|"AAAA","name":…,"value":…}' });
				}
				records.push({ type: input.type, name: normal(input.name), value: input.value });
				save();
				return json(201, { ok: true });
			}
			if (url.pathname === "/_records" && req.method === "DELETE") {
				const name = normal(url.searchParams.get("name") ?? "");
				const type = url.searchParams.get("type");
				const before = records.length;
				records = records.filter((r) => !(normal(r.name) === name && (!type || r.type === type)));
				save();
				return json(200, { removed: before - records.length });
			}
			if (url.pathname === "/health") return json(200, { ok: true });
			return json(404, { error: "not found" });
		} catch {
			return json(400, { error: "bad request" });
		}
	});
	return new Promise((resolve) => {
		server.listen(port, "127.0.0.1", () =>
			resolve({
				url: `http://127.0.0.1:${port}`,
				close: () => new Promise<void>((done) => server.close(() => done())),
			}),
		);
	});
}
