// `npm run bench:audit`: the audit viewer with 10⁶ events in one organization — latency of the first
// page and of a filtered page, and their database round trips.
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { DEMO_PASSWORD } from "../dev/seed.ts";
import { freePort, startStack } from "../dev/stack.ts";

const EVENTS = Number(process.env.AUDIT_EVENTS ?? 1_000_000);
const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), "portico-bench-audit-"));
const stack = await startStack({ port, dbPort: await freePort(), stripePort: await freePort(), dataDir });
const host = `acme.localhost:${port}`;

function send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
	return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
		(resolve, reject) => {
			const req = request(
				{ host: "127.0.0.1", port, path, method: init.method ?? "GET", headers: { host, ...init.headers } },
				(res) => {
					let body = "";
					res.on("data", (c) => (body += c));
					res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
				},
			);
			req.on("error", reject);
			req.end(init.body);
		},
	);
}

const signIn = await send("/sign-in", {
	method: "POST",
	headers: { "content-type": "application/x-www-form-urlencoded", origin: `http://${host}` },
	body: new URLSearchParams({ email: "owner@acme.test", password: DEMO_PASSWORD }).toString(),
});
const cookie = String(signIn.headers["set-cookie"] ?? "").split(";")[0] ?? "";

const db = createClient({ url: stack.databaseUrl });
const org = await db.execute("SELECT id FROM organizations WHERE slug = 'acme'");
const orgId = String(org.rows[0]?.id);
const started = performance.now();
for (let done = 0; done < EVENTS; done += 100_000) {
	await db.execute({
		sql: `INSERT INTO audit_events (id, org_id, actor_type, actor_id, actor_label, action, target_type, target_id, metadata, created_at)
		      SELECT printf('evt_bench%017d', value), ?, 'user', NULL, 'Person ' || (value % 50),
		             CASE value % 4 WHEN 0 THEN 'team.role_changed' WHEN 1 THEN 'auth.sign_in' WHEN 2 THEN 'keys.created' ELSE 'billing.plan_upgraded' END,
		             'thing', 't-' || value, json_object('i', value), ? - value * 1000
		      FROM generate_series(?, ?)`,
		args: [orgId, Date.now() - 120_000, done + 1, Math.min(EVENTS, done + 100_000)],
	});
}
const seedMs = Math.round(performance.now() - started);

async function measure(path: string) {
	const times: number[] = [];
	let trips = 0;
	for (let i = 0; i < 20; i++) {
		const id = `bench_audit_${i}_${Math.random().toString(36).slice(2, 8)}`;
		const t = performance.now();
		const res = await send(path, { headers: { cookie, "x-request-id": id } });
		times.push(performance.now() - t);
		if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
		trips = ((await (await fetch(`${stack.databaseUrl}_stats?tag=${id}`)).json()) as { pipeline_requests: number })
			.pipeline_requests;
	}
	times.sort((a, b) => a - b);
	return { p50: Math.round(times[10] ?? 0), p95: Math.round(times[18] ?? 0), roundTrips: trips };
}

const first = await measure("/audit");
const filtered = await measure(`/audit?actor=${encodeURIComponent("Person 7")}&area=team`);
const search = await measure("/audit?q=t-123456");
db.close();
await stack.stop();
rmSync(dataDir, { recursive: true, force: true });

console.log(
	`\nAudit viewer with ${EVENTS.toLocaleString("en-US")} events in one organization (seeded in ${seedMs} ms):`,
);
console.log("| page | p50 | p95 | DB round trips |\n|---|---:|---:|---:|");
console.log(`| first page \`/audit\` | ${first.p50} ms | ${first.p95} ms | ${first.roundTrips} |`);
console.log(`| filtered (actor + area) | ${filtered.p50} ms | ${filtered.p95} ms | ${filtered.roundTrips} |`);
console.log(`| free-text search | ${search.p50} ms | ${search.p95} ms | ${search.roundTrips} |`);
