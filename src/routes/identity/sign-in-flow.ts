// What every way of signing in ends with: replace any session on this host by a new one (new token:
// a cookie planted before sign-in is worthless), audit it, and send the person on — to the MFA step
// when they have MFA and have not passed it, to MFA enrolment when their organization requires it.
import type { Context } from "hono";
import { prepareSession } from "../../auth/session.ts";
import { recordSignIn, type SignInMethod, type SignInSubject } from "../../auth/verbs.ts";
import type { AppEnv } from "../../context.ts";
import { deleteSession } from "../../db/sessions.ts";
import { redirectTo, tenantOf } from "../../middleware/guards.ts";
import { visitorUnitOf } from "../../middleware/unit.ts";

export type { SignInMethod, SignInSubject };

export async function completeSignIn(
	c: Context<AppEnv>,
	user: SignInSubject,
	method: SignInMethod,
	mfaVerified = false,
) {
	const { org } = tenantOf(c);
	const verified = mfaVerified || !user.mfaEnabled;
	const session = await prepareSession(c, {
		userId: user.userId,
		orgId: org.id,
		mfaVerified: verified,
		...(method === "sso" ? { signInMethod: "sso" } : {}),
	});
	const previous = c.get("viewer");
	await recordSignIn(visitorUnitOf(c), user, method, { ...session, verified }, previous?.sessionId ?? null);
	session.setSessionCookie();
	if (!verified) return redirectTo(c, "/sign-in/mfa");
	if (org.requireMfa && !user.mfaEnabled) return redirectTo(c, "/account/mfa");
	return redirectTo(c, "/");
}

/** How long an operator's read-only view of a member's portal lasts. */
export const VIEW_AS_MS = 30 * 60 * 1000;

/**
 * An operator's "view as": a session for the member, marked read-only and ending after 30 minutes. It
 * replaces any session on this host; the start was already recorded in the audit log by the console.
 */
export async function startViewAs(
	c: Context<AppEnv>,
	userId: string,
	viewAs: { operatorId: string; operatorLabel: string },
) {
	const { org } = tenantOf(c);
	const db = c.get("db");
	const session = await prepareSession(c, {
		userId,
		orgId: org.id,
		mfaVerified: true,
		viewAs: { ...viewAs, lifetimeMs: VIEW_AS_MS },
	});
	const previous = c.get("viewer");
	await db.batch([session.insert, ...(previous ? [deleteSession(db, previous.sessionId)] : [])]);
	session.setSessionCookie();
	return redirectTo(c, "/");
}
