// Accepting an invitation on the organization's host (new people create an account, existing users
// join with their password or current session), and the organization's invite link.

import { type Context, Hono } from "hono";
import * as z from "zod";
import { emailSchema } from "../../auth/password-policy.ts";
import type { AppEnv } from "../../context.ts";
import { findInvitationByToken } from "../../db/team.ts";
import { findUserByEmail } from "../../db/users.ts";
import { sha256Hex, timingSafeEqualText } from "../../lib/crypto.ts";
import { singleLine } from "../../lib/text.ts";
import { rawText, validateOr } from "../../lib/validate.ts";
import { orgOf, redirectTo, signedIn, tenantWithDetails } from "../../middleware/guards.ts";
import { visitorUnitOf } from "../../middleware/unit.ts";
import { acceptInvitation } from "../../team/accept.ts";
import { requestInviteByLink } from "../../team/invite-link.ts";
import { emailDomain } from "../../team/rules.ts";
import { MessagePage } from "../../views/pages/messages.tsx";
import { InvitationPage, JoinLinkPage } from "../../views/pages/team/invitation.tsx";
import { renderPage } from "../../views/render.tsx";
import { completeSignIn } from "../identity/sign-in-flow.ts";

export const invitationRoutes = new Hono<AppEnv>();

const TOKEN = /^[A-Za-z0-9_-]{20,128}$/;

function invitationProblem(c: Context<AppEnv>) {
	return renderPage(c, {
		title: "Invitation not valid",
		status: 400,
		body: (
			<MessagePage title="This invitation no longer works" action={{ href: "/sign-in", label: "Go to sign in" }}>
				<p>
					Invitations work once, for 7 days, and only for the organization that sent them. This one was used, revoked,
					expired or is for another organization. Ask an owner or admin to invite you again.
				</p>
			</MessagePage>
		),
	});
}

async function loadInvitation(c: Context<AppEnv>, token: string | undefined) {
	if (!token || !TOKEN.test(token)) return null;
	return findInvitationByToken(orgOf(c), await sha256Hex(token), Date.now());
}

async function invitationMode(c: Context<AppEnv>, email: string) {
	const viewer = signedIn(c);
	if (viewer) return viewer.email === email ? ("join" as const) : ("wrong-account" as const);
	return (await findUserByEmail(c.get("db"), email)) ? ("sign-in" as const) : ("create" as const);
}

invitationRoutes.get("/invitation", async (c) => {
	const token = c.req.query("token");
	const invitation = await loadInvitation(c, token);
	if (!invitation || !token) return invitationProblem(c);
	const { org } = tenantWithDetails(c);
	return renderPage(c, {
		title: `Join ${org.name}`,
		body: (
			<InvitationPage
				orgName={org.name}
				email={invitation.email}
				roleName={invitation.roleName}
				token={token}
				mode={await invitationMode(c, invitation.email)}
				signedInAs={signedIn(c)?.email}
			/>
		),
	});
});

const acceptSchema = z.strictObject({
	token: z.string().max(128),
	name: singleLine(z.string().trim().max(80, { error: "Use at most 80 characters." }), "Your name").optional(),
	password: z.string().max(1024).optional(),
});

invitationRoutes.post(
	"/invitation/accept",
	validateOr("form", acceptSchema, (c) => invitationProblem(c)),
	async (c) => {
		const { org } = tenantWithDetails(c);
		const db = c.get("db");
		const form = c.req.valid("form");
		const invitation = await loadInvitation(c, form.token);
		if (!invitation) return invitationProblem(c);
		const mode = await invitationMode(c, invitation.email);
		const again = (errors: Record<string, string>) =>
			renderPage(c, {
				title: `Join ${org.name}`,
				status: 422,
				body: (
					<InvitationPage
						orgName={org.name}
						email={invitation.email}
						roleName={invitation.roleName}
						token={form.token}
						mode={mode}
						errors={errors}
						signedInAs={signedIn(c)?.email}
					/>
				),
			});
		const viewer = signedIn(c);
		const result = await acceptInvitation(visitorUnitOf(c), org, invitation, mode, {
			viewer: viewer && { id: viewer.userId, name: viewer.name, email: viewer.email, mfaEnabled: viewer.mfaEnabled },
			existing: mode === "sign-in" ? await findUserByEmail(db, invitation.email) : null,
			form,
		});
		if (result.outcome === "invalid") return invitationProblem(c);
		if (result.outcome === "retry") return again(result.errors);
		const { user } = result;
		if (mode === "join") return redirectTo(c, "/");
		return completeSignIn(
			c,
			{ userId: user.id, name: user.name, email: user.email, mfaEnabled: user.mfaEnabled },
			mode === "create" ? "sign_up" : "password",
		);
	},
);

// ── Invite link ──────────────────────────────────────────────────────────────────────────────

function linkMatches(c: Context<AppEnv>, token: string | undefined): boolean {
	const expected = tenantWithDetails(c).org.inviteLinkToken;
	return Boolean(expected && token && timingSafeEqualText(expected, token));
}

function linkOff(c: Context<AppEnv>) {
	return renderPage(c, {
		title: "Invite link not valid",
		status: 404,
		body: (
			<MessagePage title="This invite link is not active" action={{ href: "/sign-in", label: "Go to sign in" }}>
				<p>Ask an owner or admin of the organization for an invitation.</p>
			</MessagePage>
		),
	});
}

invitationRoutes.get("/join", (c) => {
	const token = c.req.query("token");
	const { org } = tenantWithDetails(c);
	if (!linkMatches(c, token) || !token) return linkOff(c);
	return renderPage(c, {
		title: `Join ${org.name}`,
		body: <JoinLinkPage orgName={org.name} domains={org.inviteLinkDomains} token={token} />,
	});
});

invitationRoutes.post(
	"/join",
	validateOr("form", z.strictObject({ token: z.string().max(128), email: emailSchema }), (c, failure) => {
		const { org } = tenantWithDetails(c);
		const token = rawText(failure, "token");
		if (!linkMatches(c, token)) return linkOff(c);
		return renderPage(c, {
			title: `Join ${org.name}`,
			status: 422,
			body: (
				<JoinLinkPage orgName={org.name} domains={org.inviteLinkDomains} token={token} error={failure.errors.email} />
			),
		});
	}),
	async (c) => {
		const { org } = tenantWithDetails(c);
		const { token, email } = c.req.valid("form");
		if (!linkMatches(c, token)) return linkOff(c);
		if (!org.inviteLinkDomains.includes(emailDomain(email))) {
			return renderPage(c, {
				title: `Join ${org.name}`,
				status: 422,
				body: (
					<JoinLinkPage
						orgName={org.name}
						domains={org.inviteLinkDomains}
						token={token}
						error={`Use an address at ${org.inviteLinkDomains.join(" or ")}.`}
					/>
				),
			});
		}
		await requestInviteByLink(visitorUnitOf(c), org, email);
		return renderPage(c, {
			title: "Check your email",
			body: (
				<MessagePage title="Check your email">
					<p>
						If {email} can join {org.name}, an invitation is on its way to it.
					</p>
				</MessagePage>
			),
		});
	},
);
