// Members of the team: role changes, removal, leaving, and ownership transfer. Changing others needs
// `members:manage` and a verified email; anything touching the Owner role needs an Owner.
import { type Context, Hono } from "hono";
import { z } from "zod";
import { auditActor } from "../../audit/actor.ts";
import { clearSessionCookie } from "../../auth/session.ts";
import type { AppEnv } from "../../context.ts";
import { commitWithAudit } from "../../db/audit.ts";
import { refusalOf, requireThat } from "../../db/preconditions.ts";
import {
	demoteOwner,
	findMember,
	findRole,
	nominationStands,
	removeMemberWrites,
	setMemberRole,
	setOwnershipNominee,
} from "../../db/team.ts";
import { AppError } from "../../lib/errors.ts";
import { validate } from "../../lib/validate.ts";
import {
	me,
	redirectTo,
	requirePermission,
	requireVerifiedEmail,
	tenantOf,
	tenantWithDetails,
} from "../../middleware/guards.ts";
import { notifyContext } from "../../notifications/context.ts";
import { notify } from "../../notifications/notify.ts";
import { canGrant, isOwnerRole } from "../../team/rules.ts";
import { ConfirmAction } from "../../views/components/confirm-action.tsx";
import { renderPage } from "../../views/render.tsx";
import { ID, teamRefusals } from "./team.tsx";

export const teamMemberRoutes = new Hono<AppEnv>();
const refusals = teamRefusals;
teamMemberRoutes.use("/leave", requirePermission("org:read"), refusals);
teamMemberRoutes.use("/ownership/*", requirePermission("org:read"), refusals);
teamMemberRoutes.use("/members/*", requirePermission("members:manage"), refusals, requireVerifiedEmail);

// ── Members ──────────────────────────────────────────────────────────────────────────────────

const memberParam = validate("param", z.object({ id: z.string().regex(ID.member, { error: "Unknown member." }) }));

async function targetMember(c: Context<AppEnv>, membershipId: string) {
	const { org } = tenantOf(c);
	const member = await findMember(c.get("db"), org.id, membershipId);
	// Another organization's member is exactly as absent as one that never existed.
	if (!member) throw new AppError("not_found", "That member does not exist.");
	if (member.userId === me(c).userId)
		throw new AppError(
			"conflict",
			"You cannot change your own membership here. Ask another owner or admin, or leave the organization.",
		);
	const viewer = me(c).membership;
	if (isOwnerRole(member.roleId) && !isOwnerRole(viewer.roleId)) {
		throw new AppError("forbidden", "Only an Owner can change or remove an Owner.");
	}
	// Rank: nobody changes or removes someone who holds a permission they do not hold themselves.
	if (!isOwnerRole(viewer.roleId) && !canGrant(viewer.permissions, member.permissions)) {
		throw new AppError(
			"forbidden",
			`${member.name} holds permissions you do not have. Ask an Owner or an Admin to change their membership.`,
		);
	}
	return member;
}

const LAST_OWNER = "An organization always needs an Owner. Make someone else an Owner first.";

/**
 * Runs a write that may take away an Owner. The database refuses the one that would leave none (a
 * trigger on memberships, so two Owners demoting each other at once cannot both succeed).
 */
async function keepingAnOwner(write: Promise<void>, message = LAST_OWNER): Promise<void> {
	try {
		await write;
	} catch (error) {
		if (refusalOf(error) === "last_owner") throw new AppError("conflict", message);
		throw error;
	}
}

teamMemberRoutes.post(
	"/members/:id/role",
	memberParam,
	validate("form", z.strictObject({ roleId: z.string().max(64) })),
	async (c) => {
		const viewer = me(c);
		const { org, tenant } = tenantOf(c);
		const db = c.get("db");
		const member = await targetMember(c, c.req.valid("param").id);
		const role = await findRole(db, org.id, c.req.valid("form").roleId);
		if (!role) throw new AppError("validation", "Choose one of the roles in the list.");
		if (isOwnerRole(role.id) && !isOwnerRole(viewer.membership.roleId))
			throw new AppError("forbidden", "Only an Owner can make someone an Owner.");
		if (!canGrant(viewer.membership.permissions, role.permissions))
			throw new AppError("forbidden", "You cannot grant a role with permissions you do not have.");
		if (role.id === member.roleId) return redirectTo(c, "/team");
		await keepingAnOwner(
			commitWithAudit(
				db,
				tenant,
				auditActor(c, viewer.userId, viewer.name),
				{
					action: "team.role_changed",
					target: { type: "member", id: member.id },
					metadata: { member: member.email, before: member.roleId, after: role.id },
				},
				{ control: [setMemberRole(db, org.id, member.id, role.id)] },
			),
		);
		await notify(
			notifyContext(c),
			{ userIds: [member.userId] },
			{
				category: "team",
				title: `Your role is now ${role.name}`,
				body: `${viewer.name} changed your role in ${org.name} to ${role.name}.`,
				link: "/",
			},
		);
		return redirectTo(c, "/team?notice=role-changed");
	},
);

// ── Confirmations (a page without JavaScript, a dialog with it) ──────────────────────────────

function confirmPage(c: Context<AppEnv>, props: Parameters<typeof ConfirmAction>[0]) {
	return renderPage(c, { title: props.title, body: <ConfirmAction {...props} /> });
}

teamMemberRoutes.get("/members/:id/remove", memberParam, async (c) => {
	const { org } = tenantOf(c);
	const member = await targetMember(c, c.req.valid("param").id);
	return confirmPage(c, {
		title: `Remove ${member.name} from ${org.name}?`,
		consequences: [
			`${member.name} (${member.email}) loses access to this portal now; their sessions here end at once.`,
			"Their seat is free again. Invite them again to bring them back.",
		],
		action: `/team/members/${member.id}/remove`,
		submit: `Remove ${member.name}`,
		cancelHref: "/team",
	});
});

teamMemberRoutes.get("/leave", (c) => {
	const { org } = tenantOf(c);
	return confirmPage(c, {
		title: `Leave ${org.name}?`,
		consequences: [
			`You lose access to ${org.name}'s portal and are signed out here.`,
			"Only an invitation from an Owner or Admin brings you back.",
		],
		action: "/team/leave",
		submit: `Leave ${org.name}`,
		cancelHref: "/team",
	});
});

teamMemberRoutes.get("/members/:id/nominate-owner", memberParam, async (c) => {
	if (!isOwnerRole(me(c).membership.roleId)) throw new AppError("forbidden", "Only an Owner can transfer ownership.");
	const member = await targetMember(c, c.req.valid("param").id);
	return confirmPage(c, {
		title: `Make ${member.name} an Owner?`,
		consequences: [
			`${member.name} is asked to accept ownership; nothing changes until they do.`,
			"When they accept, they become an Owner (billing, deleting the organization) and you become an Admin.",
		],
		action: `/team/members/${member.id}/nominate-owner`,
		submit: `Nominate ${member.name}`,
		cancelHref: "/team",
	});
});

teamMemberRoutes.post("/members/:id/remove", memberParam, async (c) => {
	const viewer = me(c);
	const { org, tenant } = tenantOf(c);
	const db = c.get("db");
	const member = await targetMember(c, c.req.valid("param").id);
	await keepingAnOwner(
		commitWithAudit(
			db,
			tenant,
			auditActor(c, viewer.userId, viewer.name),
			{ action: "team.member_removed", target: { type: "member", id: member.id }, metadata: { member: member.email } },
			{ control: removeMemberWrites(db, org.id, member) },
		),
	);
	await notify(
		notifyContext(c),
		{ userIds: [member.userId] },
		{
			category: "team",
			title: `You were removed from ${org.name}`,
			body: `${viewer.name} removed you from ${org.name}'s portal. Ask an owner or admin if this is a mistake.`,
		},
	);
	return redirectTo(c, "/team?notice=removed");
});

teamMemberRoutes.post("/leave", async (c) => {
	const viewer = me(c);
	const { org, tenant } = tenantWithDetails(c);
	const db = c.get("db");
	await keepingAnOwner(
		commitWithAudit(
			db,
			tenant,
			auditActor(c, viewer.userId, viewer.name),
			{ action: "team.member_left", target: { type: "member", id: viewer.membership.id } },
			{ control: removeMemberWrites(db, org.id, { id: viewer.membership.id, userId: viewer.userId }) },
		),
		"You are the last Owner. Make someone else an Owner before you leave.",
	);
	clearSessionCookie(c);
	return redirectTo(c, "/sign-in?notice=signed-out");
});

// ── Ownership transfer ───────────────────────────────────────────────────────────────────────

teamMemberRoutes.post("/members/:id/nominate-owner", memberParam, async (c) => {
	const viewer = me(c);
	const { org, tenant } = tenantWithDetails(c);
	if (!isOwnerRole(viewer.membership.roleId)) throw new AppError("forbidden", "Only an Owner can transfer ownership.");
	const db = c.get("db");
	const member = await targetMember(c, c.req.valid("param").id);
	if (isOwnerRole(member.roleId)) throw new AppError("conflict", `${member.name} is already an Owner.`);
	await commitWithAudit(
		db,
		tenant,
		auditActor(c, viewer.userId, viewer.name),
		{
			action: "team.ownership_nominated",
			target: { type: "member", id: member.id },
			metadata: { nominee: member.email },
		},
		{
			control: [setOwnershipNominee(db, org.id, member.userId, viewer.userId)],
		},
	);
	return redirectTo(c, "/team?notice=nominated");
});

teamMemberRoutes.post("/ownership/accept", async (c) => {
	const viewer = me(c);
	const { org, tenant } = tenantWithDetails(c);
	const db = c.get("db");
	const noNomination = new AppError("not_found", "There is no ownership nomination for you.");
	const nominatedBy = org.ownershipNominatedBy;
	if (org.ownershipNomineeId !== viewer.userId || !nominatedBy) throw noNomination;
	try {
		await commitWithAudit(
			db,
			tenant,
			auditActor(c, viewer.userId, viewer.name),
			{ action: "team.ownership_transferred", metadata: { from: nominatedBy, to: viewer.userId } },
			{
				control: [
					// Decided when it is written: the nomination still stands and its maker is still an Owner
					// (a demoted or departed nominator's nomination ends with their role, by trigger).
					requireThat(db, nominationStands(org.id, viewer.userId, nominatedBy), "ownership nomination"),
					setMemberRole(db, org.id, viewer.membership.id, "rol_builtin_owner"),
					demoteOwner(db, org.id, nominatedBy),
					setOwnershipNominee(db, org.id, null, null),
				],
			},
		);
	} catch (error) {
		if (refusalOf(error) === "precondition_failed") throw noNomination;
		throw error;
	}
	await notify(
		notifyContext(c),
		{ permission: "danger:manage" },
		{
			category: "team",
			title: `${viewer.name} is now an Owner`,
			body: `Ownership of ${org.name} was transferred to ${viewer.name}.`,
			link: "/team",
		},
	);
	return redirectTo(c, "/team?notice=ownership-accepted");
});

teamMemberRoutes.post("/ownership/cancel", async (c) => {
	const viewer = me(c);
	const { org, tenant } = tenantWithDetails(c);
	if (!org.ownershipNomineeId) return redirectTo(c, "/team");
	if (org.ownershipNomineeId !== viewer.userId && !isOwnerRole(viewer.membership.roleId)) {
		throw new AppError("forbidden", "Only the nominee or an Owner can cancel the nomination.");
	}
	const db = c.get("db");
	await commitWithAudit(
		db,
		tenant,
		auditActor(c, viewer.userId, viewer.name),
		{ action: "team.ownership_nomination_cancelled" },
		{
			control: [setOwnershipNominee(db, org.id, null, null)],
		},
	);
	return redirectTo(c, "/team?notice=ownership-cancelled");
});
