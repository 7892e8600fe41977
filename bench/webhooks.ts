// `npm run bench:webhooks`: 10,000 webhook events over 100 endpoints (100 organizations, one endpoint and
// 100 events each), from commit to delivered. The events are committed as the audit batch writes them;
// then the 5-minute cron fires once on the deployable bundle (`wrangler deploy --dry-run`) in workerd
// through Miniflare with real local queues: the dispatcher sends one jobs message per organization, each
// fans its events out, signs and sends them to a local receiver, which verifies every signature with
// the `standardwebhooks` package. Reported: events/s from the commit to the last delivery, the database
// round trips of the largest message, and how many arrived verified.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { applyMigrations } from "../dev/stack.ts";
import { startWebhookReceiverOnFreePort } from "../dev/webhook-receiver.ts";
import { CRONS } from "../src/jobs/scheduled.ts";
import { seal } from "../src/lib/secret-box.ts";
import { SECRET_PURPOSE } from "../src/webhooks/deliver.ts";
import { newSigningSecret } from "../src/webhooks/signing.ts";
import { startBenchDatabase } from "./libsql.ts";

const ORGS = Number(process.env.BENCH_WEBHOOK_ORGS ?? 100);
const PER_ORG = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 100);
const TOTAL = ORGS * PER_ORG;
const SEAL_KEY = "bench-webhook-seal-key";
const root = join(import.meta.dirname, "..");
const NOW = Date.now();

console.log("Building the deployable bundle…");
const outDir = join(root, ".wrangler", "bench-webhooks");
execFileSync(join(root, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", outDir], {
	cwd: root,
	stdio: "ignore",
});

const database = await startBenchDatabase("webhooks");
const base = database.base;
const url = `${base}db/webhooks/`;
await applyMigrations(url);

const secret = newSigningSecret();
const receiver = await startWebhookReceiverOnFreePort([secret]);
const db = createClient({ url });
const sealed = await seal(SEAL_KEY, SECRET_PURPOSE, secret);
await db.execute({
	sql: `INSERT INTO organizations (id, slug, name, plan_id) SELECT printf('org_%06d', value), printf('o%06d', value), 'Org ' || value, 'pln_pro' FROM generate_series(0, ?)`,
	args: [ORGS - 1],
});
await db.execute({
	sql: `INSERT INTO webhook_endpoints (id, org_id, url, secret_sealed, updated_at)
	      SELECT printf('whe_%026d', value), printf('org_%06d', value), ? || '/org' || value, ?, ? FROM generate_series(0, ?)`,
	args: [receiver.url, sealed, NOW, ORGS - 1],
});

const mf = new Miniflare(
	convertV4MiniflareOptions({
		handleStructuredLogs({ message }) {
			if (/"level":"(warn|error)"/.test(message)) console.error(message.slice(0, 400));
		},
		workers: [
			{
				name: "portico",
				modules: true,
				scriptPath: join(outDir, "index.js"),
				compatibilityDate: "2026-11-01",
				compatibilityFlags: ["nodejs_compat"],
				bindings: {
					PORTAL_DOMAIN: "localhost",
					DATABASE_URL: url,
					// Development's rules let webhooks reach the receiver on this machine's loopback.
					ENVIRONMENT: "development",
					DB_STATS: "1",
					JOB_DELIVERY: "queue",
					MAIL_DELIVERY: "queue",
					MAIL_TRANSPORT: "outbox",
					SSO_SECRET_KEY: SEAL_KEY,
				},
				queueProducers: { JOBS_QUEUE: { queueName: "portico-jobs" }, MAIL_QUEUE: { queueName: "portico-mail" } },
				queueConsumers: {
					"portico-jobs": { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 5, deadLetterQueue: "portico-jobs-dlq" },
				},
				r2Buckets: ["FILES"],
			},
		],
	}),
);
const worker = await mf.getWorker();

// The commit: the events as the changes' batches write them (one batch per organization here).
const started = performance.now();
await Promise.all(
	Array.from({ length: ORGS }, (_, o) =>
		db.execute({
			sql: `INSERT INTO webhook_events (id, org_id, type, payload, created_at)
			      SELECT printf('msg_%06d%020d', ?, value), printf('org_%06d', ?), 'member.added',
			             json_object('type', 'member.added', 'timestamp', ?, 'data', json_object('id', printf('mem_%d', value))), ?
			      FROM generate_series(0, ?)`,
			args: [o, o, new Date(NOW).toISOString(), NOW, PER_ORG - 1],
		}),
	),
);
const committed = performance.now();
await worker.scheduled({ cron: CRONS.usageAggregation, scheduledTime: new Date(NOW) });
while (receiver.totals().received < TOTAL || (await delivered()) < TOTAL) {
	await new Promise((r) => setTimeout(r, 50));
	if (performance.now() - started > 600_000) throw new Error(`only ${await delivered()} of ${TOTAL} delivered`);
}
const done = performance.now();

async function delivered(): Promise<number> {
	const rows = await db.execute("SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'succeeded'");
	return Number(rows.rows[0]?.n ?? 0);
}

const stats = (await (await fetch(`${base}_stats?prefix=${encodeURIComponent("job:webhooks:")}`)).json()) as {
	tags: number;
	max_pipeline_requests: number;
};
const { received, verified } = receiver.totals();
const seconds = (done - committed) / 1000;
console.table([
	{
		events: TOTAL,
		endpoints: ORGS,
		"commit (s)": Number(((committed - started) / 1000).toFixed(2)),
		"commit → delivered (s)": Number(seconds.toFixed(2)),
		"events/s": Math.round(TOTAL / seconds),
		"jobs messages": stats.tags,
		"max round trips/message": stats.max_pipeline_requests,
		"received, signature verified": `${verified}/${received}`,
	},
]);
await mf.dispose();
await receiver.close();
db.close();
database.stop();
rmSync(outDir, { recursive: true, force: true });
process.exit(0);
