// The team page and its administration: invitations, roles of members, removal, leaving, the invite
// link and ownership transfer. Reading needs `org:read`; changing needs `members:manage` and a verified
// email; anything touching the Owner role needs an Owner.

import { type Context, Hono } from "hono";
import { z } from "zod";
import { auditActor } from "../../audit/actor.ts";
import { can } from "../../auth/permissions.ts";
import type { AppEnv } from "../../context.ts";
import { commitWithAudit } from "../../db/audit.ts";
import { refusalOf, requireThat } from "../../db/preconditions.ts";
import {
	countSeatsUsed,
	findPendingInvitation,
	findRole,
	insertInvitation,
	loadTeamPage,
	membersWithEmails,
	pendingInvitationsFor,
	renewInvitation,
	revokeInvitation,
	seatsFree,
	setInviteLink,
} from "../../db/team.ts";
import { randomToken, sha256Hex } from "../../lib/crypto.ts";
import { dateFormats } from "../../lib/dates.ts";
import { AppError } from "../../lib/errors.ts";
import { rawText, validate, validateOr } from "../../lib/validate.ts";
import { sendMail } from "../../mail/send.ts";
import {
	me,
	redirectTo,
	requirePermission,
	requireVerifiedEmail,
	tenantOf,
	tenantWithDetails,
} from "../../middleware/guards.ts";
import { showRefusalsOn } from "../../middleware/refusals.ts";
import { invitationEmail } from "../../team/emails.ts";
import {
	canGrant,
	domainListSchema,
	emailListSchema,
	INVITATION_MS,
	isOwnerRole,
	seatLimit,
} from "../../team/rules.ts";
import { portalAddress } from "../../tenancy/address.ts";
import { TeamPage } from "../../views/pages/team/team.tsx";
import { renderPage, siteBrand } from "../../views/render.tsx";

export const teamRoutes = new Hono<AppEnv>();
/** A refused invitation keeps the addresses and role that were typed. */
export const teamRefusals = showRefusalsOn(async (c, message) => {
	const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
	const text = (v: unknown) => (typeof v === "string" ? v : undefined);
	const values = { emails: text(form.emails), roleId: text(form.roleId) };
	return teamPage(c, { errors: { form: message }, values }, 422);
});
const refusals = teamRefusals;
const manage = [requirePermission("members:manage"), refusals, requireVerifiedEmail] as const;
teamRoutes.use("/", requirePermission("org:read"));
teamRoutes.use("/invitations", ...manage);
teamRoutes.use("/invitations/*", ...manage);
teamRoutes.use("/invite-link", ...manage);
teamRoutes.use("/invite-link/*", ...manage);

export const ID = { member: /^mem_[0-9a-z]{26}$/, invitation: /^inv_[0-9a-z]{26}$/ };

const NOTICES: Record<string, string> = {
	invited: "Invitations sent.",
	resent: "Invitation sent again.",
	revoked: "Invitation revoked.",
	"role-changed": "Role changed.",
	removed: "Member removed. Their sessions here have ended.",
	"link-on": "Invite link created.",
	"link-off": "Invite link turned off.",
	nominated: "Nomination sent. They become an Owner when they accept.",
	"ownership-accepted": "You are now an Owner.",
	"ownership-cancelled": "The ownership nomination is cancelled.",
};

export async function teamPage(
	c: Context<AppEnv>,
	extra: {
		errors?: Record<string, string>;
		values?: { emails?: string; roleId?: string };
		seatRefusal?: { limit: number; used: number; adding: number };
	} = {},
	status = 200,
) {
	const viewer = me(c);
	const { org } = tenantWithDetails(c);
	const search = (c.req.query("q") ?? "").slice(0, 100);
	const after = c.req.query("after");
	const data = await loadTeamPage(c.get("db"), org.id, {
		search,
		afterId: after && ID.member.test(after) ? after : null,
		nowMs: Date.now(),
	});
	const when = { format: dateFormats(viewer).date };
	const grantable = data.roles.filter((r) => canGrant(viewer.membership.permissions, r.permissions));
	return renderPage(c, {
		title: "Team",
		status,
		body: (
			<TeamPage
				members={data.members.map((m) => ({
					...m,
					joined: when.format(m.joinedAt),
					lastActive: m.lastActiveAt ? when.format(m.lastActiveAt) : "—",
					isViewer: m.userId === viewer.userId,
				}))}
				search={search}
				nextCursor={data.nextCursor}
				invitations={data.invitations.map((i) => ({
					id: i.id,
					email: i.email,
					roleName: i.roleName,
					expires: when.format(i.expiresAt),
				}))}
				roles={grantable.map((r) => ({ id: r.id, name: r.name }))}
				seatsUsed={data.seatsUsed}
				seatLimit={seatLimit(org.planLimits)}
				canManage={can(viewer.membership, "members:manage")}
				canUpgrade={can(viewer.membership, "billing:manage")}
				emailVerified={viewer.emailVerified}
				isOwner={isOwnerRole(viewer.membership.roleId)}
				inviteLink={
					org.inviteLinkToken
						? { url: `${portalAddress(c).origin}/join?token=${org.inviteLinkToken}`, domains: org.inviteLinkDomains }
						: null
				}
				nominee={
					org.ownershipNomineeId
						? {
								name: data.members.find((m) => m.userId === org.ownershipNomineeId)?.name ?? "A member",
								isViewer: org.ownershipNomineeId === viewer.userId,
							}
						: null
				}
				notice={NOTICES[c.req.query("notice") ?? ""]}
				{...extra}
			/>
		),
	});
}

teamRoutes.get("/", (c) => teamPage(c));

// ── Invitations ──────────────────────────────────────────────────────────────────────────────

const inviteSchema = z.strictObject({ emails: emailListSchema, roleId: z.string({ error: "Choose a role." }).max(64) });

teamRoutes.post(
	"/invitations",
	validateOr("form", inviteSchema, (c, failure) =>
		teamPage(c, { errors: failure.errors, values: { emails: rawText(failure, "emails") } }, 422),
	),
	async (c) => {
		const viewer = me(c);
		const { org, tenant } = tenantOf(c);
		const db = c.get("db");
		const { emails, roleId } = c.req.valid("form");
		const values = { emails: emails.join(", "), roleId };
		const nowMs = Date.now();
		const role = await findRole(db, org.id, roleId);
		if (!role) return teamPage(c, { errors: { form: "Choose one of the roles in the list." }, values }, 422);
		if (!canGrant(viewer.membership.permissions, role.permissions)) {
			throw new AppError("forbidden", "You cannot invite people to a role with permissions you do not have.");
		}
		const [members, pending] = await db.batch([
			membersWithEmails(db, org.id, emails),
			pendingInvitationsFor(db, org.id, emails, nowMs),
		]);
		if (members.length > 0) {
			return teamPage(
				c,
				{ errors: { emails: `Already members: ${members.map((m) => m.email).join(", ")}` }, values },
				422,
			);
		}
		if (pending.length > 0) {
			return teamPage(
				c,
				{
					errors: {
						emails: `Already invited (resend it from the list instead): ${pending.map((p) => p.email).join(", ")}`,
					},
					values,
				},
				422,
			);
		}
		const limit = seatLimit(org.planLimits);
		const used = await countSeatsUsed(db, org.id, nowMs);
		if (limit !== null && used + emails.length > limit) {
			return teamPage(
				c,
				{
					seatRefusal: { limit, used, adding: emails.length },
					values,
				},
				402,
			);
		}
		const tokens = await Promise.all(emails.map(async (email) => ({ email, token: randomToken(32) })));
		const inserts = await Promise.all(
			tokens.map(async ({ email, token }) =>
				insertInvitation(db, {
					orgId: org.id,
					email,
					roleId: role.id,
					tokenHash: await sha256Hex(token),
					invitedBy: viewer.userId,
					expiresAt: nowMs + INVITATION_MS,
				}),
			),
		);
		try {
			await commitWithAudit(
				db,
				tenant,
				auditActor(c, viewer.userId, viewer.name),
				{ action: "team.invited", metadata: { emails, role: role.name } },
				{
					control: [
						requireThat(db, seatsFree(org.id, nowMs, limit, emails.length), "seats"),
						...inserts.map((i) => i.query),
					],
				},
			);
		} catch (error) {
			// Someone else took the seats meanwhile: the write refused, and says so as the check above would.
			if (limit === null || refusalOf(error) !== "precondition_failed") throw error;
			const now = await countSeatsUsed(db, org.id, nowMs);
			return teamPage(c, { seatRefusal: { limit, used: now, adding: emails.length }, values }, 402);
		}
		const brand = siteBrand(c);
		const origin = portalAddress(c).origin;
		for (const { email, token } of tokens) {
			await sendMail(c.env, db, {
				orgId: org.id,
				to: email,
				...invitationEmail(brand, {
					inviterName: viewer.name,
					roleName: role.name,
					url: `${origin}/invitation?token=${token}`,
				}),
			});
		}
		return redirectTo(c, "/team?notice=invited");
	},
);

const invitationParam = validate(
	"param",
	z.object({ id: z.string().regex(ID.invitation, { error: "Unknown invitation." }) }),
);

teamRoutes.post("/invitations/:id/resend", invitationParam, async (c) => {
	const viewer = me(c);
	const { org, tenant } = tenantOf(c);
	const db = c.get("db");
	const nowMs = Date.now();
	const invitation = await findPendingInvitation(db, org.id, c.req.valid("param").id, nowMs);
	if (!invitation) throw new AppError("not_found", "That invitation does not exist or is no longer pending.");
	const role = await findRole(db, org.id, invitation.roleId);
	const token = randomToken(32);
	await commitWithAudit(
		db,
		tenant,
		auditActor(c, viewer.userId, viewer.name),
		{
			action: "team.invitation_resent",
			target: { type: "invitation", id: invitation.id },
			metadata: { email: invitation.email },
		},
		{
			control: [renewInvitation(db, org.id, invitation.id, await sha256Hex(token), nowMs + INVITATION_MS)],
		},
	);
	const url = `${portalAddress(c).origin}/invitation?token=${token}`;
	await sendMail(c.env, db, {
		orgId: org.id,
		to: invitation.email,
		...invitationEmail(siteBrand(c), { inviterName: viewer.name, roleName: role?.name ?? "Member", url }),
	});
	return redirectTo(c, "/team?notice=resent");
});

teamRoutes.post("/invitations/:id/revoke", invitationParam, async (c) => {
	const viewer = me(c);
	const { org, tenant } = tenantOf(c);
	const db = c.get("db");
	const nowMs = Date.now();
	const invitation = await findPendingInvitation(db, org.id, c.req.valid("param").id, nowMs);
	if (!invitation) throw new AppError("not_found", "That invitation does not exist or is no longer pending.");
	await commitWithAudit(
		db,
		tenant,
		auditActor(c, viewer.userId, viewer.name),
		{
			action: "team.invitation_revoked",
			target: { type: "invitation", id: invitation.id },
			metadata: { email: invitation.email },
		},
		{
			control: [revokeInvitation(db, org.id, invitation.id, nowMs)],
		},
	);
	return redirectTo(c, "/team?notice=revoked");
});

// ── Invite link ──────────────────────────────────────────────────────────────────────────────

teamRoutes.post(
	"/invite-link",
	validateOr("form", z.strictObject({ domains: domainListSchema }), (c, failure) =>
		teamPage(c, { errors: failure.errors }, 422),
	),
	async (c) => {
		const viewer = me(c);
		const { org, tenant } = tenantOf(c);
		const db = c.get("db");
		const { domains } = c.req.valid("form");
		await commitWithAudit(
			db,
			tenant,
			auditActor(c, viewer.userId, viewer.name),
			{ action: "team.invite_link_enabled", metadata: { domains } },
			{
				control: [setInviteLink(db, org.id, randomToken(24), domains)],
			},
		);
		return redirectTo(c, "/team?notice=link-on");
	},
);

teamRoutes.post("/invite-link/disable", async (c) => {
	const viewer = me(c);
	const { org, tenant } = tenantOf(c);
	const db = c.get("db");
	await commitWithAudit(
		db,
		tenant,
		auditActor(c, viewer.userId, viewer.name),
		{ action: "team.invite_link_disabled" },
		{ control: [setInviteLink(db, org.id, null, [])] },
	);
	return redirectTo(c, "/team?notice=link-off");
});
