// Who may write usage for which organization: an organization by id or slug (vendor), or the
// organization of an API key (by hash) with its scopes.
import { eq, or } from "drizzle-orm";
import type { Db } from "./client.ts";
import { prepared, runOne } from "./prepared.ts";
import { apiKeys, organizations } from "./schema.ts";

// Built once per isolate: usage ingestion is a hot path (the vendor's backend reports continuously).
const organizationRef = prepared(["ref"], (db, p) =>
	db
		.select({
			id: organizations.id,
			slug: organizations.slug,
			status: organizations.status,
			isolationTier: organizations.isolationTier,
			databaseUrl: organizations.databaseUrl,
			databaseAuthToken: organizations.databaseAuthToken,
		})
		.from(organizations)
		.where(or(eq(organizations.id, p.ref), eq(organizations.slug, p.ref)))
		.limit(1),
);

export async function findOrganizationRef(db: Db, ref: string) {
	return (await runOne(db, organizationRef(db, { ref })))[0] ?? null;
}

const keyForUsage = prepared(["hash"], (db, p) =>
	db
		.select({
			id: apiKeys.id,
			orgId: apiKeys.orgId,
			scopes: apiKeys.scopes,
			revokedAt: apiKeys.revokedAt,
			expiresAt: apiKeys.expiresAt,
			graceUntil: apiKeys.graceUntil,
			status: organizations.status,
			slug: organizations.slug,
			isolationTier: organizations.isolationTier,
			databaseUrl: organizations.databaseUrl,
			databaseAuthToken: organizations.databaseAuthToken,
		})
		.from(apiKeys)
		.innerJoin(organizations, eq(organizations.id, apiKeys.orgId))
		.where(eq(apiKeys.hash, p.hash))
		.limit(1),
);

export async function findKeyForUsage(db: Db, hash: string) {
	return (await runOne(db, keyForUsage(db, { hash })))[0] ?? null;
}

const keyIds = prepared(["orgId"], (db, p) =>
	db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.orgId, p.orgId)),
);

export async function keyIdsOf(db: Db, orgId: string) {
	return new Set((await runOne(db, keyIds(db, { orgId }))).map((r) => r.id));
}
