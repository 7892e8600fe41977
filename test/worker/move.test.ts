// The dedicated tier, provisioned by the product: the console moves an organization into a database of
// its own (created with its own token, migrated, filled) and back, refusing writes while it copies.
import { env } from "cloudflare:workers";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { sealTenant, verifyTenant } from "../../src/audit/chain.ts";
import { openDatabase } from "../../src/db/client.ts";
import { lockWrites, unlockWrites } from "../../src/db/move.ts";
import {
	auditEvents,
	notifications,
	organizations,
	tenantTables,
	usageEvents,
	usageRollups,
	usageWatermarks,
} from "../../src/db/schema.ts";
import { tenantData } from "../../src/db/tenant-data.ts";
import { tenantDataUnavailable } from "../../src/lib/errors.ts";
import { newId } from "../../src/lib/ids.ts";
import { aggregateTenant } from "../../src/usage/aggregate.ts";
import { APEX, createOperator, opsSignIn } from "../support/ops.ts";
import { auditActions, createOrg, createUser, request, signIn, type TestOrg, testDb } from "../support/worker.ts";

async function withHistory(org: TestOrg) {
	const db = testDb();
	const owner = await createUser(org, "owner");
	await db.insert(notifications).values({
		id: newId("msg"),
		orgId: org.id,
		userId: owner.id,
		category: "team",
		title: "Before the move",
		body: "x",
	});
	await db.insert(usageEvents).values(
		Array.from({ length: 5 }, (_, i) => ({
			orgId: org.id,
			metric: "api_calls",
			quantity: 2,
			timestampMs: Date.now(),
			idempotencyKey: `before-${i}`,
			receivedAt: Date.now(),
		})),
	);
	const tenant = tenantData({ orgId: org.id, db });
	await aggregateTenant(tenant, Date.now());
	await db.insert(usageEvents).values({
		orgId: org.id,
		metric: "api_calls",
		quantity: 1,
		timestampMs: Date.now(),
		idempotencyKey: "unfolded",
		receivedAt: Date.now(),
	});
	await db.run(
		sql`insert into audit_events (id, org_id, actor_type, actor_label, action, created_at) values (${newId("evt")}, ${org.id}, 'system', 'x', 'organization.created', ${Date.now() - 600_000})`,
	);
	await sealTenant(tenant, Date.now());
	return owner;
}

async function tierOf(orgId: string) {
	const [row] = await testDb()
		.select({
			tier: organizations.isolationTier,
			url: organizations.databaseUrl,
			token: organizations.databaseAuthToken,
			moving: organizations.databaseMovingAt,
		})
		.from(organizations)
		.where(eq(organizations.id, orgId));
	return row;
}

async function move(orgId: string, cookie: string, to: "dedicated" | "shared") {
	return request(`${APEX}/ops/tenants/${orgId}/database`, { cookie, form: { to } });
}

async function dayTotal(db: ReturnType<typeof testDb>, orgId: string) {
	const rows = await db
		.select({ value: usageRollups.value })
		.from(usageRollups)
		.where(and(eq(usageRollups.orgId, orgId), eq(usageRollups.granularity, "day")));
	return rows.reduce((n, r) => n + r.value, 0);
}

describe("moving an organization between databases", () => {
	it("guards every tenant table against writes while its organization moves", async () => {
		const triggers = await testDb().all<{ name: string }>(sql`select name from sqlite_master where type = 'trigger'`);
		const names = new Set(triggers.map((t) => t.name));
		const tables = Object.values(tenantTables)
			.filter((t) => t !== tenantTables.auditRetentionGate)
			.map((t) => (t as unknown as { [k: symbol]: string })[Symbol.for("drizzle:Name")]);
		expect(tables.length).toBeGreaterThan(10);
		for (const table of tables) {
			for (const op of ["insert", "update", "delete"])
				expect(names, `${table}_moving_${op}`).toContain(`${table}_moving_${op}`);
		}
	});

	it("moves to a dedicated database of its own and back, with every row and nothing left behind", async () => {
		const org = await createOrg();
		const owner = await withHistory(org);
		const before = await dayTotal(testDb(), org.id);
		const cookie = await opsSignIn(await createOperator());

		expect((await move(org.id, cookie, "dedicated")).status).toBe(303);
		const moved = await tierOf(org.id);
		expect(moved).toMatchObject({ tier: "dedicated", moving: null });
		expect(moved?.url).toMatch(/\/db\/t-[0-9a-z]+-[0-9a-z]+\/$/);
		expect(moved?.token?.length).toBeGreaterThan(20);
		// Its own credentials: the database refuses a request without its token.
		const anonymous = await fetch(`${moved?.url}v2/pipeline`, { method: "POST", body: '{"requests":[]}' });
		expect(anonymous.status).toBe(401);
		const dedicated = openDatabase({ url: moved?.url ?? "", authToken: moved?.token ?? "" });
		const tenant = tenantData({ orgId: org.id, db: dedicated });
		// Nothing stays in the shared database; everything is in the new one, the chain intact.
		for (const table of [auditEvents, notifications, usageEvents]) {
			expect(await testDb().select().from(table).where(eq(table.orgId, org.id))).toEqual([]);
		}
		expect((await dedicated.select().from(notifications).where(eq(notifications.orgId, org.id))).length).toBe(1);
		expect(await verifyTenant(tenant)).toMatchObject({ ok: true });
		expect(await auditActions(org.id)).toEqual([]);
		const actions = (await dedicated.select().from(auditEvents).where(eq(auditEvents.orgId, org.id))).map(
			(e) => e.action,
		);
		expect(actions).toEqual(expect.arrayContaining(["organization.created", "organization.database_moved"]));
		// The usage watermark still stands after the folded events: one new event is folded, no more.
		expect(await aggregateTenant(tenant, Date.now())).toMatchObject({ events: 1 });
		expect(await dayTotal(dedicated, org.id)).toBe(before + 1);
		// The portal serves from the new database; a write through the old address is refused there.
		const session = await signIn(org, owner.email);
		const page = await request(`${org.origin}/notifications`, { cookie: session });
		expect(page.status).toBe(200);
		expect(page.text).toContain("Before the move");
		await expect(
			testDb()
				.insert(notifications)
				.values({ id: newId("msg"), orgId: org.id, userId: owner.id, category: "team", title: "stale", body: "x" }),
		).rejects.toSatisfy((error) => tenantDataUnavailable(error) === "moving");

		expect((await move(org.id, cookie, "shared")).status).toBe(303);
		expect(await tierOf(org.id)).toMatchObject({ tier: "shared", url: null, token: null, moving: null });
		const shared = tenantData({ orgId: org.id, db: testDb() });
		expect(await verifyTenant(shared)).toMatchObject({ ok: true });
		expect(await aggregateTenant(shared, Date.now())).toMatchObject({ events: 0 });
		expect(await dayTotal(testDb(), org.id)).toBe(before + 1);
		const [mark] = await testDb().select().from(usageWatermarks).where(eq(usageWatermarks.orgId, org.id));
		const [newest] = await testDb()
			.select({ seq: sql<number>`max(${usageEvents.seq})` })
			.from(usageEvents)
			.where(eq(usageEvents.orgId, org.id));
		expect(mark?.lastSeq).toBe(newest?.seq);
		expect((await dedicated.select().from(notifications).where(eq(notifications.orgId, org.id))).length).toBe(0);
		expect(await auditActions(org.id)).toEqual(expect.arrayContaining(["organization.database_moved"]));
	});

	it("starts one move when two are asked for at once", async () => {
		const org = await createOrg();
		const cookie = await opsSignIn(await createOperator());
		const other = await opsSignIn(await createOperator());
		const answers = await Promise.all([move(org.id, cookie, "dedicated"), move(org.id, other, "dedicated")]);
		expect(answers.map((a) => a.status).sort()).toEqual([303, 409]);
		expect(await tierOf(org.id)).toMatchObject({ tier: "dedicated", moving: null });
	});

	it("refuses changes while the data is copied with a 503 that saves nothing, and reads go on", async () => {
		const errors = vi.spyOn(console, "warn").mockImplementation(() => {});
		const org = await createOrg();
		const owner = await createUser(org, "owner");
		const session = await signIn(org, owner.email);
		await lockWrites(testDb(), org.id, Date.now());
		try {
			const form = new FormData();
			form.set("subject", "During the move");
			form.set("category", "billing");
			form.set("description", "Filed while the data moves.");
			const refused = await request(`${org.origin}/support/tickets`, { method: "POST", cookie: session, body: form });
			expect(refused.status).toBe(503);
			expect(refused.headers.get("retry-after")).toBe("10");
			expect(refused.text).toContain("try again in a few seconds");
			expect(refused.text).not.toMatch(/tenant_moving|SQLITE/);
			expect((await request(`${org.origin}/support`, { cookie: session })).status).toBe(200);
		} finally {
			await unlockWrites(testDb(), org.id);
			errors.mockRestore();
		}
	});

	it("answers a clear 503 for an organization whose database has not been migrated", async () => {
		const errors = vi.spyOn(console, "error").mockImplementation(() => {});
		const name = `unmigrated-${crypto.randomUUID().slice(0, 8)}`;
		const org = await createOrg({ isolationTier: "dedicated", databaseUrl: `${env.DATABASE_URL}db/${name}/` });
		const owner = await createUser(org, "owner");
		const res = await request(`${org.origin}/sign-in`, {
			form: { email: owner.email, password: "correct horse battery staple" },
		});
		expect(res.status).toBe(503);
		expect(res.text).not.toMatch(/no such table|SQLITE/i);
		errors.mockRestore();
		await testDb().delete(organizations).where(eq(organizations.id, org.id));
	});
});
