// `npm run bench:db`: pipeline requests per second of the local libSQL server for simple reads and
// writes, with 1 and 20 concurrent clients, and the server time one pipeline costs.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client/web";
import { freePort } from "../dev/stack.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const root = new URL("..", import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), "portico-bench-db-"));
const port = await freePort();
const url = `http://127.0.0.1:${port}/`;
const server = spawn(
	process.execPath,
	[join(root, "dev/libsql-server/main.ts"), "--port", String(port), "--data", dataDir],
	{
		stdio: ["ignore", "pipe", "inherit"],
	},
);
await new Promise<void>((resolve) => server.stdout?.once("data", () => resolve()));

type Stats = { pipeline_requests: number; pipeline_ms_total: number };
const stats = async (): Promise<Stats> => (await fetch(`${url}_stats`)).json() as Promise<Stats>;

const setup = createClient({ url });
await setup.batch(
	[
		"CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, org_id TEXT NOT NULL, name TEXT NOT NULL)",
		"INSERT INTO items (org_id, name) SELECT 'org_bench', 'item ' || value FROM generate_series(1, 1000)",
	],
	"write",
);

async function run(kind: "read" | "write", concurrency: number) {
	const clients = Array.from({ length: concurrency }, () => createClient({ url }));
	const before = await stats();
	const started = performance.now();
	const deadline = started + SECONDS * 1000;
	await Promise.all(
		clients.map(async (client, i) => {
			let n = 0;
			while (performance.now() < deadline) {
				n++;
				if (kind === "read") {
					await client.execute({
						sql: "SELECT id, name FROM items WHERE org_id = ? AND id = ?",
						args: ["org_bench", (n % 1000) + 1],
					});
				} else {
					await client.execute({
						sql: "INSERT INTO items (org_id, name) VALUES (?, ?)",
						args: ["org_bench", `w${i}-${n}`],
					});
				}
			}
		}),
	);
	const elapsedS = (performance.now() - started) / 1000;
	const after = await stats();
	for (const c of clients) c.close();
	const pipelines = after.pipeline_requests - before.pipeline_requests;
	return {
		kind,
		concurrency,
		pipelinesPerSecond: Math.round(pipelines / elapsedS),
		serverMsPerPipeline: Number(((after.pipeline_ms_total - before.pipeline_ms_total) / pipelines).toFixed(3)),
	};
}

const results = [];
for (const kind of ["read", "write"] as const) {
	for (const concurrency of [1, 20]) results.push(await run(kind, concurrency));
}
setup.close();
server.kill("SIGTERM");
rmSync(dataDir, { recursive: true, force: true });

console.log(`\nlibSQL server, ${SECONDS}s per row (each statement is one pipeline request: execute + close)\n`);
console.log("| workload | clients | pipelines/s | server ms per pipeline |");
console.log("|---|---:|---:|---:|");
for (const r of results)
	console.log(`| ${r.kind} | ${r.concurrency} | ${r.pipelinesPerSecond} | ${r.serverMsPerPipeline} |`);
