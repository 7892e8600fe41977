// Operator console sessions: their own cookie on the apex host (never the portal's session cookie),
// shorter lifetimes than members' sessions, and MFA before anything else.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";
import {
	insertOperatorSession,
	loadOperatorSession,
	type OperatorSessionRow,
	touchOperatorSession,
} from "../db/operators.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import { redirectTo } from "../middleware/guards.ts";

const HOUR = 60 * 60 * 1000;
export const OPERATOR_IDLE_MS = 2 * HOUR;
export const OPERATOR_ABSOLUTE_MS = 12 * HOUR;

function cookieName(url: URL): string {
	return url.protocol === "https:" ? "__Host-portico_ops" : "portico_ops";
}

export async function startOperatorSession(c: Context<AppEnv>, operatorId: string) {
	const url = new URL(c.req.url);
	const token = randomToken(32);
	const nowMs = Date.now();
	const insert = insertOperatorSession(c.get("db"), {
		tokenHash: await sha256Hex(token),
		operatorId,
		expiresAt: nowMs + OPERATOR_IDLE_MS,
		absoluteExpiresAt: nowMs + OPERATOR_ABSOLUTE_MS,
		ip: c.req.header("cf-connecting-ip") ?? null,
		userAgent: c.req.header("user-agent")?.slice(0, 512) ?? null,
	});
	const setSessionCookie = () =>
		setCookie(c, cookieName(url), token, {
			path: "/",
			httpOnly: true,
			secure: url.protocol === "https:",
			sameSite: "Strict",
			expires: new Date(nowMs + OPERATOR_ABSOLUTE_MS),
		});
	return { insert, setSessionCookie };
}

export function clearOperatorCookie(c: Context<AppEnv>) {
	const url = new URL(c.req.url);
	deleteCookie(c, cookieName(url), { path: "/", secure: url.protocol === "https:" });
}

/** The console session behind this request's cookie (MFA passed or not), or null. */
export async function currentOperatorSession(c: Context<AppEnv>): Promise<OperatorSessionRow | null> {
	const token = getCookie(c, cookieName(new URL(c.req.url)));
	if (!token) return null;
	return loadOperatorSession(c.get("db"), await sha256Hex(token), Date.now());
}

/** Every console page: a signed-in operator who has passed MFA. Others go to sign in. */
export const requireOperator = createMiddleware<AppEnv>(async (c, next) => {
	const session = await currentOperatorSession(c);
	if (!session) return redirectTo(c, "/ops/sign-in");
	if (!session.mfaVerified) return redirectTo(c, "/ops/mfa");
	c.set("operator", { id: session.operatorId, email: session.email, name: session.name, sessionId: session.sessionId });
	const nowMs = Date.now();
	if (session.expiresAt - nowMs < OPERATOR_IDLE_MS - 5 * 60 * 1000) {
		await touchOperatorSession(c.get("db"), session.sessionId, nowMs + OPERATOR_IDLE_MS);
	}
	await next();
});

export function currentOperator(c: Context<AppEnv>) {
	const operator = c.get("operator");
	if (!operator) throw new Error("requireOperator runs first");
	return operator;
}

export function operatorLabel(operator: { name: string; email: string }) {
	return `${operator.name} (operator)`;
}
