// Identity verbs for a visitor of a tenant host: recording a sign-in (the new session, the throttle
// cleared, the previous session ended, with its audit event), a refused sign-in or MFA code, signing
// out, and the changes emailed links make (password reset, email verified, email changed). HTTP —
// cookies, redirects, pages — stays in the routes.
import type { VisitorUnit } from "../audit/unit.ts";
import { type AuditActor, auditInsert, type Batch, commitWithAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { deleteSession } from "../db/sessions.ts";
import { touchMembershipOf } from "../db/team.ts";
import type { TenantData } from "../db/tenant-data.ts";
import { deleteOtherSessions, findUserByEmail, markEmailVerified, setEmail, setPasswordHash } from "../db/users.ts";
import { sendMail } from "../mail/send.ts";
import { notify } from "../notifications/notify.ts";
import { authEmails } from "./emails.ts";
import { clearAccountThrottle } from "./throttle.ts";

export type SignInMethod =
	| "password"
	| "magic_link"
	| "oauth"
	| "ticket"
	| "mfa"
	| "password_reset"
	| "sign_up"
	| "sso";

export interface SignInSubject {
	userId: string;
	name: string;
	email: string;
	mfaEnabled: boolean;
}

/** The new session replaces any previous one on this host, in one batch with its audit event. */
export async function recordSignIn(
	v: VisitorUnit,
	user: SignInSubject,
	method: SignInMethod,
	session: { id: string; insert: Batch[number]; verified: boolean },
	previousSessionId: string | null,
): Promise<void> {
	await commitWithAudit(
		v.db,
		v.tenant,
		{ ...v.actorFor(user.userId, user.name), sessionId: session.id },
		{
			action: session.verified ? "auth.sign_in" : "auth.sign_in_password_ok_mfa_pending",
			target: { type: "user", id: user.userId },
			metadata: { method },
		},
		{
			control: [
				session.insert,
				clearAccountThrottle(v.db, user.email),
				touchMembershipOf(v.org, user.userId, v.nowMs),
				...(previousSessionId ? [deleteSession(v.db, previousSessionId)] : []),
			],
		},
	);
}

/**
 * A refused password sign-in, audited with the throttle's writes. The page never says that the
 * password was right for someone who is not a member here: that person is told by email.
 */
export async function recordRefusedSignIn(
	v: VisitorUnit,
	org: { name: string },
	refusal: { userId: string | null; email: string; reason: "locked" | "bad_credentials" | "not_member"; writes: Batch },
): Promise<void> {
	const actor = v.actorFor(refusal.userId, refusal.email);
	if (refusal.reason === "locked") {
		await auditInsert(v.tenant, actor, { action: "auth.sign_in_locked", metadata: { email: refusal.email } });
		return;
	}
	await commitWithAudit(
		v.db,
		v.tenant,
		actor,
		{ action: "auth.sign_in_failed", metadata: { email: refusal.email, reason: refusal.reason } },
		{ control: refusal.writes },
	);
	if (refusal.reason === "not_member")
		await sendMail(v.notices.bindings, v.db, {
			orgId: v.tenant.orgId,
			to: refusal.email,
			...authEmails.notAMember(v.notices.brand, org.name),
		});
}

/** A right password under "Require SSO": refused for a member, let through for a break-glass Owner. */
export async function recordSsoPolicy(v: VisitorUnit, user: SignInSubject, policy: "sso-only" | "break-glass") {
	await auditInsert(v.tenant, v.actorFor(user.userId, user.name), {
		action: policy === "break-glass" ? "auth.break_glass_sign_in" : "auth.sign_in_refused_sso_required",
		target: { type: "user", id: user.userId },
	});
}

export async function recordMfaFailure(v: VisitorUnit, user: SignInSubject, writes: Batch): Promise<void> {
	await commitWithAudit(
		v.db,
		v.tenant,
		v.actorFor(user.userId, user.name),
		{ action: "auth.mfa_failed" },
		{
			control: writes,
		},
	);
}

export async function recordRecoveryCodeUse(v: VisitorUnit, user: SignInSubject): Promise<void> {
	await auditInsert(v.tenant, v.actorFor(user.userId, user.name), { action: "auth.mfa_recovery_code_used" });
}

export async function signOut(v: VisitorUnit, user: { userId: string; name: string }, endSession: Batch[number]) {
	await commitWithAudit(
		v.db,
		v.tenant,
		v.actorFor(user.userId, user.name),
		{ action: "auth.sign_out", target: { type: "user", id: user.userId } },
		{ control: [endSession] },
	);
}

/** A reset also unlocks a locked account and ends every session; the person is told. */
export async function resetPassword(
	v: VisitorUnit,
	user: { id: string; name: string; email: string },
	password: string,
): Promise<void> {
	await commitWithAudit(
		v.db,
		v.tenant,
		v.actorFor(user.id, user.name),
		{ action: "auth.password_reset", target: { type: "user", id: user.id } },
		{
			control: [
				setPasswordHash(v.db, user.id, await v.passwords.hash(password)),
				clearAccountThrottle(v.db, user.email),
				deleteOtherSessions(v.db, user.id, null),
			],
		},
	);
	await notify(
		v.notices,
		{ userIds: [user.id] },
		{
			category: "security",
			title: "Your password was reset",
			body: "Your password was reset by email and every session was signed out. If this was not you, reset it again and contact your organization's owner.",
		},
	);
}

export async function verifyEmail(v: VisitorUnit, userId: string): Promise<void> {
	await commitWithAudit(
		v.db,
		v.tenant,
		v.actorFor(userId, "user"),
		{ action: "auth.email_verified", target: { type: "user", id: userId } },
		{ control: [markEmailVerified(v.db, userId)] },
	);
}

/** The new address, once its link was used; false (nothing written) when another account has it. */
export async function changeEmail(
	v: VisitorUnit,
	user: { id: string; name: string; email: string },
	email: string,
): Promise<boolean> {
	if (await findUserByEmail(v.db, email)) return false;
	await commitWithAudit(
		v.db,
		v.tenant,
		v.actorFor(user.id, user.name),
		{
			action: "auth.email_changed",
			target: { type: "user", id: user.id },
			metadata: { before: user.email, after: email },
		},
		{ control: [setEmail(v.db, user.id, email)] },
	);
	await sendMail(v.notices.bindings, v.db, {
		orgId: v.tenant.orgId,
		to: user.email,
		...authEmails.emailChangedNotice(v.notices.brand, email),
	});
	return true;
}

/**
 * An OAuth sign-in verified on the apex: the hand-off ticket to the portal's host and its audit event
 * (linked when the identity was just attached to an account by a verified email), in one batch.
 */
export async function recordOAuthVerified(
	db: Db,
	tenant: TenantData,
	actor: AuditActor,
	input: { provider: string; linked: boolean; ticketInsert: Batch[number] },
): Promise<void> {
	await commitWithAudit(
		db,
		tenant,
		actor,
		{ action: input.linked ? "auth.oauth_linked" : "auth.oauth_verified", metadata: { provider: input.provider } },
		{ control: [input.ticketInsert] },
	);
}
