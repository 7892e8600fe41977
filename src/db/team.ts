// Members, invitations and roles of one organization (control plane). Every query takes the
// organization's id and puts it in its WHERE: another organization's member, invitation or role is
// simply not found.
import { and, asc, count, eq, gt, inArray, isNull, or, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { BUILT_IN_ROLES } from "../auth/permissions.ts";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import { roleSourceSql } from "./directory-groups.ts";
import type { OrgData } from "./org-data.ts";
import { invitations, memberships, organizations, roles, sessions, users } from "./schema.ts";

export const OWNER_ROLE_ID = BUILT_IN_ROLES.owner.id;
export const PAGE_SIZE = 25;

function pendingInvitation(org: OrgData, nowMs: number) {
	return and(
		org.owns(invitations),
		isNull(invitations.acceptedAt),
		isNull(invitations.revokedAt),
		gt(invitations.expiresAt, nowMs),
	);
}

function memberListQuery(org: OrgData, search: string, afterId: string | null) {
	const pattern = `%${search.replace(/[%_\\]/g, "\\$&")}%`;
	return org.db
		.select({
			id: memberships.id,
			userId: users.id,
			name: users.name,
			email: users.email,
			roleId: roles.id,
			roleName: roles.name,
			mfaEnabled: users.mfaEnabled,
			joinedAt: memberships.createdAt,
			lastActiveAt: memberships.lastActiveAt,
			directoryManaged: memberships.directoryManaged,
			deprovisionedAt: memberships.deprovisionedAt,
			roleGroup: roleSourceSql,
		})
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.innerJoin(roles, eq(roles.id, memberships.roleId))
		.where(
			and(
				org.owns(memberships),
				search
					? or(sql`${users.name} like ${pattern} escape '\\'`, sql`${users.email} like ${pattern} escape '\\'`)
					: undefined,
				afterId ? gt(memberships.id, afterId) : undefined,
			),
		)
		.orderBy(asc(memberships.id))
		.limit(PAGE_SIZE + 1);
}

function invitationListQuery(org: OrgData, nowMs: number) {
	return org.db
		.select({
			id: invitations.id,
			email: invitations.email,
			roleName: roles.name,
			expiresAt: invitations.expiresAt,
			createdAt: invitations.createdAt,
		})
		.from(invitations)
		.innerJoin(roles, eq(roles.id, invitations.roleId))
		.where(pendingInvitation(org, nowMs))
		.orderBy(asc(invitations.createdAt))
		.limit(200);
}

export function rolesQuery(org: OrgData) {
	return org.db
		.select({
			id: roles.id,
			name: roles.name,
			key: roles.key,
			permissions: roles.permissions,
			builtIn: roles.builtIn,
			// A join, not a correlated subquery: drizzle writes a single-table select's columns unqualified,
			// and inside the subquery an unqualified "id" is the membership's own id (every role read 0).
			members: sql<number>`count(${memberships.id})`,
		})
		.from(roles)
		.leftJoin(memberships, and(eq(memberships.roleId, roles.id), org.owns(memberships)))
		.where(org.ownsOrBuiltIn(roles))
		.groupBy(roles.id)
		.orderBy(sql`${roles.builtIn} desc`, asc(roles.name));
}

/**
 * The seats in use: members plus pending invitations — the one figure the plan's seat limit is held
 * against, shown on Team, Usage and in the console alike.
 */
export function seatCountQuery(db: Db, orgId: string | SQL, nowMs: number | SQLWrapper) {
	return db.select({ seats: seatsUsedSql(orgId, nowMs) }).from(sql`(select 1)`);
}

function seatsUsedSql(orgId: string | SQL, nowMs: number | SQLWrapper) {
	return sql<number>`((select count(*) from ${memberships} where ${memberships.orgId} = ${orgId} and ${memberships.deprovisionedAt} is null) + (select count(*) from ${invitations} where ${invitations.orgId} = ${orgId} and ${invitations.acceptedAt} is null and ${invitations.revokedAt} is null and ${invitations.expiresAt} > ${nowMs}))`;
}

/**
 * The seat limit as a precondition of the write that takes seats (`requireThat`): decided inside the
 * batch, so invitations sent at the same moment cannot together pass the plan's limit.
 */
export function seatsFree(org: OrgData, nowMs: number, limit: number | null, adding: number) {
	return limit === null ? sql`1` : sql`${seatsUsedSql(org.orgId, nowMs)} + ${adding} <= ${limit}`;
}

/** Everything the team page shows, in one round trip. */
export async function loadTeamPage(org: OrgData, input: { search: string; afterId: string | null; nowMs: number }) {
	const [members, pending, roleRows, seats] = await org.db.batch([
		memberListQuery(org, input.search, input.afterId),
		invitationListQuery(org, input.nowMs),
		rolesQuery(org),
		seatCountQuery(org.db, org.orgId, input.nowMs),
	]);
	return {
		members: members.slice(0, PAGE_SIZE),
		nextCursor: members.length > PAGE_SIZE ? (members[PAGE_SIZE - 1]?.id ?? null) : null,
		invitations: pending,
		roles: roleRows,
		seatsUsed: seats[0]?.seats ?? 0,
	};
}

export async function countSeatsUsed(org: OrgData, nowMs: number): Promise<number> {
	const [row] = await seatCountQuery(org.db, org.orgId, nowMs);
	return row?.seats ?? 0;
}

// ── Members ──────────────────────────────────────────────────────────────────────────────────

export function findMember(org: OrgData, membershipId: string) {
	return org.db
		.select({
			id: memberships.id,
			userId: memberships.userId,
			roleId: memberships.roleId,
			permissions: roles.permissions,
			name: users.name,
			email: users.email,
			directoryManaged: memberships.directoryManaged,
			deprovisionedAt: memberships.deprovisionedAt,
		})
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.innerJoin(roles, eq(roles.id, memberships.roleId))
		.where(and(org.owns(memberships), eq(memberships.id, membershipId)))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export function setMemberRole(org: OrgData, membershipId: string, roleId: string) {
	return org.db
		.update(memberships)
		.set({ roleId })
		.where(and(org.owns(memberships), eq(memberships.id, membershipId)));
}

/** Removing a member also ends their sessions on this organization's hosts, in the same batch. */
export function removeMemberWrites(org: OrgData, member: { id: string; userId: string }) {
	return [
		org.db.delete(memberships).where(and(org.owns(memberships), eq(memberships.id, member.id))),
		org.db.delete(sessions).where(and(org.owns(sessions), eq(sessions.userId, member.userId))),
	];
}

export function insertMembership(
	org: OrgData,
	userId: string,
	roleId: string,
	extra: Partial<
		Pick<typeof memberships.$inferInsert, "id" | "directoryManaged" | "directoryExternalId" | "deprovisionedAt">
	> = {},
) {
	const { id = newId("mem"), ...directory } = extra;
	return org.db.insert(memberships).values({ id, ...directory, orgId: org.orgId, userId, roleId });
}

export function isMember(org: OrgData, email: string) {
	return org.db
		.select({ id: memberships.id })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(org.owns(memberships), eq(users.email, email)))
		.limit(1)
		.then((rows) => rows.length > 0);
}

export function membersWithEmails(org: OrgData, emails: string[]) {
	return org.db
		.select({ email: users.email })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(org.owns(memberships), inArray(users.email, emails)));
}

export function touchMembership(db: Db, membershipId: string, nowMs: number) {
	return db.update(memberships).set({ lastActiveAt: nowMs }).where(eq(memberships.id, membershipId));
}

// ── Invitations ──────────────────────────────────────────────────────────────────────────────

export function pendingInvitationsFor(org: OrgData, emails: string[], nowMs: number) {
	return org.db
		.select({ email: invitations.email })
		.from(invitations)
		.where(and(pendingInvitation(org, nowMs), inArray(invitations.email, emails)));
}

export function insertInvitation(
	org: OrgData,
	input: {
		email: string;
		roleId: string;
		tokenHash: string;
		invitedBy: string | null;
		expiresAt: number;
	},
) {
	const id = newId("inv");
	return { id, query: org.db.insert(invitations).values({ id, orgId: org.orgId, ...input }) };
}

export function findPendingInvitation(org: OrgData, invitationId: string, nowMs: number) {
	return org.db
		.select()
		.from(invitations)
		.where(and(eq(invitations.id, invitationId), pendingInvitation(org, nowMs)))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export function renewInvitation(org: OrgData, invitationId: string, tokenHash: string, expiresAt: number) {
	return org.db
		.update(invitations)
		.set({ tokenHash, expiresAt })
		.where(and(org.owns(invitations), eq(invitations.id, invitationId)));
}

export function revokeInvitation(org: OrgData, invitationId: string, nowMs: number) {
	return org.db
		.update(invitations)
		.set({ revokedAt: nowMs })
		.where(and(org.owns(invitations), eq(invitations.id, invitationId)));
}

/** The pending invitation behind a link, for this organization only. */
export function findInvitationByToken(org: OrgData, tokenHash: string, nowMs: number) {
	return org.db
		.select({ id: invitations.id, email: invitations.email, roleId: invitations.roleId, roleName: roles.name })
		.from(invitations)
		.innerJoin(roles, eq(roles.id, invitations.roleId))
		.where(and(eq(invitations.tokenHash, tokenHash), pendingInvitation(org, nowMs)))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

/** Marks the invitation accepted only if it is still pending: a second acceptance finds nothing to update. */
export function acceptInvitation(org: OrgData, invitationId: string, nowMs: number) {
	return org.db
		.update(invitations)
		.set({ acceptedAt: nowMs })
		.where(and(eq(invitations.id, invitationId), pendingInvitation(org, nowMs)))
		.returning({ id: invitations.id });
}

// ── Roles ────────────────────────────────────────────────────────────────────────────────────

/** A built-in role or one of this organization's custom roles. */
export function findRole(org: OrgData, roleId: string) {
	return org.db
		.select()
		.from(roles)
		.where(and(eq(roles.id, roleId), org.ownsOrBuiltIn(roles)))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export function findCustomRole(org: OrgData, roleId: string) {
	return org.db
		.select()
		.from(roles)
		.where(and(eq(roles.id, roleId), org.owns(roles)))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export function insertRole(org: OrgData, input: { name: string; key: string; permissions: string[] }) {
	const id = newId("rol");
	return { id, query: org.db.insert(roles).values({ id, orgId: org.orgId, builtIn: false, ...input }) };
}

export function updateRole(org: OrgData, roleId: string, input: { name: string; permissions: string[] }) {
	return org.db
		.update(roles)
		.set(input)
		.where(and(org.owns(roles), eq(roles.id, roleId)));
}

/** Deleting a role also deletes the finished (accepted, revoked, expired) invitations that named it. */
export function deleteRoleWrites(org: OrgData, roleId: string) {
	return [
		org.db.delete(invitations).where(and(org.owns(invitations), eq(invitations.roleId, roleId))),
		org.db.delete(roles).where(and(org.owns(roles), eq(roles.id, roleId))),
	];
}

export async function countPendingInvitationsForRole(org: OrgData, roleId: string, nowMs: number): Promise<number> {
	const [row] = await org.db
		.select({ n: count() })
		.from(invitations)
		.where(and(pendingInvitation(org, nowMs), eq(invitations.roleId, roleId)));
	return row?.n ?? 0;
}

export async function countRoleMembers(org: OrgData, roleId: string): Promise<number> {
	const [row] = await org.db
		.select({ n: count() })
		.from(memberships)
		.where(and(org.owns(memberships), eq(memberships.roleId, roleId)));
	return row?.n ?? 0;
}

// ── Organization-level team settings ─────────────────────────────────────────────────────────

export function setInviteLink(org: OrgData, token: string | null, domains: string[]) {
	return org.db.update(organizations).set({ inviteLinkToken: token, inviteLinkDomains: domains }).where(org.ownRow());
}

export function setOwnershipNominee(org: OrgData, nomineeUserId: string | null, nominatedBy: string | null) {
	return org.db
		.update(organizations)
		.set({ ownershipNomineeId: nomineeUserId, ownershipNominatedBy: nominatedBy })
		.where(org.ownRow());
}

/** True while `nomineeId`'s nomination by `nominatorId` stands and the nominator is still an Owner. */
export function nominationStands(org: OrgData, nomineeId: string, nominatorId: string) {
	return sql`exists (select 1 from ${organizations} where ${org.ownRow()} and ${organizations.ownershipNomineeId} = ${nomineeId} and ${organizations.ownershipNominatedBy} = ${nominatorId}) and exists (select 1 from ${memberships} where ${org.owns(memberships)} and ${memberships.userId} = ${nominatorId} and ${memberships.roleId} = ${OWNER_ROLE_ID})`;
}

/** The nominator hands over: an Owner becomes an Admin (nothing happens to anyone else). */
export function demoteOwner(org: OrgData, userId: string) {
	return org.db
		.update(memberships)
		.set({ roleId: BUILT_IN_ROLES.admin.id })
		.where(and(org.owns(memberships), eq(memberships.userId, userId), eq(memberships.roleId, OWNER_ROLE_ID)));
}

export function findMemberByUser(org: OrgData, userId: string) {
	return org.db
		.select({ id: memberships.id, userId: memberships.userId, roleId: memberships.roleId })
		.from(memberships)
		.where(and(org.owns(memberships), eq(memberships.userId, userId)))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export function pendingInvitationIdFor(org: OrgData, email: string, nowMs: number) {
	return org.db
		.select({ id: invitations.id })
		.from(invitations)
		.where(and(pendingInvitation(org, nowMs), eq(invitations.email, email)))
		.limit(1)
		.then((rows) => rows[0]?.id ?? null);
}

export function touchMembershipOf(org: OrgData, userId: string, nowMs: number) {
	return org.db
		.update(memberships)
		.set({ lastActiveAt: nowMs })
		.where(and(org.owns(memberships), eq(memberships.userId, userId)));
}

export function markTourDone(db: Db, membershipId: string, nowMs: number) {
	return db
		.update(memberships)
		.set({ tourDoneAt: nowMs })
		.where(and(eq(memberships.id, membershipId), isNull(memberships.tourDoneAt)));
}

export function dismissChecklist(db: Db, membershipId: string, nowMs: number) {
	return db.update(memberships).set({ checklistDismissedAt: nowMs }).where(eq(memberships.id, membershipId));
}
