// Directory sync rows of one organization (reached through `orgData()`): its SCIM tokens, the log of
// its latest SCIM requests, and its members as the directory sees them. The one lookup across
// organizations is a token by its hash, which is how a request finds its organization — and it must
// be the organization of the host the request came to.
import { and, asc, desc, eq, isNull, type SQL, sql } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import type { OrgData } from "./org-data.ts";
import { apiKeys, memberships, roles, scimRequests, scimTokens, sessions, users } from "./schema.ts";

/** How many SCIM requests the log keeps per organization. */
export const SCIM_LOG_KEEP = 200;

export function insertScimToken(
	org: OrgData,
	input: { name: string; tokenHash: string; last4: string; createdBy: string },
) {
	const id = newId("sct");
	return { id, query: org.db.insert(scimTokens).values({ id, orgId: org.orgId, ...input }) };
}

export function listScimTokens(org: OrgData) {
	return org.db
		.select({
			id: scimTokens.id,
			name: scimTokens.name,
			last4: scimTokens.last4,
			lastUsedAt: scimTokens.lastUsedAt,
			revokedAt: scimTokens.revokedAt,
			createdAt: scimTokens.createdAt,
		})
		.from(scimTokens)
		.where(org.owns(scimTokens))
		.orderBy(desc(scimTokens.createdAt));
}

/** Revokes a live token of this organization; no row when it is not one (another's, or revoked). */
export function revokeScimToken(org: OrgData, tokenId: string, nowMs: number) {
	return org.db
		.update(scimTokens)
		.set({ revokedAt: nowMs })
		.where(org.owns(scimTokens, and(eq(scimTokens.id, tokenId), isNull(scimTokens.revokedAt))))
		.returning({ id: scimTokens.id, name: scimTokens.name });
}

/** A live token by its hash, with its organization: the caller compares that to the host's. */
export async function findScimToken(db: Db, tokenHash: string) {
	const [row] = await db
		.select({ id: scimTokens.id, orgId: scimTokens.orgId, name: scimTokens.name, lastUsedAt: scimTokens.lastUsedAt })
		.from(scimTokens)
		.where(and(eq(scimTokens.tokenHash, tokenHash), isNull(scimTokens.revokedAt)))
		.limit(1);
	return row ?? null;
}

export function touchScimToken(org: OrgData, tokenId: string, nowMs: number) {
	return org.db
		.update(scimTokens)
		.set({ lastUsedAt: nowMs })
		.where(org.owns(scimTokens, eq(scimTokens.id, tokenId)));
}

export function logScimRequest(
	org: OrgData,
	entry: { tokenId: string | null; method: string; path: string; status: number; error: string | null },
) {
	return org.db.insert(scimRequests).values({ id: newId("scr"), orgId: org.orgId, ...entry });
}

/** Keeps the newest SCIM_LOG_KEEP entries of the organization. */
export function pruneScimLog(org: OrgData) {
	return org.db.run(
		sql`delete from ${scimRequests} where ${scimRequests.orgId} = ${org.orgId} and ${scimRequests.id} not in (select ${scimRequests.id} from ${scimRequests} where ${scimRequests.orgId} = ${org.orgId} order by ${scimRequests.createdAt} desc, ${scimRequests.id} desc limit ${SCIM_LOG_KEEP})`,
	);
}

/** Failed writes within the window that make the directory's managers hear about it. */
export const SCIM_FAILURE_ALERT = { failures: 3, windowMs: 60 * 60_000, quietMs: 24 * 60 * 60_000 };

/**
 * Claims the failure alert for a token: true when its organization's failed SCIM writes reached the
 * threshold within the window and it was not alerted within the quiet period. One conditional update
 * decides, so requests failing at the same moment alert once.
 */
export async function claimFailureAlert(org: OrgData, tokenId: string, nowMs: number): Promise<boolean> {
	const { failures, windowMs, quietMs } = SCIM_FAILURE_ALERT;
	const failed = sql`(select count(*) from ${scimRequests} where ${scimRequests.orgId} = ${org.orgId} and ${scimRequests.method} <> 'GET' and ${scimRequests.status} >= 400 and ${scimRequests.status} <> 404 and ${scimRequests.createdAt} > ${nowMs - windowMs})`;
	const rows = await org.db
		.update(scimTokens)
		.set({ failureAlertedAt: nowMs })
		.where(
			org.owns(
				scimTokens,
				and(
					eq(scimTokens.id, tokenId),
					sql`(${scimTokens.failureAlertedAt} is null or ${scimTokens.failureAlertedAt} < ${nowMs - quietMs})`,
					sql`${failed} >= ${failures}`,
				),
			),
		)
		.returning({ id: scimTokens.id });
	return rows.length > 0;
}

export function listScimRequests(org: OrgData, limit = 50) {
	return org.db
		.select()
		.from(scimRequests)
		.where(org.owns(scimRequests))
		.orderBy(desc(scimRequests.createdAt), desc(scimRequests.id))
		.limit(limit);
}

// ── Members as SCIM Users ────────────────────────────────────────────────────────────────────

const directoryUser = {
	id: memberships.id,
	userId: users.id,
	email: users.email,
	name: users.name,
	externalId: memberships.directoryExternalId,
	managed: memberships.directoryManaged,
	deprovisionedAt: memberships.deprovisionedAt,
	roleId: memberships.roleId,
	roleName: roles.name,
	createdAt: memberships.createdAt,
};

export type DirectoryUser = {
	id: string;
	userId: string;
	email: string;
	name: string;
	externalId: string | null;
	managed: boolean;
	deprovisionedAt: number | null;
	roleId: string;
	roleName: string;
	createdAt: number;
};

function usersQuery(org: OrgData, where?: SQL) {
	return org.db
		.select(directoryUser)
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.innerJoin(roles, eq(roles.id, memberships.roleId))
		.where(org.owns(memberships, where));
}

/**
 * One page of members matching `filter`, and how many match in all — one round trip. `startIndex` is
 * 1-based (RFC 7644 §3.4.2.4); members are ordered by their id, which never changes.
 */
export async function listDirectoryUsers(
	org: OrgData,
	input: { filter: SQL | undefined; startIndex: number; count: number; visibleOnly?: boolean },
): Promise<{ total: number; users: DirectoryUser[] }> {
	// Removed from the directory (DELETE): deprovisioned and no longer managed — not a SCIM resource.
	const where = input.visibleOnly
		? and(input.filter, sql`not (${memberships.deprovisionedAt} is not null and ${memberships.directoryManaged} = 0)`)
		: input.filter;
	const page = usersQuery(org, where)
		.orderBy(asc(memberships.id))
		.limit(input.count)
		.offset(input.startIndex - 1);
	const total = org.db
		.select({ n: sql<number>`count(*)` })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(org.owns(memberships, where));
	if (input.count === 0) {
		const [counted] = await total;
		return { total: counted?.n ?? 0, users: [] };
	}
	const [rows, counted] = await org.db.batch([page, total]);
	return { total: counted[0]?.n ?? 0, users: rows };
}

export async function findDirectoryUser(org: OrgData, membershipId: string): Promise<DirectoryUser | null> {
	const [row] = await usersQuery(org, eq(memberships.id, membershipId)).limit(1);
	return row ?? null;
}

export function setDirectoryFields(
	org: OrgData,
	membershipId: string,
	fields: { directoryExternalId?: string | null; directoryManaged?: boolean; deprovisionedAt?: number | null },
) {
	return org.db
		.update(memberships)
		.set(fields)
		.where(org.owns(memberships, eq(memberships.id, membershipId)));
}

/** The person's membership here, if any (a deprovisioned one included). */
export async function findMembershipOf(org: OrgData, userId: string) {
	const [row] = await org.db
		.select({ id: memberships.id })
		.from(memberships)
		.where(org.owns(memberships, eq(memberships.userId, userId)))
		.limit(1);
	return row ?? null;
}

/** Up to `limit` memberships of the person in any organization: whether they belong elsewhere too. */
export function membershipsOfUser(db: Db, userId: string, limit: number) {
	return db.select({ id: memberships.id }).from(memberships).where(eq(memberships.userId, userId)).limit(limit);
}

export function setUserName(db: Db, userId: string, name: string) {
	return db.update(users).set({ name }).where(eq(users.id, userId));
}

/** Deactivation's writes: no sessions on this organization's hosts, no API key here owned by them. */
export function deactivationWrites(org: OrgData, userId: string) {
	return [
		org.db.delete(sessions).where(org.owns(sessions, eq(sessions.userId, userId))),
		org.db
			.update(apiKeys)
			.set({ createdBy: null })
			.where(and(eq(apiKeys.orgId, org.orgId), eq(apiKeys.createdBy, userId))),
	];
}
