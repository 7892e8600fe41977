// Asking to join through the organization's invite link (a Member invitation by mail).
import type { VisitorUnit } from "../audit/unit.ts";
import { type AuditActor, auditInsert, commitWithAudit } from "../db/audit.ts";
import { refusalOf, requireThat } from "../db/preconditions.ts";
import {
	countSeatsUsed,
	insertInvitation,
	isMember,
	pendingInvitationIdFor,
	renewInvitation,
	seatsFree,
} from "../db/team.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import { sendMail } from "../mail/send.ts";
import { invitationEmail } from "./emails.ts";
import { INVITATION_MS, seatLimit } from "./rules.ts";

/**
 * The invite link: an address at one of the link's domains gets a Member invitation by mail (a pending
 * one is renewed). Members, and addresses refused for want of a seat, are told the same, so the answer
 * reveals nobody; a refusal is audited. The seat is decided by the write.
 */
export async function requestInviteByLink(
	ctx: VisitorUnit,
	org: { name: string; planLimits: Parameters<typeof seatLimit>[0] },
	email: string,
): Promise<void> {
	const { db, tenant, nowMs } = ctx;
	const orgId = tenant.orgId;
	if (await isMember(ctx.org, email)) return;
	const invite = randomToken(32);
	const pendingId = await pendingInvitationIdFor(ctx.org, email, nowMs);
	const actor: AuditActor = { type: "system", id: null, label: "Invite link" };
	if (pendingId) {
		await renewInvitation(ctx.org, pendingId, await sha256Hex(invite), nowMs + INVITATION_MS);
	} else {
		const limit = seatLimit(org.planLimits);
		const refused = async () => {
			await auditInsert(tenant, actor, { action: "team.invite_link_refused_no_seat", metadata: { email } });
		};
		if (limit !== null && (await countSeatsUsed(ctx.org, nowMs)) >= limit) return refused();
		const created = insertInvitation(ctx.org, {
			email,
			roleId: "rol_builtin_member",
			tokenHash: await sha256Hex(invite),
			invitedBy: null,
			expiresAt: nowMs + INVITATION_MS,
		});
		try {
			await commitWithAudit(
				db,
				tenant,
				actor,
				{
					action: "team.invited",
					metadata: { emails: [email], role: "Member", via: "invite link" },
					webhook: {
						type: "invitation.created",
						data: { id: created.id, email, roleId: "rol_builtin_member", via: "invite link" },
					},
				},
				{ control: [requireThat(db, seatsFree(ctx.org, nowMs, limit, 1), "seats"), created.query] },
			);
		} catch (error) {
			if (refusalOf(error) !== "precondition_failed") throw error;
			return refused();
		}
	}
	await sendMail(ctx.notices.bindings, db, {
		orgId,
		to: email,
		...invitationEmail(ctx.notices.brand, {
			inviterName: org.name,
			roleName: "Member",
			url: `${ctx.notices.origin}/invitation?token=${invite}`,
		}),
	});
}
