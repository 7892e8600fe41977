// The system accessor: cross-tenant reads and writes for cron jobs and the operator console.
// Its name says what it is; request handlers for a tenant never use it.
import { and, eq, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./client.ts";
import { consoleAccess } from "./ops-console.ts";
import { primaryDomainOf } from "./primary-domain.ts";
import {
	apiKeyRate,
	authThrottles,
	deletionRecords,
	emailTokens,
	invitations,
	loginTickets,
	notifications,
	operatorSessions,
	organizations,
	pendingSignups,
	portalEvents,
	sessions,
	stripeEvents,
	usageEvents,
	usageWatermarks,
} from "./schema.ts";

const DAY_MS = 24 * 60 * 60_000;
/** At most this many rows per table and run: housekeeping stays a bounded job. */
export const PURGE_BATCH = 5000;
/** Throttle counters outlive their 15-minute window by a margin, so a count never resets early. */
const THROTTLE_KEEP_MS = 60 * 60_000;

/** Deletes at most `PURGE_BATCH` rows of `table` matching `where`, through whichever index `where` uses. */
function limited(db: Db, table: SQLiteTable, where: SQL) {
	return db.run(
		sql`delete from ${table} where rowid in (select rowid from ${table} where ${where} limit ${PURGE_BATCH})`,
	);
}

export function systemAccess(db: Db) {
	return {
		/** The operator console's reads across organizations (src/db/ops-console.ts). */
		console: consoleAccess(db),
		/** One active organization as a background job needs it: where its data lives, its portal host. */
		findActiveOrganization(orgId: string) {
			return db
				.select({
					id: organizations.id,
					slug: organizations.slug,
					isolationTier: organizations.isolationTier,
					databaseUrl: organizations.databaseUrl,
					databaseAuthToken: organizations.databaseAuthToken,
					customDomain: primaryDomainOf(organizations.id),
				})
				.from(organizations)
				.where(and(eq(organizations.id, orgId), eq(organizations.status, "active")))
				.limit(1)
				.then((rows) => rows[0] ?? null);
		},
		/**
		 * Expired sessions (portal and apex), login tickets, open invitations, console sessions and
		 * sign-ups waiting for confirmation, across organizations — each through its expiry index, at
		 * most `PURGE_BATCH` rows per table and run. `orgIds` limits it to some organizations (tests).
		 */
		async purgeExpired(nowMs: number, orgIds?: readonly string[]) {
			const inScope = (column: SQLiteColumn) => (orgIds ? sql` and ${column} in ${[...orgIds, ""]}` : sql``);
			const [s, t, i, o, p] = await db.batch([
				limited(db, sessions, sql`${sessions.expiresAt} < ${nowMs}${inScope(sessions.orgId)}`),
				limited(db, loginTickets, sql`${loginTickets.expiresAt} < ${nowMs}${inScope(loginTickets.orgId)}`),
				limited(
					db,
					invitations,
					sql`${invitations.acceptedAt} is null and ${invitations.expiresAt} < ${nowMs}${inScope(invitations.orgId)}`,
				),
				limited(
					db,
					operatorSessions,
					sql`${operatorSessions.expiresAt} < ${nowMs} or ${operatorSessions.absoluteExpiresAt} < ${nowMs}`,
				),
				limited(db, pendingSignups, sql`${pendingSignups.expiresAt} < ${nowMs}`),
			]);
			return {
				sessions: s.rowsAffected,
				loginTickets: t.rowsAffected,
				invitations: i.rowsAffected,
				consoleSessions: o.rowsAffected,
				signups: p.rowsAffected,
			};
		},
		/**
		 * Tenant data past its retention in this database (the shared tier's; a dedicated database gets
		 * the same from its organization's daily job): notifications, portal events, and raw usage events
		 * already folded into the rollups. Bounded like `purgeExpired`.
		 */
		async purgePastRetention(
			cutoffs: { notifications: number; portalEvents: number; usageEvents: number },
			orgIds?: readonly string[],
		) {
			const inScope = (column: SQLiteColumn) => (orgIds ? sql` and ${column} in ${[...orgIds, ""]}` : sql``);
			const [n, p, u] = await db.batch([
				limited(
					db,
					notifications,
					sql`${notifications.createdAt} < ${cutoffs.notifications}${inScope(notifications.orgId)}`,
				),
				limited(
					db,
					portalEvents,
					sql`${portalEvents.createdAt} < ${cutoffs.portalEvents}${inScope(portalEvents.orgId)}`,
				),
				limited(
					db,
					usageEvents,
					sql`${usageEvents.receivedAt} < ${cutoffs.usageEvents} and ${usageEvents.seq} <= coalesce((select w.last_seq from ${usageWatermarks} w where w.org_id = ${usageEvents.orgId}), 0)${inScope(usageEvents.orgId)}`,
				),
			]);
			return { notifications: n.rowsAffected, portalEvents: p.rowsAffected, usageEvents: u.rowsAffected };
		},
		/**
		 * Tables that would only grow: rate windows older than an hour, throttle counters whose window and
		 * lock are over, used or expired email tokens, and Stripe events processed over 30 days ago (Stripe
		 * retries for three). Each delete takes at most `PURGE_BATCH` rows through its index, so one run's
		 * cost is bounded whatever has piled up; the next run takes the rest.
		 */
		async purgeGrowingTables(nowMs: number) {
			const results = await db.batch([
				limited(db, apiKeyRate, sql`${apiKeyRate.windowStart} < ${nowMs - 60 * 60_000}`),
				limited(
					db,
					authThrottles,
					sql`${authThrottles.windowStartedAt} < ${nowMs - THROTTLE_KEEP_MS} and (${authThrottles.lockedUntil} is null or ${authThrottles.lockedUntil} < ${nowMs})`,
				),
				limited(db, emailTokens, sql`${emailTokens.expiresAt} < ${nowMs}`),
				limited(db, stripeEvents, sql`${stripeEvents.processedAt} < ${nowMs - 30 * DAY_MS}`),
			]);
			const [rates, throttles, tokens, events] = results.map((r) => r.rowsAffected);
			return { rates, throttles, tokens, events };
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
			databaseAuthToken: organizations.databaseAuthToken,
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
			databaseAuthToken: organizations.databaseAuthToken,
			deletionRequestedAt: organizations.deletionRequestedAt,
		})
		.from(organizations)
		.where(
			and(
				eq(organizations.status, "deleted"),
				lt(organizations.purgeAfter, nowMs),
				orgIds ? inArray(organizations.id, [...orgIds]) : undefined,
			),
		)
		.limit(PURGE_ORGANIZATIONS);
}

/** Organizations purged per daily run at most (each is a few batches and a few bucket listings). */
export const PURGE_ORGANIZATIONS = 25;

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
