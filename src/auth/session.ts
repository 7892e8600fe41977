// Starting, sliding and ending sessions. A new session always gets a new random token, so a cookie
// planted before sign-in (session fixation) is worthless after it.
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { AppEnv, Viewer } from "../context.ts";
import { deleteSession, insertSession, touchSession } from "../db/sessions.ts";
import { touchMembership } from "../db/team.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import { newId } from "../lib/ids.ts";
import { log } from "../lib/log.ts";
import {
	SESSION_ABSOLUTE_MS,
	SESSION_IDLE_MS,
	STEP_UP_MS,
	sessionCookieName,
	sessionCookieOptions,
} from "./session-cookie.ts";

const TOUCH_AFTER_MS = 5 * 60 * 1000;

export function clientIp(c: Context<AppEnv>): string | null {
	return c.req.header("cf-connecting-ip") ?? null;
}

/**
 * Builds the insert for a new session on this host and a function that sets its cookie; the caller
 * batches the insert with its audit event (and the deletion of the session it replaces).
 */
export async function prepareSession(
	c: Context<AppEnv>,
	input: {
		userId: string;
		orgId: string | null;
		mfaVerified: boolean;
		/** An operator's read-only view: shorter, and marked so it can never write. */
		viewAs?: { operatorId: string; operatorLabel: string; lifetimeMs: number };
		/** "sso" when the identity provider signed the person in. */
		signInMethod?: string;
	},
) {
	const url = new URL(c.req.url);
	const token = randomToken(32);
	const nowMs = Date.now();
	const id = newId("ses", nowMs);
	const insert = insertSession(c.get("db"), {
		id,
		tokenHash: await sha256Hex(token),
		userId: input.userId,
		orgId: input.orgId,
		host: url.host,
		expiresAt: nowMs + SESSION_IDLE_MS,
		absoluteExpiresAt: nowMs + (input.viewAs?.lifetimeMs ?? SESSION_ABSOLUTE_MS),
		mfaVerified: input.mfaVerified,
		viewAsOperatorId: input.viewAs?.operatorId ?? null,
		viewAsOperatorLabel: input.viewAs?.operatorLabel ?? null,
		signInMethod: input.signInMethod ?? null,
		ip: clientIp(c),
		userAgent: c.req.header("user-agent")?.slice(0, 512) ?? null,
	});
	const setSessionCookie = () =>
		setCookie(
			c,
			sessionCookieName(url),
			token,
			sessionCookieOptions(url, nowMs + (input.viewAs?.lifetimeMs ?? SESSION_ABSOLUTE_MS)),
		);
	return { id, insert, setSessionCookie };
}

export function clearSessionCookie(c: Context<AppEnv>) {
	const url = new URL(c.req.url);
	deleteCookie(c, sessionCookieName(url), { path: "/", secure: url.protocol === "https:" });
}

export function endSession(c: Context<AppEnv>, sessionId: string) {
	clearSessionCookie(c);
	return deleteSession(c.get("db"), sessionId);
}

/**
 * Idle expiry slides while the session is used (never for an operator's view-as session): at most every five minutes, after the response, so a
 * page costs no extra round trip while it waits.
 */
export function slideSession(c: Context<AppEnv>): void {
	const viewer = c.get("viewer");
	const nowMs = Date.now();
	// An operator's read-only view writes nothing at all: it ends at its fixed absolute expiry instead.
	if (!viewer || viewer.viewAs || nowMs - viewer.lastSeenAt < TOUCH_AFTER_MS) return;
	const db = c.get("db");
	const writes = [touchSession(db, viewer.sessionId, nowMs + SESSION_IDLE_MS, nowMs)] as const;
	const work = (
		viewer.membership ? db.batch([...writes, touchMembership(db, viewer.membership.id, nowMs)]) : db.batch(writes)
	).catch((error: unknown) => log("warn", "session touch failed", { requestId: c.get("requestId"), error }));
	try {
		c.executionCtx.waitUntil(work);
	} catch {
		// No execution context (app.request in unit tests): the promise still runs.
	}
}

export function recentlyAuthenticated(viewer: Viewer, nowMs = Date.now()): boolean {
	return nowMs - viewer.authenticatedAt <= STEP_UP_MS;
}
