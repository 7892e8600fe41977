// Background jobs run twice (a queue redelivers, a cron run overlaps the last): every job's write is
// conditional on what it read, so a second run changes nothing. And the jobs queue's consumer, through
// the real message batch: one organization's failure is retried alone.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { eventHash, sealTenant, verifyTenant } from "../../src/audit/chain.ts";
import { headAndUnsealed, unsealedQuery, writeSeals } from "../../src/db/audit-chain.ts";
import { openDatabase } from "../../src/db/client.ts";
import { auditEvents, portalEvents, portalMetricsTotals, usageEvents, usageRollups } from "../../src/db/schema.ts";
import { tenantData } from "../../src/db/tenant-data.ts";
import worker from "../../src/index.ts";
import { newId } from "../../src/lib/ids.ts";
import { computeDailyMetrics } from "../../src/metrics/daily.ts";
import { aggregateTenant } from "../../src/usage/aggregate.ts";
import { createOrg, createUnreachableOrg, type TestOrg, testDb } from "../support/worker.ts";

const NOW = Date.now();

function tenant(org: TestOrg, statsTag?: string) {
	return tenantData({ orgId: org.id, db: statsTag ? openDatabase({ url: env.DATABASE_URL, statsTag }) : testDb() });
}

async function addEvents(org: TestOrg, n: number, createdAt: number, sealed = false) {
	await testDb().run(
		sql`insert into audit_events (id, org_id, actor_type, actor_label, action, created_at, prev_hash, hash)
		    select ${`evt_${org.id}_${createdAt}_`} || value, ${org.id}, 'system', 'Tester', 'test.event', ${createdAt} + value,
		           ${sealed ? "p" : null}, ${sealed ? "h" : null}
		    from generate_series(1, ${n})`,
	);
}

async function statsOf(tag: string) {
	const res = await fetch(`${env.DATABASE_URL}_stats?tag=${encodeURIComponent(tag)}`);
	return (await res.json()) as { pipeline_requests: number; statements: number };
}

describe("audit sealing that overlaps", () => {
	it("keeps the chain whole when a run commits after another sealed past it", async () => {
		const org = await createOrg();
		await addEvents(org, 5, NOW - 600_000);
		await addEvents(org, 2, NOW - 300_000);
		// Run A reads the five older events and hashes them…
		const a = await headAndUnsealed(tenant(org), NOW - 400_000, 1000);
		expect(a.events).toHaveLength(5);
		let prev = "genesis";
		const seals = [];
		for (const e of a.events) {
			const hash = await eventHash(prev, e);
			seals.push({ id: e.id, prevHash: prev, hash });
			prev = hash;
		}
		// …run B seals all seven and commits first…
		expect(await sealTenant(tenant(org), NOW)).toBe(7);
		// …and A's write, from a head that has moved, changes nothing.
		const last = a.events.at(-1) as (typeof a.events)[number];
		await expect(
			writeSeals(
				tenant(org),
				seals,
				{ lastHash: prev, lastCreatedAt: last.createdAt, lastId: last.id, checkpointHash: null },
				"genesis",
				NOW,
			),
		).rejects.toThrow();
		expect(await verifyTenant(tenant(org))).toEqual({ ok: true, checked: 7 });
		await addEvents(org, 3, NOW - 200_000);
		expect(await sealTenant(tenant(org), NOW)).toBe(3);
		expect(await verifyTenant(tenant(org))).toEqual({ ok: true, checked: 10 });
	});

	it("seals each event once when three runs start together", async () => {
		const org = await createOrg();
		await addEvents(org, 40, NOW - 600_000);
		const sealed = await Promise.all([0, 1, 2].map(() => sealTenant(tenant(org), NOW)));
		expect(sealed.reduce((n, s) => n + s, 0)).toBe(40);
		expect(await verifyTenant(tenant(org))).toEqual({ ok: true, checked: 40 });
	});

	it("costs one round trip when idle, through the partial index, whatever the history", async () => {
		const small = await createOrg();
		const large = await createOrg();
		await addEvents(small, 3, NOW - 600_000, true);
		await addEvents(large, 3000, NOW - 600_000, true);
		const costs: Awaited<ReturnType<typeof statsOf>>[] = [];
		for (const org of [small, large]) {
			const tag = `seal-idle-${org.id}`;
			expect(await sealTenant(tenant(org, tag), NOW)).toBe(0);
			costs.push(await statsOf(tag));
		}
		const shape = (c: (typeof costs)[number] | undefined) => ({
			trips: c?.pipeline_requests,
			statements: c?.statements,
		});
		expect(shape(costs[0])).toEqual({ trips: 1, statements: costs[0]?.statements });
		expect(shape(costs[1])).toEqual(shape(costs[0]));
		const query = unsealedQuery(tenant(large), NOW, 1000).toSQL();
		const plan = await testDb().$client.execute({
			sql: `explain query plan ${query.sql}`,
			args: query.params as never,
		});
		expect(plan.rows.map((r) => String(r.detail)).join("\n")).toContain("audit_events_unsealed_idx");
	});
});

describe("usage aggregation that overlaps", () => {
	it("counts each event once when two runs fold the same events together", async () => {
		const org = await createOrg();
		await testDb()
			.insert(usageEvents)
			.values(
				Array.from({ length: 12 }, (_, i) => ({
					orgId: org.id,
					metric: "api_calls",
					quantity: 1,
					timestampMs: NOW,
					idempotencyKey: `k${i}`,
					receivedAt: NOW,
				})),
			);
		await Promise.all([aggregateTenant(tenant(org), NOW), aggregateTenant(tenant(org), NOW)]);
		const [day] = await testDb()
			.select({ value: usageRollups.value })
			.from(usageRollups)
			.where(and(eq(usageRollups.orgId, org.id), eq(usageRollups.granularity, "day")));
		expect(day?.value).toBe(12);
	});
});

describe("portal figure totals", () => {
	it("count each organization once per day, however often its figures are recomputed", async () => {
		const day = Date.UTC(1990, 0, 3);
		const key = "1990-01-03";
		const orgs = [await createOrg(), await createOrg()];
		for (const org of orgs) {
			await testDb()
				.insert(portalEvents)
				.values([
					{
						id: newId("pev"),
						orgId: org.id,
						sessionId: `s-${org.id}`,
						userId: "u",
						kind: "action",
						createdAt: day + 1000,
					},
					{
						id: newId("pev"),
						orgId: org.id,
						sessionId: `t-${org.id}`,
						userId: "u",
						kind: "ticket",
						createdAt: day + 2000,
					},
				]);
		}
		const main = testDb();
		await Promise.all(orgs.flatMap((org) => [0, 1].map(() => computeDailyMetrics(main, tenant(org), day, NOW))));
		await computeDailyMetrics(main, tenant(orgs[0] as TestOrg), day, NOW);
		const [totals] = await main.select().from(portalMetricsTotals).where(eq(portalMetricsTotals.day, key));
		expect(totals).toMatchObject({ activeSessions: 4, selfServedSessions: 2 });
		// A recomputation that finds fewer sessions moves the totals down by the difference.
		await testDb()
			.delete(portalEvents)
			.where(eq(portalEvents.sessionId, `t-${orgs[0]?.id}`));
		await computeDailyMetrics(main, tenant(orgs[0] as TestOrg), day, NOW);
		const [after] = await main.select().from(portalMetricsTotals).where(eq(portalMetricsTotals.day, key));
		expect(after).toMatchObject({ activeSessions: 3, selfServedSessions: 2 });
	});
});

describe("the jobs queue consumer", () => {
	it("runs each organization's message, drops an invalid one, and retries only the one that failed", async () => {
		const errors = vi.spyOn(console, "error").mockImplementation(() => {});
		const warns = vi.spyOn(console, "warn").mockImplementation(() => {});
		const healthy = await createOrg();
		const broken = await createUnreachableOrg();
		await addEvents(healthy, 4, NOW - 600_000);
		const batch = createMessageBatch<unknown>("portico-jobs", [
			{
				id: "j1",
				timestamp: new Date(),
				attempts: 1,
				body: { kind: "tenant", job: "seal", orgId: broken.id, nowMs: NOW },
			},
			{
				id: "j2",
				timestamp: new Date(),
				attempts: 1,
				body: { kind: "tenant", job: "seal", orgId: healthy.id, nowMs: NOW },
			},
			{ id: "j3", timestamp: new Date(), attempts: 1, body: { kind: "tenant", job: "nothing", orgId: healthy.id } },
		]);
		const ctx = createExecutionContext();
		await worker.queue(batch, env);
		const result = await getQueueResult(batch, ctx);
		expect(result.explicitAcks.sort()).toEqual(["j2", "j3"]);
		expect(result.retryMessages.map((m) => m.msgId)).toEqual(["j1"]);
		expect(await verifyTenant(tenant(healthy))).toEqual({ ok: true, checked: 4 });
		const unsealed = await testDb()
			.select({ id: auditEvents.id })
			.from(auditEvents)
			.where(and(eq(auditEvents.orgId, healthy.id), sql`hash is null`));
		expect(unsealed).toEqual([]);
		expect(errors).toHaveBeenCalled();
		errors.mockRestore();
		warns.mockRestore();
	});
});
