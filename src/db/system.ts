// The system accessor: cross-tenant reads and writes for cron jobs and the operator console.
// Its name says what it is; request handlers for a tenant never use it.
import { and, eq, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./client.ts";
import {
	apiKeyRate,
	authThrottles,
	deletionRecords,
	domains,
	emailTokens,
	invitations,
	loginTickets,
	operatorSessions,
	organizations,
	pendingSignups,
	sessions,
	stripeEvents,
} from "./schema.ts";

const DAY_MS = 24 * 60 * 60_000;
/** At most this many rows per table and run: housekeeping stays a bounded job. */
export const PURGE_BATCH = 5000;
/** Throttle counters outlive their 15-minute window by a margin, so a count never resets early. */
const THROTTLE_KEEP_MS = 60 * 60_000;

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

export function systemAccess(db: Db) {
	return {
		/** Every active organization, or only those of `orgIds` (a job run for chosen organizations). */
		listActiveOrganizations(orgIds?: readonly string[]) {
			return db
				.select({
					id: organizations.id,
					slug: organizations.slug,
					isolationTier: organizations.isolationTier,
					databaseUrl: organizations.databaseUrl,
					customDomain: primaryDomainOf(organizations.id),
				})
				.from(organizations)
				.where(and(eq(organizations.status, "active"), orgIds ? inArray(organizations.id, [...orgIds]) : undefined))
				.orderBy(organizations.id);
		},
		/** Expired sessions, login tickets and invitations of one organization, in one batch. */
		async purgeExpiredFor(orgId: string, nowMs: number) {
			const [s, t, i] = await db.batch([
				db.delete(sessions).where(and(eq(sessions.orgId, orgId), lt(sessions.expiresAt, nowMs))),
				db
					.delete(loginTickets)
					.where(
						and(eq(loginTickets.orgId, orgId), or(lt(loginTickets.expiresAt, nowMs), lt(loginTickets.usedAt, nowMs))),
					),
				db
					.delete(invitations)
					.where(and(eq(invitations.orgId, orgId), isNull(invitations.acceptedAt), lt(invitations.expiresAt, nowMs))),
			]);
			return { sessions: s.rowsAffected, loginTickets: t.rowsAffected, invitations: i.rowsAffected };
		},
		/**
		 * Tables that would only grow: rate windows older than an hour, throttle counters whose window and
		 * lock are over, used or expired email tokens, and Stripe events processed over 30 days ago (Stripe
		 * retries for three). Each delete takes at most `PURGE_BATCH` rows through its index, so one run's
		 * cost is bounded whatever has piled up; the next run takes the rest.
		 */
		async purgeGrowingTables(nowMs: number) {
			const limited = (table: SQLiteTable, where: SQL) =>
				db.run(
					sql`delete from ${table} where rowid in (select rowid from ${table} where ${where} limit ${PURGE_BATCH})`,
				);
			const results = await db.batch([
				limited(apiKeyRate, sql`${apiKeyRate.windowStart} < ${nowMs - 60 * 60_000}`),
				limited(
					authThrottles,
					sql`${authThrottles.windowStartedAt} < ${nowMs - THROTTLE_KEEP_MS} and (${authThrottles.lockedUntil} is null or ${authThrottles.lockedUntil} < ${nowMs})`,
				),
				limited(emailTokens, sql`${emailTokens.expiresAt} < ${nowMs}`),
				limited(stripeEvents, sql`${stripeEvents.processedAt} < ${nowMs - 30 * DAY_MS}`),
			]);
			const [rates, throttles, tokens, events] = results.map((r) => r.rowsAffected);
			return { rates, throttles, tokens, events };
		},
		/**
		 * Sessions on the apex belong to no organization; operators' console sessions live in their own
		 * table; sign-ups waiting for confirmation belong to nobody yet.
		 */
		async purgeExpiredApexSessions(nowMs: number) {
			const [members, consoles, signups] = await db.batch([
				db.delete(sessions).where(and(isNull(sessions.orgId), lt(sessions.expiresAt, nowMs))),
				db
					.delete(operatorSessions)
					.where(or(lt(operatorSessions.expiresAt, nowMs), lt(operatorSessions.absoluteExpiresAt, nowMs))),
				db.delete(pendingSignups).where(lt(pendingSignups.expiresAt, nowMs)),
			]);
			return members.rowsAffected + consoles.rowsAffected + signups.rowsAffected;
		},
	};
}

export type SystemAccess = ReturnType<typeof systemAccess>;

/** Where an organization's tenant data lives, for background work that starts from its id. */
export function findOrganizationDatabase(db: Db, orgId: string) {
	return db
		.select({
			id: organizations.id,
			isolationTier: organizations.isolationTier,
			databaseUrl: organizations.databaseUrl,
		})
		.from(organizations)
		.where(eq(organizations.id, orgId))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export function listOrganizationsToPurge(db: Db, nowMs: number, orgIds?: readonly string[]) {
	return db
		.select({
			id: organizations.id,
			isolationTier: organizations.isolationTier,
			databaseUrl: organizations.databaseUrl,
			deletionRequestedAt: organizations.deletionRequestedAt,
		})
		.from(organizations)
		.where(
			and(
				eq(organizations.status, "deleted"),
				lt(organizations.purgeAfter, nowMs),
				orgIds ? inArray(organizations.id, [...orgIds]) : undefined,
			),
		);
}

/** Deleting the organization row cascades to its domains, members, roles, invitations, sessions and tokens. */
export function purgeOrganizationWrites(
	db: Db,
	org: { id: string; deletionRequestedAt: number | null },
	nowMs: number,
) {
	return [
		db
			.insert(deletionRecords)
			.values({ orgId: org.id, requestedAt: org.deletionRequestedAt, purgedAt: nowMs })
			.onConflictDoNothing(),
		db.delete(organizations).where(eq(organizations.id, org.id)),
	];
}
