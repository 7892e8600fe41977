// An organization's primary custom domain (its first verified one): links and emails use it when there
// is one. Shared by the site batch and background work, so it has a module of its own.
import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "./client.ts";
import { domains } from "./schema.ts";

/** An organization's first verified custom domain, as a subquery: links and emails use it when there is one. */
export function primaryDomainOf(orgId: SQLiteColumn | string): SQL<string | null> {
	return sql<
		string | null
	>`(select d.hostname from ${domains} d where d.org_id = ${orgId} and d.verified_at is not null order by d.verified_at, d.id limit 1)`;
}

export async function findPrimaryDomain(db: Db, orgId: string): Promise<string | null> {
	const [row] = await db.select({ hostname: primaryDomainOf(orgId) }).from(sql`(select 1)`);
	return row?.hostname ?? null;
}
