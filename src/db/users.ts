// Users, their organizations and their credentials (control plane).
import { and, count, eq, isNull, ne } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import { memberships, organizations, roles, sessions, users } from "./schema.ts";

export function findUserByEmail(db: Db, email: string) {
	return db
		.select()
		.from(users)
		.where(eq(users.email, email))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export function findUserById(db: Db, userId: string) {
	return db
		.select()
		.from(users)
		.where(eq(users.id, userId))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export function insertUser(
	db: Db,
	input: { email: string; name: string; passwordHash: string | null; emailVerifiedAt?: number | null },
) {
	const id = newId("usr");
	return { id, query: db.insert(users).values({ id, ...input }) };
}

export function setPasswordHash(db: Db, userId: string, passwordHash: string) {
	return db.update(users).set({ passwordHash }).where(eq(users.id, userId));
}

export function setEmail(db: Db, userId: string, email: string) {
	return db.update(users).set({ email, emailVerifiedAt: Date.now() }).where(eq(users.id, userId));
}

export function markEmailVerified(db: Db, userId: string) {
	return db
		.update(users)
		.set({ emailVerifiedAt: Date.now() })
		.where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)));
}

export function setMfaEnabled(db: Db, userId: string, enabled: boolean) {
	return db.update(users).set({ mfaEnabled: enabled }).where(eq(users.id, userId));
}

/** The membership (with role) of a user in one organization, or null. */
/** The person's membership in the organization, unless the directory deprovisioned it (no sign-in then). */
export function findMembership(db: Db, userId: string, orgId: string) {
	return db
		.select({ id: memberships.id, roleName: roles.name, permissions: roles.permissions })
		.from(memberships)
		.innerJoin(roles, eq(roles.id, memberships.roleId))
		.where(and(eq(memberships.userId, userId), eq(memberships.orgId, orgId), isNull(memberships.deprovisionedAt)))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

/** Every active organization a user belongs to, for the organization switcher. */
export function listUserOrganizations(db: Db, userId: string) {
	return db
		.select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
		.from(memberships)
		.innerJoin(organizations, eq(organizations.id, memberships.orgId))
		.where(and(eq(memberships.userId, userId), eq(organizations.status, "active")))
		.orderBy(organizations.name);
}

export function deleteOtherSessions(db: Db, userId: string, keepSessionId: string | null) {
	return db
		.delete(sessions)
		.where(and(eq(sessions.userId, userId), keepSessionId ? ne(sessions.id, keepSessionId) : undefined));
}

export function updateProfile(db: Db, userId: string, input: { name: string; timeZone: string; locale: string }) {
	return db.update(users).set(input).where(eq(users.id, userId));
}

export function setAvatarKey(db: Db, userId: string, avatarKey: string | null) {
	return db.update(users).set({ avatarKey }).where(eq(users.id, userId));
}

/** Organizations where this user is the only Owner: deleting the account would leave them ownerless. */
export async function organizationsOnlyOwnedBy(db: Db, userId: string) {
	const owned = await db
		.select({ orgId: memberships.orgId, name: organizations.name })
		.from(memberships)
		.innerJoin(organizations, eq(organizations.id, memberships.orgId))
		.where(and(eq(memberships.userId, userId), eq(memberships.roleId, "rol_builtin_owner")));
	const result = [];
	for (const org of owned) {
		const [row] = await db
			.select({ n: count() })
			.from(memberships)
			.where(and(eq(memberships.orgId, org.orgId), eq(memberships.roleId, "rol_builtin_owner")));
		if ((row?.n ?? 0) <= 1) result.push(org.name);
	}
	return result;
}

/** Deleting a user cascades to memberships, sessions, identities, MFA factors and tokens. */
export function deleteUser(db: Db, userId: string) {
	return db.delete(users).where(eq(users.id, userId));
}
