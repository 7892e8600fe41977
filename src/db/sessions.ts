// Session rows. The cookie carries a random token; only its SHA-256 is stored.
import { and, desc, eq, gt } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import { unusedRecoveryCodesQuery } from "./mfa.ts";
import { sessions } from "./schema.ts";

export interface NewSession {
	id?: string;
	tokenHash: string;
	userId: string;
	orgId: string | null;
	host: string;
	expiresAt: number;
	absoluteExpiresAt: number;
	mfaVerified: boolean;
	ip: string | null;
	userAgent: string | null;
	viewAsOperatorId?: string | null;
	viewAsOperatorLabel?: string | null;
	signInMethod?: string | null;
}

export function insertSession(db: Db, input: NewSession) {
	const nowMs = Date.now();
	return db.insert(sessions).values({
		lastSeenAt: nowMs,
		authenticatedAt: nowMs,
		createdAt: nowMs,
		...input,
		id: input.id ?? newId("ses", nowMs),
	});
}

export function deleteSession(db: Db, sessionId: string) {
	return db.delete(sessions).where(eq(sessions.id, sessionId));
}

export function deleteUserSession(db: Db, userId: string, sessionId: string) {
	return db.delete(sessions).where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)));
}

export function touchSession(db: Db, sessionId: string, expiresAt: number, nowMs: number) {
	return db.update(sessions).set({ expiresAt, lastSeenAt: nowMs }).where(eq(sessions.id, sessionId));
}

export function listUserSessions(db: Db, userId: string, nowMs: number) {
	return db
		.select({
			id: sessions.id,
			host: sessions.host,
			ip: sessions.ip,
			userAgent: sessions.userAgent,
			lastSeenAt: sessions.lastSeenAt,
			createdAt: sessions.createdAt,
		})
		.from(sessions)
		.where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, nowMs), gt(sessions.absoluteExpiresAt, nowMs)))
		.orderBy(desc(sessions.lastSeenAt))
		.limit(100);
}

export function markAuthenticated(db: Db, sessionId: string, nowMs: number) {
	return db.update(sessions).set({ authenticatedAt: nowMs }).where(eq(sessions.id, sessionId));
}

/** The account page's reads in one round trip: the user's live sessions and unused recovery codes. */
export async function loadAccountReads(db: Db, userId: string, nowMs: number) {
	const [sessionRows, codes] = await db.batch([
		listUserSessions(db, userId, nowMs),
		unusedRecoveryCodesQuery(db, userId),
	]);
	return { sessions: sessionRows, recoveryCodesLeft: codes.length };
}
