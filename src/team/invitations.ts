// Invitation verbs: invite (seats decided by the write), resend, revoke, and the invite link. Each
// commits with its audit event; invitations are mailed after the commit, with a token only the mail holds.
import { commit, type Unit } from "../audit/unit.ts";
import { refusalOf, requireThat } from "../db/preconditions.ts";
import {
	countSeatsUsed,
	findPendingInvitation,
	findRole,
	insertInvitation,
	membersWithEmails,
	pendingInvitationsFor,
	renewInvitation,
	revokeInvitation as revokeInvitationQuery,
	seatsFree,
	setInviteLink,
} from "../db/team.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import { AppError } from "../lib/errors.ts";
import { sendMail } from "../mail/send.ts";
import { invitationEmail } from "./emails.ts";
import { canGrant, INVITATION_MS, seatLimit } from "./rules.ts";

export type InviteResult =
	| { outcome: "invited" }
	| { outcome: "invalid"; errors: Record<string, string> }
	| { outcome: "no-seats"; seatRefusal: { limit: number; used: number; adding: number } };

function mailInvitation(unit: Unit, to: string, roleName: string, token: string) {
	return sendMail(unit.notices.bindings, unit.db, {
		orgId: unit.tenant.orgId,
		to,
		...invitationEmail(unit.notices.brand, {
			inviterName: unit.by.name,
			roleName,
			url: `${unit.notices.origin}/invitation?token=${token}`,
		}),
	});
}

export async function inviteMembers(
	unit: Unit,
	org: { planLimits: Parameters<typeof seatLimit>[0] },
	emails: string[],
	roleId: string,
	nowMs: number,
): Promise<InviteResult> {
	const { db } = unit;
	const role = await findRole(unit.org, roleId);
	if (!role) return { outcome: "invalid", errors: { form: "Choose one of the roles in the list." } };
	if (!canGrant(unit.by.permissions, role.permissions)) {
		throw new AppError("forbidden", "You cannot invite people to a role with permissions you do not have.");
	}
	const [members, pending] = await db.batch([
		membersWithEmails(unit.org, emails),
		pendingInvitationsFor(unit.org, emails, nowMs),
	]);
	if (members.length > 0)
		return { outcome: "invalid", errors: { emails: `Already members: ${members.map((m) => m.email).join(", ")}` } };
	if (pending.length > 0) {
		const list = pending.map((p) => p.email).join(", ");
		return { outcome: "invalid", errors: { emails: `Already invited (resend it from the list instead): ${list}` } };
	}
	const limit = seatLimit(org.planLimits);
	const used = await countSeatsUsed(unit.org, nowMs);
	if (limit !== null && used + emails.length > limit)
		return { outcome: "no-seats", seatRefusal: { limit, used, adding: emails.length } };
	const tokens = emails.map((email) => ({ email, token: randomToken(32) }));
	const inserts = await Promise.all(
		tokens.map(async ({ email, token }) =>
			insertInvitation(unit.org, {
				email,
				roleId: role.id,
				tokenHash: await sha256Hex(token),
				invitedBy: unit.by.userId,
				expiresAt: nowMs + INVITATION_MS,
			}),
		),
	);
	try {
		await commit(
			unit,
			{
				action: "team.invited",
				metadata: { emails, role: role.name },
				webhook: inserts.map((invite, i) => ({
					type: "invitation.created" as const,
					data: { id: invite.id, email: emails[i] ?? "", roleId: role.id },
				})),
			},
			{
				control: [
					requireThat(db, seatsFree(unit.org, nowMs, limit, emails.length), "seats"),
					...inserts.map((i) => i.query),
				],
			},
		);
	} catch (error) {
		// Someone else took the seats meanwhile: the write refused, and says so as the check above would.
		if (limit === null || refusalOf(error) !== "precondition_failed") throw error;
		const now = await countSeatsUsed(unit.org, nowMs);
		return { outcome: "no-seats", seatRefusal: { limit, used: now, adding: emails.length } };
	}
	for (const { email, token } of tokens) await mailInvitation(unit, email, role.name, token);
	return { outcome: "invited" };
}

async function pendingInvitation(unit: Unit, invitationId: string, nowMs: number) {
	const invitation = await findPendingInvitation(unit.org, invitationId, nowMs);
	if (!invitation) throw new AppError("not_found", "That invitation does not exist or is no longer pending.");
	return invitation;
}

export async function resendInvitation(unit: Unit, invitationId: string, nowMs: number): Promise<void> {
	const invitation = await pendingInvitation(unit, invitationId, nowMs);
	const role = await findRole(unit.org, invitation.roleId);
	const token = randomToken(32);
	await commit(
		unit,
		{
			action: "team.invitation_resent",
			target: { type: "invitation", id: invitation.id },
			metadata: { email: invitation.email },
		},
		{
			control: [renewInvitation(unit.org, invitation.id, await sha256Hex(token), nowMs + INVITATION_MS)],
		},
	);
	await mailInvitation(unit, invitation.email, role?.name ?? "Member", token);
}

export async function revokeInvitation(unit: Unit, invitationId: string, nowMs: number): Promise<void> {
	const invitation = await pendingInvitation(unit, invitationId, nowMs);
	await commit(
		unit,
		{
			action: "team.invitation_revoked",
			target: { type: "invitation", id: invitation.id },
			metadata: { email: invitation.email },
		},
		{ control: [revokeInvitationQuery(unit.org, invitation.id, nowMs)] },
	);
}

export async function enableInviteLink(unit: Unit, domains: string[]): Promise<void> {
	await commit(
		unit,
		{ action: "team.invite_link_enabled", metadata: { domains } },
		{ control: [setInviteLink(unit.org, randomToken(24), domains)] },
	);
}

export async function disableInviteLink(unit: Unit): Promise<void> {
	await commit(unit, { action: "team.invite_link_disabled" }, { control: [setInviteLink(unit.org, null, [])] });
}
