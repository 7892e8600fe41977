// Directory groups of one organization (reached through `orgData()`): the groups its identity provider
// pushes, who is in them, and the role each maps to. A directory-managed member's role follows their
// mapped groups: `recomputeRoles` is written in the same batch as the change that can move it, and
// decides from the rows as they are at that moment — two changes at once cannot leave a stale role.
import { and, asc, eq, inArray, notInArray, type SQL, sql } from "drizzle-orm";
import type { OrgData } from "./org-data.ts";
import { directoryGroupMembers, directoryGroups, memberships, roles, users } from "./schema.ts";

export type DirectoryGroup = {
	id: string;
	displayName: string;
	externalId: string | null;
	roleId: string | null;
	roleName: string | null;
	createdAt: number;
	updatedAt: number;
};

export type GroupMember = { groupId: string; value: string; display: string };

const groupColumns = {
	id: directoryGroups.id,
	displayName: directoryGroups.displayName,
	externalId: directoryGroups.externalId,
	roleId: directoryGroups.roleId,
	roleName: roles.name,
	createdAt: directoryGroups.createdAt,
	updatedAt: directoryGroups.updatedAt,
};

function groupsQuery(org: OrgData, where?: SQL) {
	return org.db
		.select(groupColumns)
		.from(directoryGroups)
		.leftJoin(roles, eq(roles.id, directoryGroups.roleId))
		.where(org.owns(directoryGroups, where));
}

function membersOf(org: OrgData, groupIds: SQL) {
	return org.db
		.select({ groupId: directoryGroupMembers.groupId, value: directoryGroupMembers.membershipId, display: users.name })
		.from(directoryGroupMembers)
		.innerJoin(memberships, eq(memberships.id, directoryGroupMembers.membershipId))
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(eq(directoryGroupMembers.orgId, org.orgId), sql`${directoryGroupMembers.groupId} in ${groupIds}`))
		.orderBy(asc(directoryGroupMembers.groupId), asc(directoryGroupMembers.membershipId));
}

/**
 * One page of groups matching `filter`, how many match, and (unless left out) the page's members — one
 * round trip. Ordered by id, `startIndex` 1-based.
 */
export async function listDirectoryGroups(
	org: OrgData,
	input: { filter: SQL | undefined; startIndex: number; count: number; withMembers: boolean },
): Promise<{ total: number; groups: DirectoryGroup[]; members: GroupMember[] }> {
	const total = org.db
		.select({ n: sql<number>`count(*)` })
		.from(directoryGroups)
		.where(org.owns(directoryGroups, input.filter));
	if (input.count === 0) {
		const [counted] = await total;
		return { total: counted?.n ?? 0, groups: [], members: [] };
	}
	const pageIds = sql`(select ${directoryGroups.id} from ${directoryGroups} where ${org.owns(directoryGroups, input.filter)} order by ${directoryGroups.id} limit ${input.count} offset ${input.startIndex - 1})`;
	const page = groupsQuery(org, input.filter)
		.orderBy(asc(directoryGroups.id))
		.limit(input.count)
		.offset(input.startIndex - 1);
	if (!input.withMembers) {
		const [groups, counted] = await org.db.batch([page, total]);
		return { total: counted[0]?.n ?? 0, groups, members: [] };
	}
	const [groups, counted, members] = await org.db.batch([page, total, membersOf(org, pageIds)]);
	return { total: counted[0]?.n ?? 0, groups, members };
}

/** One group and (unless left out) its members — one round trip. */
export async function findDirectoryGroup(org: OrgData, groupId: string, withMembers = true) {
	const one = groupsQuery(org, eq(directoryGroups.id, groupId)).limit(1);
	if (!withMembers) {
		const [group] = await one;
		return group ? { group, members: [] as GroupMember[] } : null;
	}
	const [[group], members] = await org.db.batch([one, membersOf(org, sql`(${groupId})`)]);
	return group ? { group, members } : null;
}

export function insertGroup(
	org: OrgData,
	input: { id: string; displayName: string; externalId: string | null; nowMs: number },
) {
	return org.db.insert(directoryGroups).values({
		id: input.id,
		orgId: org.orgId,
		displayName: input.displayName,
		externalId: input.externalId,
		updatedAt: input.nowMs,
	});
}

export function updateGroup(
	org: OrgData,
	groupId: string,
	fields: { displayName?: string; externalId?: string | null; updatedAt: number },
) {
	return org.db
		.update(directoryGroups)
		.set(fields)
		.where(org.owns(directoryGroups, eq(directoryGroups.id, groupId)));
}

export function deleteGroup(org: OrgData, groupId: string) {
	return org.db.delete(directoryGroups).where(org.owns(directoryGroups, eq(directoryGroups.id, groupId)));
}

/** Maps a group to a role (null: to none); the database refuses the Owner role and another's role. */
export function setGroupRole(org: OrgData, groupId: string, roleId: string | null, nowMs: number) {
	return org.db
		.update(directoryGroups)
		.set({ roleId, updatedAt: nowMs })
		.where(org.owns(directoryGroups, eq(directoryGroups.id, groupId)))
		.returning({ id: directoryGroups.id });
}

export function addGroupMembers(org: OrgData, groupId: string, membershipIds: string[]) {
	return org.db
		.insert(directoryGroupMembers)
		.values(membershipIds.map((membershipId) => ({ groupId, membershipId, orgId: org.orgId })))
		.onConflictDoNothing();
}

/** Takes out of the group the members `which` names: some (`in`) or all but some (`notIn`). */
export function removeGroupMembers(org: OrgData, groupId: string, which: { in: string[] } | { notIn: string[] }) {
	const column = directoryGroupMembers.membershipId;
	return org.db
		.delete(directoryGroupMembers)
		.where(
			org.owns(
				directoryGroupMembers,
				and(
					eq(directoryGroupMembers.groupId, groupId),
					"in" in which
						? inArray(column, which.in)
						: which.notIn.length > 0
							? notInArray(column, which.notIn)
							: undefined,
				),
			),
		);
}

export function leaveAllGroups(org: OrgData, membershipId: string) {
	return org.db
		.delete(directoryGroupMembers)
		.where(org.owns(directoryGroupMembers, eq(directoryGroupMembers.membershipId, membershipId)));
}

export async function groupMemberIds(org: OrgData, groupId: string): Promise<string[]> {
	const rows = await org.db
		.select({ id: directoryGroupMembers.membershipId })
		.from(directoryGroupMembers)
		.where(and(eq(directoryGroupMembers.orgId, org.orgId), eq(directoryGroupMembers.groupId, groupId)));
	return rows.map((r) => r.id);
}

/** Which of `ids` are users the directory sees here (members of this organization it did not remove). */
export async function knownUserIds(org: OrgData, ids: string[]): Promise<Set<string>> {
	if (ids.length === 0) return new Set();
	const rows = await org.db
		.select({ id: memberships.id })
		.from(memberships)
		.where(
			org.owns(
				memberships,
				and(
					inArray(memberships.id, ids),
					sql`not (${memberships.deprovisionedAt} is not null and ${memberships.directoryManaged} = 0)`,
				),
			),
		);
	return new Set(rows.map((r) => r.id));
}

/** Admin first, then custom roles, then Member; ties by group name. */
const RANK = sql`case ${directoryGroups.roleId} when 'rol_builtin_admin' then 0 when 'rol_builtin_member' then 2 else 1 end`;

/**
 * Sets the role of the directory-managed members `who` from their mapped groups (leaving out
 * `excludeGroupId`, a group about to be deleted): the highest mapped role, or `defaultRoleId` when no
 * group of theirs maps to one. Owners keep their role: ownership moves only by hand.
 */
export function recomputeRoles(
	org: OrgData,
	input: { who: string[] | { groupId: string }; excludeGroupId?: string; defaultRoleId: string },
) {
	const who = Array.isArray(input.who)
		? inArray(memberships.id, input.who)
		: sql`${memberships.id} in (select ${directoryGroupMembers.membershipId} from ${directoryGroupMembers} where ${directoryGroupMembers.groupId} = ${input.who.groupId})`;
	const excluded = input.excludeGroupId ? sql` and ${directoryGroups.id} <> ${input.excludeGroupId}` : sql``;
	const mapped = sql`(select ${directoryGroups.roleId} from ${directoryGroupMembers} join ${directoryGroups} on ${directoryGroups.id} = ${directoryGroupMembers.groupId} where ${directoryGroupMembers.membershipId} = ${memberships.id} and ${directoryGroups.roleId} is not null${excluded} order by ${RANK}, ${directoryGroups.displayName} limit 1)`;
	return org.db
		.update(memberships)
		.set({ roleId: sql`coalesce(${mapped}, ${input.defaultRoleId})` })
		.where(
			org.owns(
				memberships,
				and(eq(memberships.directoryManaged, true), sql`${memberships.roleId} <> 'rol_builtin_owner'`, who),
			),
		);
}

/** The groups as the portal's mapping table shows them, with how many members each has. */
export function groupsForPortal(org: OrgData) {
	return org.db
		.select({
			id: directoryGroups.id,
			displayName: directoryGroups.displayName,
			roleId: directoryGroups.roleId,
			// A join, not a correlated subquery: a single-table select's columns are written unqualified.
			members: sql<number>`count(${directoryGroupMembers.membershipId})`,
		})
		.from(directoryGroups)
		.leftJoin(directoryGroupMembers, eq(directoryGroupMembers.groupId, directoryGroups.id))
		.where(org.owns(directoryGroups))
		.groupBy(directoryGroups.id)
		.orderBy(asc(directoryGroups.displayName))
		.limit(500);
}

/**
 * The mapped group a member's role comes from, for a select over `memberships`: only directory-managed
 * members who are not Owners (an Owner's role is never the directory's).
 */
export const roleSourceSql = sql<
	string | null
>`(select ${directoryGroups.displayName} from ${directoryGroupMembers} join ${directoryGroups} on ${directoryGroups.id} = ${directoryGroupMembers.groupId} where ${directoryGroupMembers.membershipId} = ${memberships.id} and ${directoryGroups.roleId} is not null and ${memberships.directoryManaged} = 1 and ${memberships.roleId} <> 'rol_builtin_owner' order by ${RANK}, ${directoryGroups.displayName} limit 1)`;

/** The mapped group a member's role comes from, if any: then the role is not changed by hand. */
export async function roleSourceOf(org: OrgData, membershipId: string): Promise<string | null> {
	const [row] = await org.db
		.select({ group: roleSourceSql })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(org.owns(memberships, eq(memberships.id, membershipId)))
		.limit(1);
	return row?.group ?? null;
}
