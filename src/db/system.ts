// The system accessor: cross-tenant reads and writes for cron jobs and the operator console.
// Its name says what it is; request handlers for a tenant never use it.
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "./client.ts";
import { invitations, loginTickets, organizations, sessions } from "./schema.ts";

export function systemAccess(db: Db) {
	return {
		listActiveOrganizations() {
			return db
				.select({
					id: organizations.id,
					slug: organizations.slug,
					isolationTier: organizations.isolationTier,
					databaseUrl: organizations.databaseUrl,
				})
				.from(organizations)
				.where(eq(organizations.status, "active"))
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
		/** Sessions on the apex (operators) belong to no organization. */
		async purgeExpiredApexSessions(nowMs: number) {
			const result = await db.delete(sessions).where(and(isNull(sessions.orgId), lt(sessions.expiresAt, nowMs)));
			return result.rowsAffected;
		},
	};
}

export type SystemAccess = ReturnType<typeof systemAccess>;
