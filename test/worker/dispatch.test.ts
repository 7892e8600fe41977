// The dispatchers, against a main database of their own (every other file shares the first one): they
// send a message for exactly the organizations with work, page by page, at the same cost whatever the
// number of organizations.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { DISPATCH_PAGE, usageRange } from "../../src/db/jobs.ts";
import { type Deliver, dispatchPage, type Sent, spreadOffset } from "../../src/jobs/dispatch.ts";
import type { TenantJobName, TenantMessage } from "../../src/jobs/messages.ts";

const url = inject("jobsDatabaseUrl");
const serverUrl = url.replace(/db\/jobs\/$/, "");
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const IDLE = 1500;
const BUSY = 120;
const MANY = 620;

async function statsOf(tag: string) {
	const res = await fetch(`${serverUrl}_stats?tag=${encodeURIComponent(tag)}`);
	return (await res.json()) as { pipeline_requests: number; statements: number };
}

/** Runs a job's dispatcher to its last page, the way the queue would: returns what it sent, per page. */
async function dispatchAll(job: TenantJobName, bindings = env) {
	const pages: { tenants: string[]; roundTrips: number; delays: number[] }[] = [];
	let scan: Extract<Sent["message"], { kind: "scan" }> | null = { kind: "scan", job, nowMs: NOW, after: "" };
	while (scan) {
		const tag = `test-dispatch:${job}:${pages.length}:${crypto.randomUUID()}`;
		const sent: Sent[] = [];
		const deliver: Deliver = async (messages) => {
			sent.push(...messages);
		};
		await dispatchPage(openDatabase({ url, statsTag: tag }), bindings, scan, deliver);
		const tenants = sent.filter((s) => s.message.kind === "tenant");
		pages.push({
			tenants: tenants.map((s) => (s.message as TenantMessage).orgId),
			roundTrips: (await statsOf(tag)).pipeline_requests,
			delays: tenants.map((s) => s.delaySeconds),
		});
		const next = sent.find((s) => s.message.kind === "scan")?.message;
		scan = next?.kind === "scan" ? next : null;
	}
	return pages;
}

const ids = (prefix: string, n: number) =>
	Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, "0")}`);

beforeAll(async () => {
	const db = openDatabase({ url });
	const series = (n: number) => sql.raw(`(select value from generate_series(0, ${n - 1}))`);
	// Organizations: idle ones, and a few with work of every kind, and many with audit events to seal.
	await db.run(
		sql`insert into organizations (id, slug, name) select printf('org_idle%05d', value), printf('idle%05d', value), 'Idle' from ${series(IDLE)}`,
	);
	await db.run(
		sql`insert into organizations (id, slug, name, stripe_customer_id, stripe_synced_at)
		    select printf('org_busy%05d', value), printf('busy%05d', value), 'Busy', printf('cus_%05d', value), ${Math.floor(NOW / 1000) - 7200}
		    from ${series(BUSY)}`,
	);
	await db.run(
		sql`insert into organizations (id, slug, name) select printf('org_many%05d', value), printf('many%05d', value), 'Many' from ${series(MANY)}`,
	);
	// Idle organizations have history: sealed audit events, folded usage, a Stripe cache confirmed just now.
	await db.run(
		sql`update organizations set stripe_customer_id = 'cus_idle_' || id, stripe_synced_at = ${Math.floor(NOW / 1000) - 60} where id like 'org_idle%'`,
	);
	await db.run(
		sql`insert into audit_events (id, org_id, actor_type, actor_label, action, created_at, prev_hash, hash)
		    select printf('evt_old%06d', value), printf('org_idle%05d', value % ${IDLE}), 'system', 'x', 'x', ${NOW - 86_400_000}, 'p', 'h' from generate_series(0, 2999)`,
	);
	await db.run(
		sql`insert into usage_events (org_id, metric, quantity, timestamp_ms, idempotency_key, received_at)
		    select printf('org_idle%05d', value), 'api_calls', 1, ${NOW - 86_400_000}, 'old' || value, ${NOW - 86_400_000} from ${series(IDLE)}`,
	);
	const { to } = await usageRange(db);
	await db.run(sql`insert into job_cursors (name, position, updated_at) values ('usage', ${to}, 0)`);
	// The work: new usage events, unsealed audit events (settled), a domain to check.
	await db.run(
		sql`insert into usage_events (org_id, metric, quantity, timestamp_ms, idempotency_key, received_at)
		    select printf('org_busy%05d', value / 3), 'api_calls', 1, ${NOW}, 'new' || value, ${NOW} from ${series(BUSY * 3)}`,
	);
	await db.run(
		sql`insert into audit_events (id, org_id, actor_type, actor_label, action, created_at)
		    select printf('evt_new%06d', value), case when value < ${BUSY} then printf('org_busy%05d', value) else printf('org_many%05d', value - ${BUSY}) end,
		           'system', 'x', 'x', ${NOW - 120_000} from ${series(BUSY + MANY)}`,
	);
	await db.run(
		sql`insert into audit_events (id, org_id, actor_type, actor_label, action, created_at)
		    select printf('evt_fresh%05d', value), printf('org_idle%05d', value), 'system', 'x', 'x', ${NOW - 1000} from ${series(10)}`,
	);
	await db.run(
		sql`insert into domains (id, org_id, hostname, verification_token) select printf('dom_%05d', value), printf('org_busy%05d', value), printf('portal%05d.example.com', value), 'tok' from ${series(BUSY)}`,
	);
});

describe("dispatchers", () => {
	it("send one message per organization with new usage events, and the next run sends none", async () => {
		const pages = await dispatchAll("usage");
		expect(pages.flatMap((p) => p.tenants).sort()).toEqual(ids("org_busy", BUSY));
		// The dispatched position, the page, and moving the position on.
		expect(pages.map((p) => p.roundTrips)).toEqual([3]);
		expect((await dispatchAll("usage")).flatMap((p) => p.tenants)).toEqual([]);
	});

	it("send the organizations with settled unsealed events a page at a time, each page one round trip", async () => {
		const pages = await dispatchAll("seal");
		const sent = pages.flatMap((p) => p.tenants);
		expect(sent.sort()).toEqual([...ids("org_busy", BUSY), ...ids("org_many", MANY)].sort());
		expect(new Set(sent).size).toBe(sent.length);
		expect(pages.map((p) => p.tenants.length)).toEqual([DISPATCH_PAGE, BUSY + MANY - DISPATCH_PAGE]);
		expect(pages.map((p) => p.roundTrips)).toEqual([1, 1]);
	});

	it("reconcile only the Stripe caches not confirmed for the interval, spread over the hour in production", async () => {
		const pages = await dispatchAll("reconcile");
		expect(pages.flatMap((p) => p.tenants).sort()).toEqual(ids("org_busy", BUSY));
		expect(pages.flatMap((p) => p.delays).every((d) => d === 0)).toBe(true);
		const spread = await dispatchAll("reconcile", { ...env, ENVIRONMENT: "production" });
		const delays = spread.flatMap((p) => p.delays);
		expect(delays.every((d) => d >= 0 && d < 3600)).toBe(true);
		expect(new Set(delays).size).toBeGreaterThan(BUSY / 2);
		expect(spreadOffset("org_busy00007", 3600)).toBe(spreadOffset("org_busy00007", 3600));
	});

	it("check the domains of the organizations that have one", async () => {
		const pages = await dispatchAll("domains");
		expect(pages.flatMap((p) => p.tenants).sort()).toEqual(ids("org_busy", BUSY));
		expect(pages.map((p) => p.roundTrips)).toEqual([1]);
	});

	it("leave out organizations with no activity and nothing past retention from the daily job", async () => {
		const db = openDatabase({ url });
		await db.run(
			sql`insert into portal_events (id, org_id, session_id, user_id, kind, created_at) values ('pev_a', 'org_many00003', 's', 'u', 'sign_in', ${NOW - 86_400_000})`,
		);
		await db.run(
			sql`insert into audit_events (id, org_id, actor_type, actor_label, action, created_at, prev_hash, hash) values ('evt_ancient', 'org_many00004', 'system', 'x', 'x', ${NOW - 40 * 86_400_000}, 'p', 'h')`,
		);
		// A SAML signing certificate inside the 30-day notice window is work; one 90 days off is not.
		const certificate = (days: number) =>
			JSON.stringify([{ der: "x", subject: "CN=idp", notAfter: NOW + days * 86_400_000, fingerprint: `fp${days}` }]);
		await db.run(
			sql`insert into sso_connections (org_id, protocol, saml_certificates) values ('org_many00005', 'saml', ${certificate(20)}), ('org_many00006', 'saml', ${certificate(90)})`,
		);
		// Webhook events past the delivery log's 30 days are work too.
		await db.run(
			sql`insert into webhook_events (id, org_id, type, payload, fanned_out_at, created_at) values ('msg_old', 'org_many00011', 'member.added', '{}', 1, ${NOW - 31 * 86_400_000})`,
		);
		const pages = await dispatchAll("daily");
		expect(pages.flatMap((p) => p.tenants).sort()).toEqual([
			"org_many00003",
			"org_many00004",
			"org_many00005",
			"org_many00011",
		]);
	});

	it("send the webhooks job to organizations with events to fan out or deliveries due, in one round trip", async () => {
		const db = openDatabase({ url });
		await db.run(
			sql`insert into webhook_events (id, org_id, type, payload, fanned_out_at, created_at) values
			    ('msg_new', 'org_many00007', 'member.added', '{}', null, ${NOW}),
			    ('msg_done', 'org_many00010', 'member.added', '{}', ${NOW}, ${NOW})`,
		);
		await db.run(
			sql`insert into webhook_deliveries (id, org_id, endpoint_id, event_id, event_type, status, next_attempt_at) values
			    ('whd_due', 'org_many00008', 'whe_a', 'msg_a', 'member.added', 'pending', ${NOW - 1}),
			    ('whd_later', 'org_many00009', 'whe_b', 'msg_b', 'member.added', 'pending', ${NOW + 60_000}),
			    ('whd_done', 'org_many00012', 'whe_c', 'msg_c', 'member.added', 'succeeded', null)`,
		);
		const pages = await dispatchAll("webhooks");
		expect(pages.flatMap((p) => p.tenants).sort()).toEqual(["org_many00007", "org_many00008"]);
		expect(pages.map((p) => p.roundTrips)).toEqual([1]);
	});
});
