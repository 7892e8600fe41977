// `npm run bench:jobs [-- --json]`: the background jobs at 100, 1,000 and 10,000 organizations, 10 % of
// them with new activity (usage events, audit events to seal, a Stripe cache due, portal activity).
// The deployable bundle (`wrangler deploy --dry-run`) runs in workerd through Miniflare with real local
// queues; each cron trigger is fired once and the consumers run until every message is done. Reported
// per job: the database round trips of the largest dispatcher invocation, of the largest consumer
// message, and the wall time from the trigger to the last message. `JOB_ORGS=100,1000` picks sizes.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { applyMigrations } from "../dev/stack.ts";
import type { TenantJobName } from "../src/jobs/messages.ts";
import { CRON_JOBS, CRONS, type CronName } from "../src/jobs/scheduled.ts";
import { startBenchDatabase } from "./libsql.ts";

const SIZES = (process.env.JOB_ORGS ?? "100,1000,10000").split(",").map(Number);
const JSON_OUT = process.argv.includes("--json");
const say = (line: string) => {
	if (!JSON_OUT) console.log(line);
};
const root = join(import.meta.dirname, "..");
const NOW = Date.now();
const DAY = 86_400_000;

say("Building the deployable bundle…");
const outDir = join(root, ".wrangler", "bench-jobs");
execFileSync(join(root, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", outDir], {
	cwd: root,
	stdio: "ignore",
});

const database = await startBenchDatabase("jobs");
const base = database.base;

async function seed(url: string, orgs: number) {
	const db = createClient({ url });
	const busy = Math.max(1, Math.round(orgs / 10));
	const nowS = Math.floor(NOW / 1000);
	const run = (sql: string, args: (string | number)[] = []) => db.execute({ sql, args });
	await run(
		`INSERT INTO organizations (id, slug, name, plan_id, stripe_customer_id, stripe_synced_at)
		 SELECT printf('org_%06d', value), printf('o%06d', value), 'Org ' || value, 'pln_free', printf('cus_%06d', value),
		        CASE WHEN value < ? THEN ? ELSE ? END
		 FROM generate_series(0, ?)`,
		[busy, nowS - 7200, nowS - 60, orgs - 1],
	);
	// History everywhere: sealed audit events (20 each), folded usage, old portal activity.
	await run(
		`INSERT INTO audit_events (id, org_id, actor_type, actor_label, action, created_at, prev_hash, hash)
		 SELECT printf('evt_h%08d', value), printf('org_%06d', value % ?), 'system', 'x', 'x', ? - value, 'p', 'h'
		 FROM generate_series(0, ?)`,
		[orgs, NOW - 2 * DAY, orgs * 20 - 1],
	);
	await run(
		`INSERT INTO usage_events (org_id, metric, quantity, timestamp_ms, idempotency_key, received_at)
		 SELECT printf('org_%06d', value % ?), 'api_calls', 1, ?, 'h' || value, ? FROM generate_series(0, ?)`,
		[orgs, NOW - 2 * DAY, NOW - 2 * DAY, orgs * 5 - 1],
	);
	await run(
		`INSERT INTO usage_watermarks (org_id, last_seq, updated_at) SELECT org_id, max(seq), 0 FROM usage_events GROUP BY org_id`,
	);
	await run(`INSERT INTO job_cursors (name, position, updated_at) SELECT 'usage', max(seq), 0 FROM usage_events`);
	// New activity for 10 %.
	await run(
		`INSERT INTO usage_events (org_id, metric, quantity, timestamp_ms, idempotency_key, received_at)
		 SELECT printf('org_%06d', value % ?), 'api_calls', 1, ?, 'n' || value, ? FROM generate_series(0, ?)`,
		[busy, NOW - 60_000, NOW - 60_000, busy * 5 - 1],
	);
	await run(
		`INSERT INTO audit_events (id, org_id, actor_type, actor_label, action, created_at)
		 SELECT printf('evt_n%08d', value), printf('org_%06d', value % ?), 'system', 'x', 'x', ? + value FROM generate_series(0, ?)`,
		[busy, NOW - 600_000, busy * 3 - 1],
	);
	await run(
		`INSERT INTO portal_events (id, org_id, session_id, user_id, kind, created_at)
		 SELECT printf('pev_%08d', value), printf('org_%06d', value % ?), 's' || (value % 7), 'u', CASE value % 2 WHEN 0 THEN 'sign_in' ELSE 'action' END, ? + value
		 FROM generate_series(0, ?)`,
		[busy, NOW - 3_600_000, busy * 4 - 1],
	);
	db.close();
	return busy;
}

interface Summary {
	tags: number;
	max_pipeline_requests: number;
}
const stats = async (prefix: string): Promise<Summary> =>
	(await (await fetch(`${base}_stats?prefix=${encodeURIComponent(prefix)}`)).json()) as Summary;

/**
 * Waits until every expected message has run (its tag appeared and the counts stopped moving); returns
 * when they last moved, so the polling itself is not counted.
 */
async function settle(
	jobs: readonly TenantJobName[],
	expected: Record<TenantJobName, number>,
	now: number,
): Promise<number> {
	let last = "";
	let changedAt = performance.now();
	for (let stable = 0; stable < 3; ) {
		await new Promise((r) => setTimeout(r, 100));
		const counts = await Promise.all(jobs.map((job) => stats(`job:${job}:${now}:`)));
		const key = JSON.stringify(counts);
		const done = counts.every((s, i) => s.tags >= expected[jobs[i] as TenantJobName]);
		if (key !== last) changedAt = performance.now();
		stable = done && key === last ? stable + 1 : 0;
		last = key;
	}
	return changedAt;
}

const results: {
	job: string;
	organizations: number;
	dispatcherRoundTrips: number;
	maxConsumerRoundTrips: number;
	messages: number;
	wallMs: number;
}[] = [];

const failures: string[] = [];
for (const orgs of SIZES) {
	const url = `${base}db/jobs${orgs}/`;
	await applyMigrations(url);
	const busy = await seed(url, orgs);
	say(`\n${orgs} organizations (${busy} with new activity)`);
	const mf = new Miniflare(
		convertV4MiniflareOptions({
			// The Worker's own log lines: only the failures are kept (and reported at the end).
			handleStructuredLogs({ message }) {
				if (/"level":"(warn|error)"/.test(message)) failures.push(message);
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
						ENVIRONMENT: "test",
						DB_STATS: "1",
						JOB_DELIVERY: "queue",
						MAIL_DELIVERY: "queue",
						MAIL_TRANSPORT: "outbox",
					},
					queueProducers: { JOBS_QUEUE: { queueName: "portico-jobs" }, MAIL_QUEUE: { queueName: "portico-mail" } },
					queueConsumers: {
						"portico-jobs": {
							maxBatchSize: 10,
							maxBatchTimeout: 1,
							maxRetries: 5,
							deadLetterQueue: "portico-jobs-dlq",
						},
					},
					r2Buckets: ["FILES"],
				},
			],
		}),
	);
	const worker = await mf.getWorker();
	const expected: Record<TenantJobName, number> = {
		usage: busy,
		seal: busy,
		reconcile: busy,
		domains: 0,
		daily: busy,
		webhooks: 0,
	};
	for (const cron of Object.keys(CRONS) as CronName[]) {
		const started = performance.now();
		// Each size's run has its own time, so the round-trip tags of one size never add to another's.
		const now = NOW + SIZES.indexOf(orgs);
		await worker.scheduled({ cron: CRONS[cron], scheduledTime: new Date(now) });
		const wallMs = Math.round((await settle(CRON_JOBS[cron], expected, now)) - started);
		for (const job of CRON_JOBS[cron]) {
			const dispatcher = await stats(`dispatch:${job}:${now}:`);
			const global =
				cron === "housekeeping" ? await stats(`dispatch:housekeeping:${now}`) : { max_pipeline_requests: 0 };
			const consumer = await stats(`job:${job}:${now}:`);
			results.push({
				job,
				organizations: orgs,
				dispatcherRoundTrips: dispatcher.max_pipeline_requests + global.max_pipeline_requests,
				maxConsumerRoundTrips: consumer.max_pipeline_requests,
				messages: consumer.tags,
				wallMs,
			});
			say(
				`  ${job.padEnd(10)} dispatcher ${String(dispatcher.max_pipeline_requests + global.max_pipeline_requests).padStart(2)} round trips per invocation · ${String(consumer.tags).padStart(5)} messages, at most ${consumer.max_pipeline_requests} round trips each · ${wallMs} ms`,
			);
		}
	}
	await mf.dispose();
}

database.stop();
if (failures.length > 0) {
	console.error(
		`${failures.length} warnings or errors from the Worker; the first:\n${failures.slice(0, 3).join("\n")}`,
	);
	process.exitCode = 1;
}
rmSync(outDir, { recursive: true, force: true });
if (JSON_OUT) {
	console.log(
		JSON.stringify(
			results.map(({ job, organizations, dispatcherRoundTrips, maxConsumerRoundTrips, wallMs }) => ({
				job,
				organizations,
				dispatcherRoundTrips,
				maxConsumerRoundTrips,
				wallMs,
			})),
		),
	);
}
