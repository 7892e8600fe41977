// Accepting an invitation on the organization's host (new people create an account, existing users
// join with their password or current session), and the organization's invite link.

import { type Context, Hono } from "hono";
import { z } from "zod";
import { auditActor } from "../../audit/actor.ts";
import { emailSchema, newPasswordSchema } from "../../auth/password-policy.ts";
import { verifyPasswordThrottled } from "../../auth/throttle.ts";
import type { AppEnv } from "../../context.ts";
import { auditInsert, commitWithAudit } from "../../db/audit.ts";
import { refusalOf, requireThat } from "../../db/preconditions.ts";
import {
	acceptInvitation,
	countSeatsUsed,
	findInvitationByToken,
	insertInvitation,
	insertMembership,
	isMember,
	pendingInvitationIdFor,
	renewInvitation,
	seatsFree,
} from "../../db/team.ts";
import { findUserByEmail, insertUser } from "../../db/users.ts";
import { randomToken, sha256Hex, timingSafeEqualText } from "../../lib/crypto.ts";
import { fieldErrors } from "../../lib/forms.ts";
import { singleLine } from "../../lib/text.ts";
import { rawText, validateOr } from "../../lib/validate.ts";
import { sendMail } from "../../mail/send.ts";
import { redirectTo, signedIn, tenantOf, tenantWithDetails } from "../../middleware/guards.ts";
import { notifyContext } from "../../notifications/context.ts";
import { notify } from "../../notifications/notify.ts";
import { passwordsFor } from "../../passwords/service.ts";
import { invitationEmail } from "../../team/emails.ts";
import { emailDomain, INVITATION_MS, seatLimit } from "../../team/rules.ts";
import { portalAddress } from "../../tenancy/address.ts";
import { MessagePage } from "../../views/pages/messages.tsx";
import { InvitationPage, JoinLinkPage } from "../../views/pages/team/invitation.tsx";
import { renderPage, siteBrand } from "../../views/render.tsx";
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
	return findInvitationByToken(c.get("db"), tenantOf(c).org.id, await sha256Hex(token), Date.now());
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
		const { org, tenant } = tenantWithDetails(c);
		const db = c.get("db");
		const form = c.req.valid("form");
		const invitation = await loadInvitation(c, form.token);
		if (!invitation) return invitationProblem(c);
		const mode = await invitationMode(c, invitation.email);
		const nowMs = Date.now();
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
		if (mode === "wrong-account") return again({ form: "This invitation is for another address." });

		let user: { id: string; name: string; email: string; mfaEnabled: boolean };
		const writes = [];
		if (mode === "join") {
			const viewer = signedIn(c);
			if (!viewer) return invitationProblem(c);
			user = { id: viewer.userId, name: viewer.name, email: viewer.email, mfaEnabled: viewer.mfaEnabled };
		} else if (mode === "sign-in") {
			const existing = await findUserByEmail(db, invitation.email);
			const ip = c.req.header("cf-connecting-ip") ?? null;
			if (!existing) return invitationProblem(c);
			const checked = await verifyPasswordThrottled(
				db,
				{
					subject: existing.email,
					ip,
					nowMs,
					password: form.password ?? "",
					hash: existing.passwordHash,
				},
				passwordsFor(c.env),
			);
			if (checked === "locked")
				return again({ password: "Too many attempts. Wait 15 minutes, or reset your password." });
			if (checked === "wrong") {
				await auditInsert(tenant, auditActor(c, existing.id, existing.email), {
					action: "auth.sign_in_failed",
					metadata: { via: "invitation" },
				});
				return again({ password: "That password is not right." });
			}
			user = { id: existing.id, name: existing.name, email: existing.email, mfaEnabled: existing.mfaEnabled };
		} else {
			const parsed = z
				.object({ name: z.string().min(1, { error: "Enter your name." }), password: newPasswordSchema })
				.safeParse(form);
			if (!parsed.success) return again(fieldErrors(parsed.error));
			// The invitation reached this address, which verifies it.
			const created = insertUser(db, {
				email: invitation.email,
				name: parsed.data.name,
				passwordHash: await passwordsFor(c.env).hash(parsed.data.password),
				emailVerifiedAt: nowMs,
			});
			writes.push(created.query);
			user = { id: created.id, name: parsed.data.name, email: invitation.email, mfaEnabled: false };
		}
		// One batch: the membership (unique per organization and user) and the invitation's use.
		await commitWithAudit(
			db,
			tenant,
			auditActor(c, user.id, user.name),
			{
				action: "team.invitation_accepted",
				target: { type: "invitation", id: invitation.id },
				metadata: { email: user.email, role: invitation.roleName },
			},
			{
				control: [
					...writes,
					insertMembership(db, org.id, user.id, invitation.roleId),
					acceptInvitation(db, org.id, invitation.id, nowMs),
				],
			},
		);
		await notify(
			notifyContext(c),
			{ permission: "members:manage" },
			{
				category: "team",
				title: `${user.name} joined ${org.name}`,
				body: `${user.name} (${user.email}) accepted the invitation as ${invitation.roleName}.`,
				link: "/team",
			},
		);
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
		const { org, tenant } = tenantWithDetails(c);
		const db = c.get("db");
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
		const nowMs = Date.now();
		const done = () =>
			renderPage(c, {
				title: "Check your email",
				body: (
					<MessagePage title="Check your email">
						<p>
							If {email} can join {org.name}, an invitation is on its way to it.
						</p>
					</MessagePage>
				),
			});
		// Members and seat-less organizations get the same answer, so the page reveals nobody.
		if (await isMember(db, org.id, email)) return done();
		const invite = randomToken(32);
		const pendingId = await pendingInvitationIdFor(db, org.id, email, nowMs);
		const url = `${portalAddress(c).origin}/invitation?token=${invite}`;
		const actor = { type: "system" as const, id: null, label: "Invite link" };
		if (pendingId) {
			await renewInvitation(db, org.id, pendingId, await sha256Hex(invite), nowMs + INVITATION_MS);
		} else {
			const limit = seatLimit(org.planLimits);
			if (limit !== null && (await countSeatsUsed(db, org.id, nowMs)) >= limit) {
				await auditInsert(tenant, actor, { action: "team.invite_link_refused_no_seat", metadata: { email } });
				return done();
			}
			const created = insertInvitation(db, {
				orgId: org.id,
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
					{ action: "team.invited", metadata: { emails: [email], role: "Member", via: "invite link" } },
					{ control: [requireThat(db, seatsFree(org.id, nowMs, limit, 1), "seats"), created.query] },
				);
			} catch (error) {
				if (refusalOf(error) !== "precondition_failed") throw error;
				await auditInsert(tenant, actor, { action: "team.invite_link_refused_no_seat", metadata: { email } });
				return done();
			}
		}
		await sendMail(c.env, db, {
			orgId: org.id,
			to: email,
			...invitationEmail(siteBrand(c), { inviterName: org.name, roleName: "Member", url }),
		});
		return done();
	},
);
