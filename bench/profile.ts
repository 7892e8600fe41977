// `node bench/profile.ts [path]`: a CPU profile of one page in bare workerd (the bench's configuration),
// taken over the inspector while the page is requested 2,000 times; prints the functions with the most
// self time. For finding where a page's CPU goes; the figures belong to `npm run bench`.
import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_PASSWORD } from "../dev/seed.ts";
import { freePort, startStack } from "../dev/stack.ts";
import { startWorkers } from "./workerd.ts";

const path = process.argv[2] ?? "/";
const stack = await startStack({
	port: await freePort(),
	dbPort: await freePort(),
	stripePort: await freePort(),
	dataDir: mkdtempSync(join(tmpdir(), "portico-profile-")),
});
const inspectorPort = await freePort();
const workers = await startWorkers(stack.vars, inspectorPort);
const host = `acme.localhost:${workers.port}`;

function send(method: string, target: string, headers: Record<string, string>, body?: string) {
	return new Promise<{ status: number; cookie: string }>((resolve, reject) => {
		const req = request(
			{ host: "127.0.0.1", port: workers.port, path: target, method, headers: { host, ...headers } },
			(res) => {
				res.resume();
				res.on("end", () =>
					resolve({ status: res.statusCode ?? 0, cookie: String(res.headers["set-cookie"] ?? "").split(";")[0] ?? "" }),
				);
			},
		);
		req.on("error", reject);
		req.end(body);
	});
}
const { cookie } = await send(
	"POST",
	"/sign-in",
	{ "content-type": "application/x-www-form-urlencoded", origin: `http://${host}` },
	new URLSearchParams({ email: "owner@acme.test", password: DEMO_PASSWORD }).toString(),
);

const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as {
	webSocketDebuggerUrl: string;
	title: string;
}[];
const target = targets.find((t) => !t.title.includes("passwords")) ?? targets[0];
if (!target) throw new Error("no inspector target");
const socket = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((r) => socket.addEventListener("open", r, { once: true }));
let nextId = 1;
const pending = new Map<number, (value: unknown) => void>();
socket.addEventListener("message", (event) => {
	const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
	if (message.id && pending.has(message.id)) pending.get(message.id)?.(message.result);
});
const call = (method: string, params: Record<string, unknown> = {}) =>
	new Promise<unknown>((resolve) => {
		const id = nextId++;
		pending.set(id, resolve);
		socket.send(JSON.stringify({ id, method, params }));
	});
await call("Profiler.enable");
await call("Profiler.setSamplingInterval", { interval: 100 });
for (let i = 0; i < 200; i++) await send("GET", path, { cookie });
await call("Profiler.start");
for (let i = 0; i < 2000; i += 10) await Promise.all(Array.from({ length: 10 }, () => send("GET", path, { cookie })));
const { profile } = (await call("Profiler.stop")) as {
	profile: {
		nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
		samples: number[];
	};
};
const self = new Map<number, number>();
for (const sample of profile.samples) self.set(sample, (self.get(sample) ?? 0) + 1);
const byName = new Map<string, number>();
for (const node of profile.nodes) {
	const name = `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.split("/").pop()}:${node.callFrame.lineNumber}`;
	byName.set(name, (byName.get(name) ?? 0) + (self.get(node.id) ?? 0));
}
const total = profile.samples.length;
console.log(`${path}: ${total} samples`);
for (const [name, n] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
	console.log(`${((100 * n) / total).toFixed(1).padStart(5)} %  ${name}`);
}
socket.close();
await workers.stop();
await stack.stop();
process.exit(0);
