// Who may write usage for which organization: an organization by id or slug (vendor), or the
// organization of an API key (by hash) with its scopes.
import { eq, or } from "drizzle-orm";
import type { Db } from "./client.ts";
import { apiKeys, organizations } from "./schema.ts";

export function findOrganizationRef(db: Db, ref: string) {
	return db
		.select({
			id: organizations.id,
			slug: organizations.slug,
			status: organizations.status,
			isolationTier: organizations.isolationTier,
			databaseUrl: organizations.databaseUrl,
			databaseAuthToken: organizations.databaseAuthToken,
		})
		.from(organizations)
		.where(or(eq(organizations.id, ref), eq(organizations.slug, ref)))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export function findKeyForUsage(db: Db, hash: string) {
	return db
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
		.where(eq(apiKeys.hash, hash))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export function keyIdsOf(db: Db, orgId: string) {
	return db
		.select({ id: apiKeys.id })
		.from(apiKeys)
		.where(eq(apiKeys.orgId, orgId))
		.then((rows) => new Set(rows.map((r) => r.id)));
}
