// `npm run bench`: starts the stack (wrangler dev, local libSQL server) with the demo, then for each
// portal page measures requests/s (autocannon over loopback), database round trips per page view (the
// libSQL server's count for the request id), and the gzipped HTML and JavaScript the browser downloads;
// plus the Worker bundle size. Writes bench/results.json and the README's table.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { measureSizes } from "../dev/check-budgets.ts";
import { DEMO_PASSWORD } from "../dev/seed.ts";
import { freePort, startStack } from "../dev/stack.ts";
import { VENDOR_API_SECRET } from "../dev/stripe-credentials.ts";

const root = new URL("..", import.meta.url).pathname;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 10;

const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), "portico-bench-"));
const stack = await startStack({ port, dbPort: await freePort(), stripePort: await freePort(), dataDir });
const base = `http://127.0.0.1:${port}`;

/** A request to the local Worker for a given Host (Node resolves no *.localhost names, so connect to loopback). */
function send(
	host: string,
	path: string,
	init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
	return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
		(resolve, reject) => {
			const req = request(
				{ host: "127.0.0.1", port, path, method: init.method ?? "GET", headers: { host, ...init.headers } },
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

async function signInCookie(host: string, email: string): Promise<string> {
	const res = await send(host, "/sign-in", {
		method: "POST",
		headers: { "content-type": "application/x-www-form-urlencoded", origin: `http://${host}` },
		body: new URLSearchParams({ email, password: DEMO_PASSWORD }).toString(),
	});
	const cookie = String(res.headers["set-cookie"] ?? "").split(";")[0];
	if (!cookie) throw new Error(`sign-in failed: ${res.status}`);
	return cookie;
}

const acme = `acme.localhost:${port}`;
const cookie = await signInCookie(acme, "owner@acme.test");
const pages: { name: string; host: string; path: string; headers: Record<string, string> }[] = [
	{ name: "apex landing", host: `localhost:${port}`, path: "/", headers: {} },
	{ name: "sign-in (anonymous)", host: acme, path: "/sign-in", headers: {} },
	{ name: "overview (owner)", host: acme, path: "/", headers: { cookie } },
	{ name: "audit log (owner)", host: acme, path: "/audit", headers: { cookie } },
	{ name: "account (owner)", host: acme, path: "/account", headers: { cookie } },
	{ name: "team (owner)", host: acme, path: "/team", headers: { cookie } },
	{ name: "billing (owner)", host: acme, path: "/billing", headers: { cookie } },
	{ name: "help centre search (anonymous)", host: acme, path: "/help?q=download+invoice", headers: {} },
	{ name: "support tickets (owner)", host: acme, path: "/support", headers: { cookie } },
	{ name: "branding (owner)", host: acme, path: "/settings/branding", headers: { cookie } },
];

const results = [];
for (const page of pages) {
	const requestId = `bench_${Math.random().toString(36).slice(2, 12)}`;
	const res = await send(page.host, page.path, { headers: { ...page.headers, "x-request-id": requestId } });
	if (res.status !== 200) throw new Error(`${page.name}: HTTP ${res.status}`);
	const stats = (await (await fetch(`${stack.databaseUrl}_stats?tag=${requestId}`)).json()) as {
		pipeline_requests: number;
	};
	const html = res.body.toString("utf8");
	let jsGzipBytes = 0;
	for (const [, src] of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) {
		jsGzipBytes += gzipSync((await send(page.host, src as string)).body).length;
	}
	const load = await autocannon({
		url: `${base}${page.path}`,
		connections: CONNECTIONS,
		duration: SECONDS,
		headers: { host: page.host, ...page.headers },
	});
	results.push({
		page: page.name,
		path: page.path,
		requestsPerSecond: Math.round(load.requests.average),
		latencyP50Ms: load.latency.p50,
		latencyP99Ms: load.latency.p99,
		non2xx: load.non2xx,
		dbRoundTrips: stats.pipeline_requests,
		htmlGzipBytes: gzipSync(res.body).length,
		jsGzipBytes,
	});
}
// The verification API: a key made through the portal, verified as the vendor's backend would.
const created = await send(acme, "/keys", {
	method: "POST",
	headers: { cookie, "content-type": "application/x-www-form-urlencoded", origin: `http://${acme}` },
	body: new URLSearchParams({ name: "Bench", scopes: "data:read", expires: "", rateLimit: "" }).toString(),
});
const secret = /pk_live_[0-9A-Za-z]{28}/.exec(created.body.toString("utf8"))?.[0];
if (!secret) throw new Error("could not create a key for the verification benchmark");
const verifyBody = JSON.stringify({ key: secret });
const verifyHeaders = { "content-type": "application/json", authorization: `Bearer ${VENDOR_API_SECRET}` };
const verifyId = `bench_${Math.random().toString(36).slice(2, 12)}`;
const once = await send(`localhost:${port}`, "/api/v1/keys/verify", {
	method: "POST",
	headers: { ...verifyHeaders, "x-request-id": verifyId },
	body: verifyBody,
});
if (once.status !== 200) throw new Error(`verification: HTTP ${once.status}`);
const verifyStats = (await (await fetch(`${stack.databaseUrl}_stats?tag=${verifyId}`)).json()) as {
	pipeline_requests: number;
};
const verifyLoad = await autocannon({
	url: `${base}/api/v1/keys/verify`,
	method: "POST",
	connections: CONNECTIONS,
	duration: SECONDS,
	headers: { host: `localhost:${port}`, ...verifyHeaders },
	body: verifyBody,
});
const verification = {
	requestsPerSecond: Math.round(verifyLoad.requests.average),
	latencyP50Ms: verifyLoad.latency.p50,
	latencyP99Ms: verifyLoad.latency.p99,
	non2xx: verifyLoad.non2xx,
	dbRoundTrips: verifyStats.pipeline_requests,
};

await stack.stop();
rmSync(dataDir, { recursive: true, force: true });

execFileSync(join(root, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", ".wrangler/dist"], {
	cwd: root,
	stdio: "ignore",
	env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});
const { bundleGzipBytes } = measureSizes();

const report = {
	measuredAt: new Date().toISOString(),
	machine: `${process.platform} ${process.arch}, Node ${process.version}, wrangler dev (local workerd), ${CONNECTIONS} connections × ${SECONDS}s`,
	bundleGzipBytes,
	pages: results,
	verification,
};
writeFileSync(join(root, "bench", "results.json"), `${JSON.stringify(report, null, 2)}\n`);

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const table = [
	"| page | req/s | p50 / p99 ms | DB round trips | HTML (gzip) | JS (gzip) |",
	"|---|---:|---:|---:|---:|---:|",
	...results.map(
		(r) =>
			`| ${r.page} \`${r.path}\` | ${r.requestsPerSecond} | ${r.latencyP50Ms} / ${r.latencyP99Ms} | ${r.dbRoundTrips} | ${kb(r.htmlGzipBytes)} | ${kb(r.jsGzipBytes)} |`,
	),
	"",
	`Key verification (\`POST /api/v1/keys/verify\`): ${verification.requestsPerSecond} req/s, p50 ${verification.latencyP50Ms} ms, p99 ${verification.latencyP99Ms} ms, ${verification.dbRoundTrips} database round trip (usage counted through the queue).`,
	"",
	`Worker bundle: ${kb(bundleGzipBytes)} gzipped. ${report.machine}; measured ${report.measuredAt.slice(0, 10)}.`,
].join("\n");
console.log(`\n${table}\n`);

const readmePath = join(root, "README.md");
const readme = readFileSync(readmePath, "utf8");
const marked = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
if (marked.test(readme)) {
	writeFileSync(readmePath, readme.replace(marked, `<!-- bench:start -->\n${table}\n<!-- bench:end -->`));
}
