import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { sessions } from "../../src/db/schema.ts";
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

	it("dispatches the scheduled handler by cron expression, the job done when the handler returns", async () => {
		const logs = vi.spyOn(console, "log").mockImplementation(() => {});
		const warns = vi.spyOn(console, "warn").mockImplementation(() => {});
		// No waitUntil to wait on: `/__scheduled` under wrangler dev (npm start's reconciliation) relies on it.
		await worker.scheduled(createScheduledController({ cron: CRONS.usageAggregation, scheduledTime: Date.now() }), env);
		const lines = [...logs.mock.calls, ...warns.mock.calls].map((c) => String(c[0]));
		expect(lines.some((l) => l.includes('"job":"usageAggregation"') && l.includes('"msg":"job done"'))).toBe(true);
		await worker.scheduled(createScheduledController({ cron: "1 2 3 4 5", scheduledTime: Date.now() }), env);
		expect(warns.mock.calls.some((c) => String(c[0]).includes("unknown cron"))).toBe(true);
		logs.mockRestore();
		warns.mockRestore();
	});
});
