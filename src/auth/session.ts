// Starting, sliding and ending sessions.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../context.ts";
import { deleteSession, extendSession, insertSession } from "../db/sessions.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import { log } from "../lib/log.ts";
import { SESSION_MS, sessionCookieName, sessionCookieOptions } from "./session-cookie.ts";

/** Builds the insert for a new session on this host and sets its cookie; the caller batches the insert. */
export async function prepareSession(c: Context<AppEnv>, userId: string, orgId: string | null) {
	const url = new URL(c.req.url);
	const token = randomToken(32);
	const expiresAt = Date.now() + SESSION_MS;
	const insert = insertSession(c.get("db"), {
		tokenHash: await sha256Hex(token),
		userId,
		orgId,
		host: url.host,
		expiresAt,
		ip: c.req.header("cf-connecting-ip") ?? null,
		userAgent: c.req.header("user-agent")?.slice(0, 512) ?? null,
	});
	const setSessionCookie = () => setCookie(c, sessionCookieName(url), token, sessionCookieOptions(url, expiresAt));
	return { insert, setSessionCookie };
}

export function endSession(c: Context<AppEnv>, sessionId: string) {
	const url = new URL(c.req.url);
	deleteCookie(c, sessionCookieName(url), { path: "/", secure: url.protocol === "https:" });
	return deleteSession(c.get("db"), sessionId);
}

/**
 * Sliding expiry: once a session has used half its lifetime it is extended, after the response, so
 * an active user is never signed out and a page costs no extra round trip while it waits.
 */
export function slideSession(c: Context<AppEnv>): void {
	const viewer = c.get("viewer");
	if (!viewer || viewer.expiresAt - Date.now() > SESSION_MS / 2) return;
	const url = new URL(c.req.url);
	const expiresAt = Date.now() + SESSION_MS;
	const work = extendSession(c.get("db"), viewer.sessionId, expiresAt)
		.execute()
		.catch((error: unknown) => log("warn", "session extension failed", { requestId: c.get("requestId"), error }));
	try {
		c.executionCtx.waitUntil(work);
	} catch {
		// No execution context (app.request in unit tests): the promise still runs.
	}
	const cookieToken = getCookie(c, sessionCookieName(url));
	if (cookieToken) setCookie(c, sessionCookieName(url), cookieToken, sessionCookieOptions(url, expiresAt));
}
