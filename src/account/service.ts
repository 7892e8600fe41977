// The signed-in person's own verbs: password, email address, sessions, two-step verification, profile,
// picture and deleting the account. Secrets go through the one throttled check; each change commits with
// its audit event, and security changes tell the person.
import { commit, type Unit } from "../audit/unit.ts";
import { authEmails } from "../auth/emails.ts";
import { matchTotp, newRecoveryCodes } from "../auth/mfa.ts";
import { verifyPasswordThrottled } from "../auth/throttle.ts";
import { issueEmailToken } from "../auth/tokens.ts";
import { type Batch, commitWithAudit } from "../db/audit.ts";
import { confirmTotp, deleteAllFactors, deleteRecoveryCodes, findTotp, insertRecoveryCodes } from "../db/mfa.ts";
import { refusalOf } from "../db/preconditions.ts";
import { deleteSession, deleteUserSession } from "../db/sessions.ts";
import {
	deleteOtherSessions,
	deleteUser,
	findUserByEmail,
	findUserById,
	organizationsOnlyOwnedBy,
	setAvatarKey,
	setMfaEnabled,
	setPasswordHash,
	updateProfile,
} from "../db/users.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { sendMail } from "../mail/send.ts";
import { notify } from "../notifications/notify.ts";

function securityNotice(unit: Unit, title: string, body: string) {
	return notify(unit.notices, { userIds: [unit.by.userId] }, { category: "security", title, body, link: "/account" });
}

/** The acting person's password, through the one throttled check. */
export async function checkOwnPassword(unit: Unit, password: string, nowMs: number) {
	const user = await findUserById(unit.db, unit.by.userId);
	return verifyPasswordThrottled(
		unit.db,
		{ subject: unit.by.email, ip: unit.actor.ip ?? null, nowMs, password, hash: user?.passwordHash ?? null },
		unit.passwords,
	);
}

/** A new password signs out every other session; "locked" and "wrong" write nothing but the throttle. */
export async function changePassword(unit: Unit, current: string, next: string, nowMs: number) {
	const checked = await checkOwnPassword(unit, current, nowMs);
	if (checked !== "ok") return checked;
	await commit(
		unit,
		{ action: "auth.password_changed", target: { type: "user", id: unit.by.userId } },
		{
			control: [
				setPasswordHash(unit.db, unit.by.userId, await unit.passwords.hash(next)),
				deleteOtherSessions(unit.db, unit.by.userId, unit.by.sessionId),
			],
		},
	);
	await securityNotice(
		unit,
		"Your password was changed",
		"Your password was changed and your other sessions were signed out. If this was not you, reset your password now.",
	);
	return "changed" as const;
}

/** Mails a confirmation link to the new address; the address changes only when that link is used. */
export async function requestEmailChange(unit: Unit, host: string, email: string): Promise<string | null> {
	if (email === unit.by.email) return "That is already your email address.";
	if (await findUserByEmail(unit.db, email)) return "Another account uses that address.";
	const { token, insert } = await issueEmailToken(unit.db, "change_email", {
		userId: unit.by.userId,
		orgId: unit.tenant.orgId,
		host,
		email,
	});
	await commit(unit, { action: "auth.email_change_requested", metadata: { after: email } }, { control: [insert] });
	await sendMail(unit.notices.bindings, unit.db, {
		orgId: unit.tenant.orgId,
		to: email,
		...authEmails.changeEmail(unit.notices.brand, `${unit.notices.origin}/confirm-email?token=${token}`),
	});
	return null;
}

/** Only the person's own sessions match; anyone else's id deletes nothing. */
export async function revokeSession(unit: Unit, sessionId: string): Promise<void> {
	await commit(
		unit,
		{ action: "auth.session_revoked", target: { type: "session", id: sessionId } },
		{ control: [deleteUserSession(unit.db, unit.by.userId, sessionId)] },
	);
}

export async function signOutEverywhereElse(unit: Unit): Promise<void> {
	await commit(
		unit,
		{ action: "auth.signed_out_everywhere" },
		{ control: [deleteOtherSessions(unit.db, unit.by.userId, unit.by.sessionId)] },
	);
}

async function recoveryCodeWrites(unit: Unit) {
	const codes = newRecoveryCodes();
	const hashes = await Promise.all(codes.map((code) => sha256Hex(code)));
	return {
		codes,
		writes: [deleteRecoveryCodes(unit.db, unit.by.userId), insertRecoveryCodes(unit.db, unit.by.userId, hashes)],
	};
}

/**
 * Turns MFA on when the code matches the pending factor. It is a privilege change: the session is
 * replaced by a new one that has passed MFA (`newSession`, written in the same batch). Returns the
 * recovery codes to show once, or null when the code is not right.
 */
export async function enableMfa(
	unit: Unit,
	code: string,
	nowMs: number,
	newSession: Batch[number],
): Promise<string[] | null> {
	const pending = await findTotp(unit.db, unit.by.userId, false);
	const step = pending ? await matchTotp(pending.secret, code.replace(/\s/g, ""), nowMs, null) : null;
	if (!pending || step === null) return null;
	const { codes, writes } = await recoveryCodeWrites(unit);
	await commit(
		unit,
		{ action: "auth.mfa_enabled", target: { type: "user", id: unit.by.userId } },
		{
			control: [
				confirmTotp(unit.db, pending.id, step),
				setMfaEnabled(unit.db, unit.by.userId, true),
				...writes,
				newSession,
				deleteSession(unit.db, unit.by.sessionId),
			],
		},
	);
	await securityNotice(
		unit,
		"Two-step verification is on",
		"Your account now asks for a code from your authenticator app at sign-in.",
	);
	return codes;
}

export async function regenerateRecoveryCodes(unit: Unit): Promise<string[]> {
	const { codes, writes } = await recoveryCodeWrites(unit);
	await commit(unit, { action: "auth.mfa_recovery_codes_regenerated" }, { control: writes });
	return codes;
}

export async function disableMfa(unit: Unit): Promise<void> {
	await commit(
		unit,
		{ action: "auth.mfa_disabled", target: { type: "user", id: unit.by.userId } },
		{ control: [deleteAllFactors(unit.db, unit.by.userId), setMfaEnabled(unit.db, unit.by.userId, false)] },
	);
	await securityNotice(
		unit,
		"Two-step verification is off",
		"Your account no longer asks for a code at sign-in. If this was not you, reset your password and turn it on again.",
	);
}

export interface Profile {
	name: string;
	timeZone: string;
	locale: string;
}

export async function saveProfile(unit: Unit, before: Profile, next: Profile): Promise<void> {
	await commitWithAudit(
		unit.db,
		unit.tenant,
		{ ...unit.actor, label: next.name },
		{ action: "user.profile_changed", target: { type: "user", id: unit.by.userId }, metadata: { before, after: next } },
		{ control: [updateProfile(unit.db, unit.by.userId, next)] },
	);
}

/** Records the new picture's key; the old file is deleted once the change is recorded. */
export async function setAvatar(unit: Unit, key: string, oldUrl: string | null, bucket: R2Bucket): Promise<void> {
	await commit(
		unit,
		{ action: "user.avatar_changed", target: { type: "user", id: unit.by.userId } },
		{ control: [setAvatarKey(unit.db, unit.by.userId, key)] },
	);
	if (oldUrl) await bucket.delete(oldUrl.slice("/files/".length));
}

/**
 * Deletes the account everywhere. The database refuses to take away any organization's last Owner;
 * then the organizations the person alone owns are returned, and nothing was deleted.
 */
export async function deleteAccount(unit: Unit): Promise<{ lastOwnerOf: string[] } | null> {
	try {
		await commitWithAudit(
			unit.db,
			unit.tenant,
			{ type: "user", id: unit.by.userId, label: "Deleted user" },
			{ action: "user.deleted", target: { type: "user", id: unit.by.userId } },
			{ control: [deleteUser(unit.db, unit.by.userId)] },
		);
		return null;
	} catch (error) {
		if (refusalOf(error) !== "last_owner") throw error;
		return { lastOwnerOf: await organizationsOnlyOwnedBy(unit.db, unit.by.userId) };
	}
}

/** Switching organization: the login ticket for the other organization's host, with its audit event. */
export async function switchOrganization(unit: Unit, toSlug: string, ticketInsert: Batch[number]): Promise<void> {
	await commit(unit, { action: "auth.switched_organization", metadata: { to: toSlug } }, { control: [ticketInsert] });
}
