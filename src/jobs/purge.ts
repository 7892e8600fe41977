// Purging organizations whose deletion grace period has passed: tenant data, stored files, then the
// control-plane rows; what remains is a record that it happened (id and dates, no personal data).

import { openRetentionGate } from "../db/audit-chain.ts";
import { type DatabaseConfig, type Db, openTenantDatabase } from "../db/client.ts";
import { tenantTables } from "../db/schema.ts";
import { listOrganizationsToPurge, purgeOrganizationWrites } from "../db/system.ts";
import { tenantData } from "../db/tenant-data.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";

async function deletePrefix(bucket: R2Bucket | undefined, prefix: string): Promise<void> {
	if (!bucket) return;
	for (let cursor: string | undefined; ; ) {
		const page = await bucket.list({ prefix, ...(cursor ? { cursor } : {}) });
		if (page.objects.length > 0) await bucket.delete(page.objects.map((o) => o.key));
		if (!page.truncated) return;
		cursor = page.cursor;
	}
}

export async function purgeDeletedOrganizations(
	main: Db,
	mainConfig: DatabaseConfig,
	bindings: Bindings,
	nowMs: number,
	orgIds?: readonly string[],
): Promise<string[]> {
	const purged: string[] = [];
	for (const org of await listOrganizationsToPurge(main, nowMs, orgIds)) {
		try {
			// The organization's own database, and the main one too: rows written there before a move (or by
			// a hand-made dedicated setup) are its data as well.
			const homes = [openTenantDatabase(main, mainConfig, org), main].filter((db, i, all) => all.indexOf(db) === i);
			for (const db of homes) {
				const tenant = tenantData({ orgId: org.id, db });
				// The append-only triggers let audit events go only while the retention gate is open.
				const deletes = Object.values(tenantTables)
					.filter((table) => table !== tenantTables.auditRetentionGate)
					.map((table) => tenant.delete(table));
				await tenant.batch([openRetentionGate(tenant), ...deletes, tenant.delete(tenantTables.auditRetentionGate)]);
			}
			await deletePrefix(bindings.FILES, `logos/${org.id}/`);
			await deletePrefix(bindings.FILES, `exports/${org.id}/`);
			await deletePrefix(bindings.FILES, `favicons/${org.id}/`);
			await deletePrefix(bindings.FILES, `tickets/${org.id}/`);
			await main.batch(
				purgeOrganizationWrites(main, org, nowMs) as [
					ReturnType<typeof purgeOrganizationWrites>[0],
					...ReturnType<typeof purgeOrganizationWrites>,
				],
			);
			purged.push(org.id);
			log("info", "organization purged", { orgId: org.id });
		} catch (error) {
			log("error", "organization purge failed", { orgId: org.id, error });
		}
	}
	return purged;
}
