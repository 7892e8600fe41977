// Members of the team: role changes, removal, leaving, and ownership transfer. Changing others needs
// `members:manage` and a verified email; anything touching the Owner role needs an Owner.
import { type Context, Hono } from "hono";
import * as z from "zod";
import { clearSessionCookie } from "../../auth/session.ts";
import type { AppEnv } from "../../context.ts";
import { validate } from "../../lib/validate.ts";
import {
	redirectTo,
	requirePermission,
	requireVerifiedEmail,
	tenantOf,
	tenantWithDetails,
} from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import {
	acceptOwnership,
	cancelNomination,
	changeRole,
	leave,
	nominateOwner,
	removeMember,
	requireOwner,
	targetMember,
} from "../../team/members.ts";
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

teamMemberRoutes.post(
	"/members/:id/role",
	memberParam,
	validate("form", z.strictObject({ roleId: z.string().max(64) })),
	async (c) => {
		const changed = await changeRole(
			unitOf(c),
			tenantOf(c).org.name,
			c.req.valid("param").id,
			c.req.valid("form").roleId,
		);
		return redirectTo(c, changed ? "/team?notice=role-changed" : "/team");
	},
);

// ── Confirmations (a page without JavaScript, a dialog with it) ──────────────────────────────

function confirmPage(c: Context<AppEnv>, props: Parameters<typeof ConfirmAction>[0]) {
	return renderPage(c, { title: props.title, body: <ConfirmAction {...props} /> });
}

teamMemberRoutes.get("/members/:id/remove", memberParam, async (c) => {
	const { org } = tenantOf(c);
	const member = await targetMember(unitOf(c), c.req.valid("param").id);
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
	const unit = unitOf(c);
	requireOwner(unit);
	const member = await targetMember(unit, c.req.valid("param").id);
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
	await removeMember(unitOf(c), tenantOf(c).org.name, c.req.valid("param").id);
	return redirectTo(c, "/team?notice=removed");
});

teamMemberRoutes.post("/leave", async (c) => {
	await leave(unitOf(c));
	clearSessionCookie(c);
	return redirectTo(c, "/sign-in?notice=signed-out");
});

// ── Ownership transfer ───────────────────────────────────────────────────────────────────────

teamMemberRoutes.post("/members/:id/nominate-owner", memberParam, async (c) => {
	await nominateOwner(unitOf(c), c.req.valid("param").id);
	return redirectTo(c, "/team?notice=nominated");
});

teamMemberRoutes.post("/ownership/accept", async (c) => {
	await acceptOwnership(unitOf(c), tenantWithDetails(c).org);
	return redirectTo(c, "/team?notice=ownership-accepted");
});

teamMemberRoutes.post("/ownership/cancel", async (c) => {
	const cancelled = await cancelNomination(unitOf(c), tenantWithDetails(c).org);
	return redirectTo(c, cancelled ? "/team?notice=ownership-cancelled" : "/team");
});
