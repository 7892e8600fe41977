// API keys of one organization (every query names it) and the verification lookup by hash.
import { and, desc, eq, gte, isNull, sql } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import type { OrgData } from "./org-data.ts";
import { prepared, runBatch } from "./prepared.ts";
import { apiKeyRate, apiKeys, apiKeyUsageDaily, organizations, plans, usageRollups } from "./schema.ts";

export function keyListQuery(org: OrgData) {
	return org.db.select().from(apiKeys).where(org.owns(apiKeys)).orderBy(desc(apiKeys.createdAt)).limit(200);
}

export function keyUsageQuery(org: OrgData, sinceDay: string) {
	return org.db
		.select({ keyId: apiKeyUsageDaily.keyId, day: apiKeyUsageDaily.day, count: apiKeyUsageDaily.count })
		.from(apiKeyUsageDaily)
		.where(and(org.owns(apiKeyUsageDaily), gte(apiKeyUsageDaily.day, sinceDay)));
}

/** The keys page: keys and their last 30 days of use, in one round trip. */
export async function loadKeysPage(org: OrgData, sinceDay: string) {
	const [keys, usage] = await org.db.batch([keyListQuery(org), keyUsageQuery(org, sinceDay)]);
	return { keys, usage };
}

export function findKey(org: OrgData, keyId: string) {
	return org.db
		.select()
		.from(apiKeys)
		.where(and(org.owns(apiKeys), eq(apiKeys.id, keyId)))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export interface NewKey {
	name: string;
	hash: string;
	prefix: string;
	last4: string;
	scopes: string[];
	createdBy: string | null;
	createdByLabel: string;
	expiresAt: number | null;
	rateLimitPerMinute: number | null;
}

export function insertKey(org: OrgData, input: NewKey) {
	const id = newId("key");
	return { id, query: org.db.insert(apiKeys).values({ id, orgId: org.orgId, ...input }) };
}

export function updateKey(
	org: OrgData,
	keyId: string,
	set: { name: string; scopes: string[]; expiresAt: number | null; rateLimitPerMinute: number | null },
) {
	return org.db
		.update(apiKeys)
		.set(set)
		.where(and(org.owns(apiKeys), eq(apiKeys.id, keyId)));
}

export function revokeKey(org: OrgData, keyId: string, nowMs: number) {
	return org.db
		.update(apiKeys)
		.set({ revokedAt: nowMs })
		.where(and(org.owns(apiKeys), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)));
}

export function retireKey(org: OrgData, keyId: string, replacedBy: string, graceUntil: number) {
	return org.db
		.update(apiKeys)
		.set({ graceUntil, replacedBy })
		.where(and(org.owns(apiKeys), eq(apiKeys.id, keyId)));
}

/**
 * Everything verification needs, in one batch (one round trip): the key with its organization and plan,
 * the organization's API calls this month, and — for keys with a rate limit — this minute's count.
 */
/** The key by hash with its organization, plan and this month's counts; built once per isolate. */
const verificationKey = prepared(["hash", "monthStartDay", "monthStartMs"], (db, p) =>
	db
		.select({
			id: apiKeys.id,
			orgId: apiKeys.orgId,
			name: apiKeys.name,
			scopes: apiKeys.scopes,
			expiresAt: apiKeys.expiresAt,
			revokedAt: apiKeys.revokedAt,
			graceUntil: apiKeys.graceUntil,
			rateLimitPerMinute: apiKeys.rateLimitPerMinute,
			orgSlug: organizations.slug,
			orgName: organizations.name,
			orgStatus: organizations.status,
			planKey: plans.key,
			planName: plans.name,
			limits: plans.limits,
			isolationTier: organizations.isolationTier,
			databaseUrl: organizations.databaseUrl,
			databaseAuthToken: organizations.databaseAuthToken,
			usedThisMonth: sql<number>`(select coalesce(sum(${apiKeyUsageDaily.count}), 0) from ${apiKeyUsageDaily} where ${apiKeyUsageDaily.orgId} = ${apiKeys.orgId} and ${apiKeyUsageDaily.day} >= ${p.monthStartDay})`,
			// Ingested API calls count against the same quota (as on the Usage page); on the dedicated tier
			// they live in the organization's own database, so null here and read there.
			ingestedThisMonth: sql<
				number | null
			>`case when ${organizations.isolationTier} = 'shared' then (select coalesce(sum(${usageRollups.value}), 0) from ${usageRollups} where ${usageRollups.orgId} = ${apiKeys.orgId} and ${usageRollups.metric} = 'api_calls' and ${usageRollups.granularity} = 'day' and ${usageRollups.bucketStart} >= ${p.monthStartMs}) end`,
		})
		.from(apiKeys)
		.innerJoin(organizations, eq(organizations.id, apiKeys.orgId))
		.leftJoin(plans, eq(plans.id, organizations.planId))
		.where(eq(apiKeys.hash, p.hash))
		.limit(1),
);

/** Counts only when the key has a rate limit: other keys cost no write. */
const verificationRate = prepared(["hash", "windowStart"], (db, p) =>
	db.run(
		sql`insert into ${apiKeyRate} (key_hash, window_start, count) select ${p.hash}, ${p.windowStart}, 1 from ${apiKeys} where ${apiKeys.hash} = ${p.hash} and ${apiKeys.rateLimitPerMinute} is not null on conflict (key_hash, window_start) do update set count = count + 1 returning count`,
	),
);

export async function verificationReads(
	db: Db,
	hash: string,
	input: { monthStartDay: string; monthStartMs: number; windowStart: number },
) {
	const [rows, rateResult] = await runBatch(db, [
		verificationKey(db, { hash, monthStartDay: input.monthStartDay, monthStartMs: input.monthStartMs }),
		verificationRate(db, { hash, windowStart: input.windowStart }),
	]);
	const count = rateResult.rows[0]?.[0];
	return { key: rows[0] ?? null, minuteCount: count === undefined ? 0 : Number(count) };
}

/** Adds verification counts (key, day → n) and moves last-used times forward; one batch. */
export async function recordKeyUsage(
	db: Db,
	counts: { orgId: string; keyId: string; day: string; count: number; lastUsedAt: number }[],
) {
	if (counts.length === 0) return;
	const writes = counts.flatMap((c) => [
		db
			.insert(apiKeyUsageDaily)
			.values({ orgId: c.orgId, keyId: c.keyId, day: c.day, count: c.count })
			.onConflictDoUpdate({
				target: [apiKeyUsageDaily.orgId, apiKeyUsageDaily.keyId, apiKeyUsageDaily.day],
				set: { count: sql`${apiKeyUsageDaily.count} + ${c.count}` },
			}),
		db
			.update(apiKeys)
			.set({ lastUsedAt: c.lastUsedAt })
			.where(and(eq(apiKeys.id, c.keyId), sql`coalesce(${apiKeys.lastUsedAt}, 0) < ${c.lastUsedAt}`)),
	]);
	await db.batch(writes as [(typeof writes)[number], ...typeof writes]);
}
