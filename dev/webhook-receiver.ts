// A local webhook receiver for development and browser tests: it verifies every delivery's Standard
// Webhooks signature with the official `standardwebhooks` package and with `svix`'s verifier (the same
// scheme; a delivery counts as verified when both accept it, against any secret it was given),
// keeps what it received, and answers as told — so a failing receiver and the retries can be seen.
//   GET  /                 an HTML page of what arrived (newest first)
//   GET  /_received        the same as JSON
//   POST /_secret          {"secret":"whsec_…"} adds a secret to verify with
//   POST /_mode            {"status":500} answers every delivery with that status from now on
// Deliveries are POSTs to any other path. It listens on 127.0.0.1, on a development port (8000–9999),
// the only loopback address webhooks may reach in development.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { Webhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";

interface Received {
	at: string;
	path: string;
	id: string;
	type: string;
	verified: boolean;
	answered: number;
	body: string;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
	let text = "";
	for await (const chunk of req) {
		text += chunk;
		if (text.length > 1024 * 1024) throw new Error("too large");
	}
	return text;
}

const escapeHtml = (s: string) =>
	s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);

function page(received: Received[], status: number): string {
	const rows = received
		.map(
			(r) =>
				`<tr><td>${escapeHtml(r.at)}</td><td><code>${escapeHtml(r.type)}</code></td><td>${r.verified ? "signature verified" : "<strong>signature NOT verified</strong>"}</td><td>${r.answered}</td><td><code>${escapeHtml(r.id)}</code></td></tr>`,
		)
		.join("");
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Webhook receiver</title></head><body><h1>Webhook receiver</h1><p>Answering ${status}. ${received.length} deliveries.</p><table><thead><tr><th>Received (UTC)</th><th>Type</th><th>Signature</th><th>Answered</th><th>webhook-id</th></tr></thead><tbody>${rows}</tbody></table></body></html>`;
}

export interface WebhookReceiver {
	url: string;
	port: number;
	addSecret(secret: string): void;
	setStatus(status: number): void;
	received(): Received[];
	/** Every delivery since the start, and how many carried a signature it verified. */
	totals(): { received: number; verified: number };
	close(): Promise<void>;
}

export function startWebhookReceiver(port: number, secrets: string[] = []): Promise<WebhookReceiver> {
	const known = new Set(secrets);
	const received: Received[] = [];
	const totals = { received: 0, verified: 0 };
	let status = 200;
	const server: Server = createServer(async (req, res) => {
		const url = new URL(req.url ?? "/", "http://localhost");
		const json = (code: number, value: unknown) => {
			res.writeHead(code, { "content-type": "application/json" });
			res.end(JSON.stringify(value));
		};
		try {
			if (req.method === "GET" && url.pathname === "/") {
				res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
				return res.end(page(received, status));
			}
			if (req.method === "GET" && url.pathname === "/_received") return json(200, received);
			if (req.method === "POST" && url.pathname === "/_secret") {
				const { secret } = JSON.parse(await bodyOf(req)) as { secret?: string };
				if (!secret?.startsWith("whsec_")) return json(400, { error: 'send {"secret":"whsec_…"}' });
				known.add(secret);
				return json(200, { secrets: known.size });
			}
			if (req.method === "POST" && url.pathname === "/_mode") {
				const wanted = Number((JSON.parse(await bodyOf(req)) as { status?: unknown }).status);
				if (!Number.isInteger(wanted) || wanted < 200 || wanted > 599)
					return json(400, { error: 'send {"status":500}' });
				status = wanted;
				return json(200, { status });
			}
			if (req.method !== "POST") return json(404, { error: "not found" });
			const body = await bodyOf(req);
			const headers = Object.fromEntries(
				Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]),
			);
			const svixHeaders = {
				"svix-id": headers["webhook-id"] ?? "",
				"svix-timestamp": headers["webhook-timestamp"] ?? "",
				"svix-signature": headers["webhook-signature"] ?? "",
			};
			const verified = [...known].some((secret) => {
				try {
					new Webhook(secret).verify(body, headers);
					new SvixWebhook(secret).verify(body, svixHeaders);
					return true;
				} catch {
					return false;
				}
			});
			let type = "";
			try {
				type = String((JSON.parse(body) as { type?: unknown }).type ?? "");
			} catch {
				type = "(not JSON)";
			}
			totals.received++;
			if (verified) totals.verified++;
			received.unshift({
				at: new Date().toISOString().replace("T", " ").slice(0, 19),
				path: url.pathname,
				id: headers["webhook-id"] ?? "",
				type,
				verified,
				answered: status,
				body,
			});
			received.splice(200);
			return json(status, { received: true, verified });
		} catch {
			return json(400, { error: "bad request" });
		}
	});
	return new Promise((resolve, reject) => {
		server.once("error", reject);
		server.listen(port, "127.0.0.1", () =>
			resolve({
				url: `http://127.0.0.1:${port}`,
				port,
				addSecret: (s) => known.add(s),
				setStatus: (s) => {
					status = s;
				},
				received: () => [...received],
				totals: () => ({ ...totals }),
				close: () => new Promise<void>((done) => server.close(() => done())),
			}),
		);
	});
}

/** A receiver on a free development port (9000–9999), for tests and stacks started side by side. */
export async function startWebhookReceiverOnFreePort(secrets: string[] = []): Promise<WebhookReceiver> {
	for (let tries = 0; tries < 50; tries++) {
		const port = 9000 + Math.floor(Math.random() * 1000);
		try {
			return await startWebhookReceiver(port, secrets);
		} catch {
			// In use: another one.
		}
	}
	throw new Error("no free development port for the webhook receiver");
}
