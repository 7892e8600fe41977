// Builds the context `notify()` needs: from a request on a tenant host, or for an organization named
// by id (work on the apex, such as a single sign-on answer).

import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import { type DatabaseConfig, type Db, openTenantDatabase } from "../db/client.ts";
import { systemAccess } from "../db/system.ts";
import { tenantData } from "../db/tenant-data.ts";
import type { Bindings } from "../env.ts";
import { portalOrigin } from "../jobs/origin.ts";
import { tenantOf } from "../middleware/guards.ts";
import { portalAddress } from "../tenancy/address.ts";
import { brandOf } from "../views/brand.ts";
import { siteBrand } from "../views/render.tsx";
import type { NotifyContext } from "./notify.ts";

export function notifyContext(c: Context<AppEnv>): NotifyContext {
	return {
		main: c.get("db"),
		tenant: tenantOf(c).tenant,
		bindings: c.env,
		brand: siteBrand(c),
		origin: portalAddress(c).origin,
	};
}

export async function notifyContextForOrganization(
	db: Db,
	dbConfig: DatabaseConfig,
	bindings: Bindings,
	orgId: string,
): Promise<NotifyContext> {
	const found = await systemAccess(db).console.findOrganization(orgId);
	if (!found) throw new Error("notifying an organization that does not exist");
	const { org } = found;
	return {
		main: db,
		tenant: tenantData({ orgId, db: openTenantDatabase(db, dbConfig, org) }),
		bindings,
		brand: brandOf(org),
		origin: portalOrigin(bindings, org.slug, org.customDomain),
	};
}
