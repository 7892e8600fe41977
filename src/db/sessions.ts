// Session rows. The cookie carries a random token; only its SHA-256 is stored.
import { and, eq } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import { memberships, roles, sessions, users } from "./schema.ts";

export function insertSession(
	db: Db,
	input: {
		tokenHash: string;
		userId: string;
		orgId: string | null;
		host: string;
		expiresAt: number;
		ip: string | null;
		userAgent: string | null;
	},
) {
	const nowMs = Date.now();
	return db.insert(sessions).values({ id: newId("ses", nowMs), lastSeenAt: nowMs, createdAt: nowMs, ...input });
}

export function deleteSession(db: Db, sessionId: string) {
	return db.delete(sessions).where(eq(sessions.id, sessionId));
}

export function extendSession(db: Db, sessionId: string, expiresAt: number) {
	return db.update(sessions).set({ expiresAt, lastSeenAt: Date.now() }).where(eq(sessions.id, sessionId));
}

/** The user with this email and, when `orgId` is given, their membership and role in that organization. */
export async function findSignInCandidate(db: Db, email: string, orgId: string | null) {
	const rows = await db
		.select({
			userId: users.id,
			name: users.name,
			passwordHash: users.passwordHash,
			isOperator: users.isOperator,
			membershipId: memberships.id,
			roleName: roles.name,
		})
		.from(users)
		.leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, orgId ?? "")))
		.leftJoin(roles, eq(roles.id, memberships.roleId))
		.where(eq(users.email, email))
		.limit(1);
	return rows[0] ?? null;
}
