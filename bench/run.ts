// `npm run bench [-- --dev]`: the demo stack (local libSQL server, Stripe emulator, seed), then the
// deployable bundle in bare workerd (bench/workerd.ts) — the path production runs — and for each portal
// page: requests/s at 1 and 10 connections, p50/p99, CPU milliseconds per request (the workerd process's
// CPU time over every request of both runs), database round trips and the bytes of SQL sent and JSON
// received for one page view (the libSQL server's counters), and the gzipped HTML and JavaScript the
// browser downloads. Then key verification the same way, and page latency during a burst of 20
// concurrent sign-ins, with password hashing in the page isolate and in the password Worker.
// `--dev` measures `wrangler dev` instead (no CPU figures: its proxy and extra isolates are not production).
// Writes bench/results.json and the README's table.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { measureSizes } from "../dev/check-budgets.ts";
import { DEMO_PASSWORD } from "../dev/seed.ts";
import { freePort, startStack } from "../dev/stack.ts";
import { VENDOR_API_SECRET } from "../dev/stripe-credentials.ts";
import { buildBundle, startWorkers, type Workerd } from "./workerd.ts";

const root = join(import.meta.dirname, "..");
const DEV = process.argv.includes("--dev");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const BURST = 20;
const loadBefore = loadavg()[0] ?? 0;

const devPort = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), "portico-bench-"));
const stack = await startStack({ port: devPort, dbPort: await freePort(), stripePort: await freePort(), dataDir });
process.on("exit", () => rmSync(dataDir, { recursive: true, force: true }));
const workers = DEV ? null : await startWorkers(stack.vars);
const port = workers?.port ?? devPort;

/** A request to the Worker for a given Host (Node resolves no *.localhost names, so connect to loopback). */
function send(
	host: string,
	path: string,
	init: { method?: string; headers?: Record<string, string>; body?: string } = {},
	to = port,
) {
	return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
		(resolve, reject) => {
			const req = request(
				{ host: "127.0.0.1", port: to, path, method: init.method ?? "GET", headers: { host, ...init.headers } },
				(res) => {
					const chunks: Buffer[] = [];
					res.on("data", (c: Buffer) => chunks.push(c));
					res.on("end", () =>
						resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
					);
				},
			);
			req.on("error", reject);
			req.end(init.body);
		},
	);
}

const form = (host: string, fields: Record<string, string>, extra: Record<string, string> = {}) => ({
	method: "POST",
	headers: { "content-type": "application/x-www-form-urlencoded", origin: `http://${host}`, ...extra },
	body: new URLSearchParams(fields).toString(),
});

async function signInCookie(host: string, email: string, to = port): Promise<string> {
	const res = await send(host, "/sign-in", form(host, { email, password: DEMO_PASSWORD }), to);
	const cookie = String(res.headers["set-cookie"] ?? "").split(";")[0];
	if (!cookie) throw new Error(`sign-in failed: ${res.status}`);
	return cookie;
}

interface DbTotals {
	pipeline_requests: number;
	request_bytes: number;
	response_bytes: number;
}
const dbTotals = async () => (await (await fetch(`${stack.databaseUrl}_stats`)).json()) as DbTotals;

/** One request's database cost: the server's counters around it (the fewest of three, so a stray job cannot add). */
async function probe(run: () => Promise<{ status: number; body: Buffer }>) {
	let best: DbTotals & { body: Buffer } = {
		pipeline_requests: Infinity,
		request_bytes: 0,
		response_bytes: 0,
		body: Buffer.alloc(0),
	};
	for (let i = 0; i < 3; i++) {
		const before = await dbTotals();
		const res = await run();
		const after = await dbTotals();
		if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.toString("utf8").slice(0, 200)}`);
		const trips = after.pipeline_requests - before.pipeline_requests;
		if (trips < best.pipeline_requests) {
			best = {
				pipeline_requests: trips,
				request_bytes: after.request_bytes - before.request_bytes,
				response_bytes: after.response_bytes - before.response_bytes,
				body: res.body,
			};
		}
	}
	return best;
}

type Target = { path: string; host: string; headers: Record<string, string>; method?: string; body?: string };

/** requests/s at 1 and 10 connections; latency and CPU per request over both. */
async function load(target: Target, main: Workerd | null) {
	const cpuBefore = main?.cpuSeconds() ?? 0;
	const run = (connections: number) =>
		autocannon({
			url: `http://127.0.0.1:${port}${target.path}`,
			method: (target.method ?? "GET") as "GET",
			connections,
			duration: SECONDS,
			headers: { host: target.host, ...target.headers },
			body: target.body,
		});
	const one = await run(1);
	const ten = await run(10);
	const requests = one.requests.total + ten.requests.total;
	return {
		requestsPerSecondC1: Math.round(one.requests.average),
		requestsPerSecondC10: Math.round(ten.requests.average),
		latencyP50Ms: ten.latency.p50,
		latencyP99Ms: ten.latency.p99,
		non2xx: one.non2xx + ten.non2xx,
		cpuMsPerRequest: main ? Number((((main.cpuSeconds() - cpuBefore) * 1000) / requests).toFixed(2)) : null,
	};
}

const jsBytes = (html: string) =>
	[...html.matchAll(/<script[^>]*\bsrc="\/([^"]+)"/g)].reduce(
		(sum, [, src]) => sum + gzipSync(readFileSync(join(root, "public", src as string))).length,
		0,
	);

const acme = `acme.localhost:${port}`;
const cookie = await signInCookie(acme, "owner@acme.test");
const pages: (Target & { name: string })[] = [
	{ name: "apex landing", host: `localhost:${port}`, path: "/", headers: {} },
	{ name: "sign-in (anonymous)", host: acme, path: "/sign-in", headers: {} },
	{ name: "overview (owner)", host: acme, path: "/", headers: { cookie } },
	{ name: "audit log (owner)", host: acme, path: "/audit", headers: { cookie } },
	{ name: "account (owner)", host: acme, path: "/account", headers: { cookie } },
	{ name: "team (owner)", host: acme, path: "/team", headers: { cookie } },
	{ name: "billing (owner)", host: acme, path: "/billing", headers: { cookie } },
	{ name: "usage (owner)", host: acme, path: "/usage", headers: { cookie } },
	{ name: "help centre search (anonymous)", host: acme, path: "/help?q=download+invoice", headers: {} },
	{ name: "support tickets (owner)", host: acme, path: "/support", headers: { cookie } },
	{ name: "branding (owner)", host: acme, path: "/settings/branding", headers: { cookie } },
];

interface PageResult extends Awaited<ReturnType<typeof load>> {
	page: string;
	path: string;
	dbRoundTrips: number;
	sqlBytes: number;
	jsonBytes: number;
	htmlGzipBytes?: number;
	jsGzipBytes?: number;
}
const results: PageResult[] = [];
for (const page of pages) {
	const one = await probe(() => send(page.host, page.path, { headers: page.headers }));
	results.push({
		page: page.name,
		path: page.path,
		...(await load(page, workers?.main ?? null)),
		dbRoundTrips: one.pipeline_requests,
		sqlBytes: one.request_bytes,
		jsonBytes: one.response_bytes,
		htmlGzipBytes: gzipSync(one.body).length,
		jsGzipBytes: jsBytes(one.body.toString("utf8")),
	});
}

// The verification API: a key made through the portal, verified as the vendor's backend would.
const created = await send(
	acme,
	"/keys",
	form(acme, { name: "Bench", scopes: "data:read", expires: "", rateLimit: "" }, { cookie }),
);
const secret = /pk_live_[0-9A-Za-z]{28}/.exec(created.body.toString("utf8"))?.[0];
if (!secret) throw new Error("could not create a key for the verification benchmark");
const verify: Target = {
	host: `localhost:${port}`,
	path: "/api/v1/keys/verify",
	method: "POST",
	headers: { "content-type": "application/json", authorization: `Bearer ${VENDOR_API_SECRET}` },
	body: JSON.stringify({ key: secret }),
};
const verifyOnce = await probe(() => send(verify.host, verify.path, verify));
const verification = {
	...(await load(verify, workers?.main ?? null)),
	dbRoundTrips: verifyOnce.pipeline_requests,
	sqlBytes: verifyOnce.request_bytes,
	jsonBytes: verifyOnce.response_bytes,
};

/** The overview's latency at 10 connections while sign-ins (wrong passwords, unknown people: a full hash each) arrive 20 at a time. */
async function duringSignInBurst(to: number) {
	const host = `acme.localhost:${to}`;
	const viewer = await signInCookie(host, "owner@acme.test", to);
	let running = true;
	let signIns = 0;
	const attempt = (i: number) =>
		send(
			host,
			"/sign-in",
			form(
				host,
				{
					email: `burst-${signIns + i}-${Math.random().toString(36).slice(2)}@nowhere.test`,
					password: "not the password",
				},
				{ "cf-connecting-ip": `10.9.${i}.${signIns % 250}` },
			),
			to,
		);
	const burst = (async () => {
		while (running) {
			await Promise.all(Array.from({ length: BURST }, (_, i) => attempt(i)));
			signIns += BURST;
		}
	})();
	const during = await autocannon({
		url: `http://127.0.0.1:${to}/`,
		connections: 10,
		duration: SECONDS,
		headers: { host, cookie: viewer },
	});
	running = false;
	await burst;
	return {
		latencyP50Ms: during.latency.p50,
		latencyP99Ms: during.latency.p99,
		signInsPerSecond: Math.round(signIns / SECONDS),
	};
}

const overview = results.find((r) => r.page === "overview (owner)");
const burst = workers
	? {
			quietP99Ms: overview?.latencyP99Ms ?? 0,
			hashingInPageIsolate: await duringSignInBurst(workers.inlineHashingPort),
			hashingInPasswordWorker: await duringSignInBurst(port),
		}
	: null;

await workers?.stop();
await stack.stop();
if (DEV) buildBundle(join(root, "wrangler.toml"), join(root, ".wrangler", "dist"));
const { bundleGzipBytes } = measureSizes();
const cpu = cpus();
const report = {
	measuredAt: new Date().toISOString(),
	machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? "CPU"}, load average ${loadBefore.toFixed(2)} before / ${(loadavg()[0] ?? 0).toFixed(2)} after; ${DEV ? "wrangler dev" : "bare workerd on the dry-run bundle"}; ${SECONDS} s per run`,
	bundleGzipBytes,
	pages: results,
	verification,
	burst,
};
writeFileSync(join(root, "bench", DEV ? "results-dev.json" : "results.json"), `${JSON.stringify(report, null, 2)}\n`);

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const cpuText = (ms: number | null) => (ms === null ? "–" : ms.toFixed(2));
const row = (
	name: string,
	r: (typeof results)[number] | (typeof verification & { htmlGzipBytes?: number; jsGzipBytes?: number }),
) =>
	`| ${name} | ${r.requestsPerSecondC1} / ${r.requestsPerSecondC10} | ${r.latencyP50Ms} / ${r.latencyP99Ms} | ${cpuText(r.cpuMsPerRequest)} | ${r.dbRoundTrips} | ${kb(r.sqlBytes)} / ${kb(r.jsonBytes)} | ${r.htmlGzipBytes === undefined ? "–" : kb(r.htmlGzipBytes)} | ${r.jsGzipBytes === undefined ? "–" : kb(r.jsGzipBytes)} |`;
const table = [
	"| page | req/s c=1 / c=10 | p50 / p99 ms (c=10) | CPU ms / req | DB round trips | SQL sent / JSON back | HTML (gzip) | JS (gzip) |",
	"|---|---:|---:|---:|---:|---:|---:|---:|",
	...results.map((r) => row(`${r.page} \`${r.path}\``, r)),
	row("key verification `POST /api/v1/keys/verify`", verification),
	"",
	burst
		? `Overview p99 at 10 connections during bursts of ${BURST} concurrent sign-ins: ${burst.quietP99Ms} ms quiet; ${burst.hashingInPageIsolate.latencyP99Ms} ms with hashing in the page isolate (${burst.hashingInPageIsolate.signInsPerSecond} sign-ins/s); ${burst.hashingInPasswordWorker.latencyP99Ms} ms with hashing in the password Worker (${burst.hashingInPasswordWorker.signInsPerSecond} sign-ins/s).`
		: "",
	"",
	`Worker bundle: ${kb(bundleGzipBytes)} gzipped. ${report.machine}; measured ${report.measuredAt.slice(0, 10)}.`,
].join("\n");
console.log(`\n${table}\n`);

if (!DEV) {
	const readmePath = join(root, "README.md");
	const readme = readFileSync(readmePath, "utf8");
	const marked = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
	if (marked.test(readme)) {
		writeFileSync(readmePath, readme.replace(marked, `<!-- bench:start -->\n${table}\n<!-- bench:end -->`));
	}
}
process.exit(0);
