import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, like } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { apiKeyRate, authThrottles, emailTokens, sessions, stripeEvents } from "../../src/db/schema.ts";
import worker from "../../src/index.ts";
import { CRONS, runJob } from "../../src/jobs/scheduled.ts";
import { newId } from "../../src/lib/ids.ts";
import { createOrg, createUnreachableOrg, createUser, testDb } from "../support/worker.ts";

async function addSession(orgId: string, userId: string, expiresAt: number) {
	const id = newId("ses");
	await testDb()
		.insert(sessions)
		.values({ id, tokenHash: crypto.randomUUID(), userId, orgId, host: "x", expiresAt, lastSeenAt: 0 });
	return id;
}

describe("cron jobs", () => {
	it("housekeeping removes each organization's expired sessions and keeps live ones", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const expired = await addSession(org.id, user.id, Date.now() - 1000);
		const live = await addSession(org.id, user.id, Date.now() + 60_000);
		const report = await runJob("housekeeping", env, Date.now(), [org.id]);
		expect(report.failed).not.toContain(org.id);
		const left = await testDb().select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id));
		expect(left.map((s) => s.id)).toEqual([live]);
		expect(left.map((s) => s.id)).not.toContain(expired);
	});

	it("housekeeping trims the tables that would only grow, keeping what still counts", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const now = Date.now();
		const tag = crypto.randomUUID();
		const db = testDb();
		await db.batch([
			db.insert(apiKeyRate).values([
				{ keyHash: `old-${tag}`, windowStart: now - 2 * 60 * 60_000, count: 3 },
				{ keyHash: `new-${tag}`, windowStart: now - 60_000, count: 1 },
			]),
			db.insert(authThrottles).values([
				{ key: `account:old-${tag}`, failures: 2, windowStartedAt: now - 2 * 60 * 60_000, lockedUntil: null },
				{
					key: `account:locked-${tag}`,
					failures: 10,
					windowStartedAt: now - 2 * 60 * 60_000,
					lockedUntil: now + 60_000,
				},
				{ key: `account:new-${tag}`, failures: 1, windowStartedAt: now - 60_000, lockedUntil: null },
			]),
			db.insert(emailTokens).values([
				{
					id: newId("tkt"),
					purpose: "magic_link",
					tokenHash: `old-${tag}`,
					userId: user.id,
					orgId: org.id,
					host: "x",
					expiresAt: now - 1000,
				},
				{
					id: newId("tkt"),
					purpose: "magic_link",
					tokenHash: `new-${tag}`,
					userId: user.id,
					orgId: org.id,
					host: "x",
					expiresAt: now + 60_000,
				},
			]),
			db.insert(stripeEvents).values([
				{ id: `evt_old_${tag}`, type: "invoice.paid", receivedAt: 0, processedAt: now - 40 * 86_400_000 },
				{ id: `evt_new_${tag}`, type: "invoice.paid", receivedAt: now, processedAt: now },
				{ id: `evt_open_${tag}`, type: "invoice.paid", receivedAt: 0, processedAt: null },
			]),
		]);
		await runJob("housekeeping", env, now, [org.id]);
		const left = async () => ({
			rates: (
				await db
					.select()
					.from(apiKeyRate)
					.where(like(apiKeyRate.keyHash, `%${tag}`))
			).map((r) => r.keyHash),
			throttles: (
				await db
					.select()
					.from(authThrottles)
					.where(like(authThrottles.key, `%${tag}`))
			).map((r) => r.key),
			tokens: (
				await db
					.select()
					.from(emailTokens)
					.where(like(emailTokens.tokenHash, `%${tag}`))
			).map((r) => r.tokenHash),
			events: (
				await db
					.select()
					.from(stripeEvents)
					.where(like(stripeEvents.id, `%${tag}`))
			).map((r) => r.id),
		});
		const after = await left();
		expect(after.rates).toEqual([`new-${tag}`]);
		expect(after.throttles.sort()).toEqual([`account:locked-${tag}`, `account:new-${tag}`]);
		expect(after.tokens).toEqual([`new-${tag}`]);
		expect(after.events.sort()).toEqual([`evt_new_${tag}`, `evt_open_${tag}`]);
	});

	it("logs one tenant's failure and goes on with the others", async () => {
		const errors = vi.spyOn(console, "error").mockImplementation(() => {});
		const broken = await createUnreachableOrg();
		const healthy = await createOrg();
		const user = await createUser(healthy);
		await addSession(healthy.id, user.id, Date.now() - 1000);
		const report = await runJob("housekeeping", env, Date.now(), [broken.id, healthy.id]);
		expect(report).toMatchObject({ tenants: 2, failed: [broken.id] });
		expect(report.failed).not.toContain(healthy.id);
		expect(await testDb().select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
		expect(errors).toHaveBeenCalledWith(expect.stringContaining(broken.id));
		errors.mockRestore();
	});

	it("dispatches the scheduled handler by cron expression, the dispatch done when the handler returns", async () => {
		const logs = vi.spyOn(console, "log").mockImplementation(() => {});
		const warns = vi.spyOn(console, "warn").mockImplementation(() => {});
		// No waitUntil to wait on: `/__scheduled` under wrangler dev answers once the first pages are sent.
		await worker.scheduled(createScheduledController({ cron: CRONS.usageAggregation, scheduledTime: Date.now() }), env);
		const lines = [...logs.mock.calls, ...warns.mock.calls].map((c) => String(c[0]));
		expect(lines.some((l) => l.includes('"job":"usageAggregation"') && l.includes('"msg":"job dispatched"'))).toBe(
			true,
		);
		await worker.scheduled(createScheduledController({ cron: "1 2 3 4 5", scheduledTime: Date.now() }), env);
		expect(warns.mock.calls.some((c) => String(c[0]).includes("unknown cron"))).toBe(true);
		logs.mockRestore();
		warns.mockRestore();
	});
});
