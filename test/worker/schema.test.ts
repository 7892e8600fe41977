// Invariants of the data model, read from the migrated database itself.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { BUILT_IN_ROLES } from "../../src/auth/permissions.ts";
import { roles } from "../../src/db/schema.ts";
import { testDb } from "../support/worker.ts";

const TENANT_TABLES = [
	"audit_events",
	"notifications",
	"notification_preferences",
	"data_exports",
	"invoice_cache",
	"usage_events",
	"usage_rollups",
	"usage_watermarks",
	"usage_alerts",
	"tickets",
	"ticket_messages",
	"ticket_attachments",
	"portal_events",
];

describe("data model", () => {
	it.each(TENANT_TABLES)("%s carries org_id NOT NULL with an index that leads with it", async (table) => {
		const db = testDb();
		const columns = await db.all<{ name: string; notnull: number }>(sql.raw(`PRAGMA table_info(${table})`));
		expect(columns.find((c) => c.name === "org_id")?.notnull).toBe(1);
		const indexes = await db.all<{ name: string }>(sql.raw(`PRAGMA index_list(${table})`));
		const leading = [];
		for (const index of indexes) {
			const cols = await db.all<{ name: string }>(sql.raw(`PRAGMA index_info(${index.name})`));
			if (cols[0]?.name === "org_id") leading.push(index.name);
		}
		expect(leading.length).toBeGreaterThan(0);
	});

	it("has the built-in roles with exactly the permissions the code grants", async () => {
		const rows = await testDb().select().from(roles).where(sql`${roles.orgId} IS NULL`);
		for (const role of Object.values(BUILT_IN_ROLES)) {
			const row = rows.find((r) => r.id === role.id);
			expect(row?.permissions, role.name).toEqual([...role.permissions]);
			expect(row?.builtIn).toBe(true);
		}
	});
});
