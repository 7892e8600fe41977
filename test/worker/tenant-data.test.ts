import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { commitWithAudit } from "../../src/db/audit.ts";
import { auditEvents, organizations } from "../../src/db/schema.ts";
import { tenantData } from "../../src/db/tenant-data.ts";
import { newId } from "../../src/lib/ids.ts";
import { auditActions, createOrg, testDb } from "../support/worker.ts";

const system = { type: "system" as const, id: null, label: "test" };

describe("tenant-bound data access", () => {
	it("scopes select, update and delete to the bound organization and stamps inserts with it", async () => {
		const db = testDb();
		const a = await createOrg();
		const b = await createOrg();
		const ta = tenantData({ orgId: a.id, db });
		const tb = tenantData({ orgId: b.id, db });
		const id = newId("evt");
		await ta.insert(auditEvents, { id, actorType: "system", actorLabel: "t", action: "thing.created" });
		const [row] = await db.select().from(auditEvents).where(eq(auditEvents.id, id));
		expect(row?.orgId).toBe(a.id);

		expect(await tb.select(auditEvents, eq(auditEvents.id, id))).toEqual([]);
		expect((await tb.update(auditEvents, { action: "hijacked" }, eq(auditEvents.id, id))).rowsAffected).toBe(0);
		expect((await tb.delete(auditEvents, eq(auditEvents.id, id))).rowsAffected).toBe(0);
		expect((await ta.select(auditEvents, eq(auditEvents.id, id)))[0]?.action).toBe("thing.created");
	});

	it("counts rows per value in the database, for the bound organization only", async () => {
		const db = testDb();
		const a = await createOrg();
		const b = await createOrg();
		const ta = tenantData({ orgId: a.id, db });
		const tb = tenantData({ orgId: b.id, db });
		const row = (action: string) => ({ id: newId("evt"), actorType: "system" as const, actorLabel: "t", action });
		await ta.insertMany(auditEvents, [row("x.one"), row("x.one"), row("x.two")]);
		await tb.insert(auditEvents, row("x.one"));
		const counts = await ta.countBy(auditEvents, auditEvents.action);
		expect(Object.fromEntries(counts.map((r) => [r.key, r.n]))).toEqual({ "x.one": 2, "x.two": 1 });
		const [one] = await tb.countBy(auditEvents, auditEvents.action);
		expect(one).toEqual({ key: "x.one", n: 1 });
	});

	it("writes the change and its audit event together, or neither", async () => {
		const db = testDb();
		const org = await createOrg({ name: "Before" });
		const tenant = tenantData({ orgId: org.id, db });
		await commitWithAudit(
			db,
			tenant,
			system,
			{ action: "organization.renamed", metadata: { before: "Before", after: "After" } },
			{
				control: [db.update(organizations).set({ name: "After" }).where(eq(organizations.id, org.id))],
			},
		);
		expect(await auditActions(org.id)).toEqual(["organization.renamed"]);

		// A change that violates a constraint takes its audit event down with it.
		const duplicate = db.insert(organizations).values({ id: newId("org"), slug: org.slug, name: "Dup" });
		await expect(
			commitWithAudit(db, tenant, system, { action: "organization.cloned" }, { control: [duplicate] }),
		).rejects.toThrow();
		expect(await auditActions(org.id)).toEqual(["organization.renamed"]);
	});

	it("never stores secrets in audit metadata", async () => {
		const db = testDb();
		const org = await createOrg();
		const tenant = tenantData({ orgId: org.id, db });
		await commitWithAudit(db, tenant, system, {
			action: "user.password_changed",
			metadata: { password: "hunter2", nested: { apiKey: "pk_live_x", name: "ok" } },
		});
		const [row] = await tenant.select(auditEvents);
		expect(row?.metadata).toEqual({ password: "[redacted]", nested: { apiKey: "[redacted]", name: "ok" } });
	});
});
