// `npm run bench:usage`: usage ingestion throughput through the Worker (batches of 1, 100 and 1,000
// events) and aggregation time for growing numbers of new events, with and without history.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startStack } from "../dev/stack.ts";
import { VENDOR_API_SECRET } from "../dev/stripe-credentials.ts";
import { openDatabase } from "../src/db/client.ts";
import { organizations, usageEvents } from "../src/db/schema.ts";
import { tenantData } from "../src/db/tenant-data.ts";
import { newId } from "../src/lib/ids.ts";
import { aggregateTenant } from "../src/usage/aggregate.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), "portico-bench-usage-"));
const stack = await startStack({ port, dbPort: await freePort(), stripePort: await freePort(), dataDir });
const db = openDatabase({ url: stack.databaseUrl });

async function ingest(batch: number) {
	const deadline = Date.now() + SECONDS * 1000;
	let events = 0;
	let n = 0;
	await Promise.all(
		Array.from({ length: 4 }, async (_, worker) => {
			while (Date.now() < deadline) {
				const body = JSON.stringify({
					organization: "acme",
					events: Array.from({ length: batch }, () => ({
						metric: "messages",
						quantity: 1,
						timestamp: Date.now(),
						idempotency_key: `b${batch}-${worker}-${n++}`,
					})),
				});
				const res = await fetch(`http://localhost:${port}/api/v1/usage`, {
					method: "POST",
					headers: { authorization: `Bearer ${VENDOR_API_SECRET}`, "content-type": "application/json" },
					body,
				});
				const json = (await res.json()) as { accepted: number };
				events += json.accepted;
			}
		}),
	);
	return Math.round(events / SECONDS);
}

async function seedRaw(orgId: string, count: number, offset: number) {
	const now = Date.now();
	for (let i = 0; i < count; i += 500) {
		const rows = Array.from({ length: Math.min(500, count - i) }, (_, j) => ({
			orgId,
			metric: j % 3 === 0 ? "api_calls" : "messages",
			quantity: 1,
			timestampMs: now - ((i + j) % 720) * 3_600_000,
			idempotencyKey: `seed-${offset + i + j}`,
			keyId: "",
			receivedAt: now,
		}));
		await db.insert(usageEvents).values(rows);
	}
}

async function timeAggregation(orgId: string) {
	const started = performance.now();
	const result = await aggregateTenant(tenantData({ orgId, db }), Date.now());
	return { events: result.events, ms: Math.round(performance.now() - started) };
}

const ingestion = { batch1: await ingest(1), batch100: await ingest(100), batch1000: await ingest(1000) };

const orgId = newId("org");
await db.insert(organizations).values({ id: orgId, slug: `bench-${Date.now()}`, name: "Bench", planId: "pln_free" });
const rows: { newEvents: number; history: number; ms: number }[] = [];
let history = 0;
for (const count of [10_000, 100_000, 10_000]) {
	await seedRaw(orgId, count, history);
	const r = await timeAggregation(orgId);
	rows.push({ newEvents: r.events, history, ms: r.ms });
	history += count;
}
await stack.stop();
rmSync(dataDir, { recursive: true, force: true });

console.log(`\nUsage ingestion through the Worker (wrangler dev, 4 concurrent clients, ${SECONDS}s each):`);
console.log(
	`  batches of 1: ${ingestion.batch1} events/s · of 100: ${ingestion.batch100} events/s · of 1,000: ${ingestion.batch1000} events/s`,
);
console.log("\n| new events | already aggregated | aggregation time |");
console.log("|---:|---:|---:|");
for (const r of rows)
	console.log(`| ${r.newEvents.toLocaleString("en-US")} | ${r.history.toLocaleString("en-US")} | ${r.ms} ms |`);
