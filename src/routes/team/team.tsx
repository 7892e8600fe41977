// The team page, invitations and the invite link (members and ownership: members.tsx; roles: roles.tsx).
// Reading needs `org:read`; changing needs `members:manage` and a verified email. The rules and the
// writes are the verbs' in src/team; this file validates, calls one verb and renders.

import { type Context, Hono } from "hono";
import * as z from "zod";
import { can } from "../../auth/permissions.ts";
import type { AppEnv } from "../../context.ts";
import { loadTeamPage } from "../../db/team.ts";
import { dateFormats } from "../../lib/dates.ts";
import { rawText, validate, validateOr } from "../../lib/validate.ts";
import {
	me,
	orgOf,
	redirectTo,
	requirePermission,
	requireVerifiedEmail,
	tenantOf,
	tenantWithDetails,
} from "../../middleware/guards.ts";
import { showRefusalsOn } from "../../middleware/refusals.ts";
import { unitOf } from "../../middleware/unit.ts";
import {
	disableInviteLink,
	enableInviteLink,
	inviteMembers,
	resendInvitation,
	revokeInvitation,
} from "../../team/invitations.ts";
import { canGrant, domainListSchema, emailListSchema, isOwnerRole, seatLimit } from "../../team/rules.ts";
import { portalAddress } from "../../tenancy/address.ts";
import { TeamPage } from "../../views/pages/team/team.tsx";
import { renderPage } from "../../views/render.tsx";

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
	const data = await loadTeamPage(orgOf(c), {
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
					directory: m.deprovisionedAt !== null ? "deprovisioned" : m.directoryManaged ? "managed" : null,
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
		const { emails, roleId } = c.req.valid("form");
		const result = await inviteMembers(unitOf(c), tenantOf(c).org, emails, roleId, Date.now());
		const values = { emails: emails.join(", "), roleId };
		if (result.outcome === "invalid") return teamPage(c, { errors: result.errors, values }, 422);
		if (result.outcome === "no-seats") return teamPage(c, { seatRefusal: result.seatRefusal, values }, 402);
		return redirectTo(c, "/team?notice=invited");
	},
);

const invitationParam = validate(
	"param",
	z.object({ id: z.string().regex(ID.invitation, { error: "Unknown invitation." }) }),
);

teamRoutes.post("/invitations/:id/resend", invitationParam, async (c) => {
	await resendInvitation(unitOf(c), c.req.valid("param").id, Date.now());
	return redirectTo(c, "/team?notice=resent");
});

teamRoutes.post("/invitations/:id/revoke", invitationParam, async (c) => {
	await revokeInvitation(unitOf(c), c.req.valid("param").id, Date.now());
	return redirectTo(c, "/team?notice=revoked");
});

// ── Invite link ──────────────────────────────────────────────────────────────────────────────

teamRoutes.post(
	"/invite-link",
	validateOr("form", z.strictObject({ domains: domainListSchema }), (c, failure) =>
		teamPage(c, { errors: failure.errors }, 422),
	),
	async (c) => {
		await enableInviteLink(unitOf(c), c.req.valid("form").domains);
		return redirectTo(c, "/team?notice=link-on");
	},
);

teamRoutes.post("/invite-link/disable", async (c) => {
	await disableInviteLink(unitOf(c));
	return redirectTo(c, "/team?notice=link-off");
});
