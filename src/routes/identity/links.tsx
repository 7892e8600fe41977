// Sign-in and account links that arrive by email or redirect: magic links, password reset, email
// verification and change, and the one-time login tickets that hand a user from one host to another.

import { type Context, Hono } from "hono";
import * as z from "zod";
import { authEmails } from "../../auth/emails.ts";
import { emailSchema, newPasswordSchema } from "../../auth/password-policy.ts";
import { issueEmailToken } from "../../auth/tokens.ts";
import { changeEmail, resetPassword, verifyEmail } from "../../auth/verbs.ts";
import type { AppEnv } from "../../context.ts";
import { consumeEmailToken, type EmailTokenPurpose, peekEmailToken } from "../../db/tokens.ts";
import { findMembership, findUserByEmail, findUserById, markEmailVerified } from "../../db/users.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { rawText, validateOr } from "../../lib/validate.ts";
import { sendMail } from "../../mail/send.ts";
import { orgOf, redirectTo, tenantOf } from "../../middleware/guards.ts";
import { visitorUnitOf } from "../../middleware/unit.ts";
import { passwordPolicyFor } from "../../sso/policy.ts";
import { portalAddress } from "../../tenancy/address.ts";
import { ForgotPasswordForm, ResetPasswordForm } from "../../views/pages/identity/password-reset.tsx";
import { ConfirmLinkPage, MessagePage } from "../../views/pages/messages.tsx";
import { renderPage, siteBrand } from "../../views/render.tsx";
import { completeSignIn } from "./sign-in-flow.ts";

export const linkRoutes = new Hono<AppEnv>();

export const tokenSchema = z.object({
	token: z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, { error: "This link is not valid." }),
});

function origin(c: Context<AppEnv>): string {
	return portalAddress(c).origin;
}

export function linkProblem(c: Context<AppEnv>, what: string) {
	return renderPage(c, {
		title: "Link not valid",
		status: 400,
		body: (
			<MessagePage title="This link no longer works" action={{ href: "/sign-in", label: "Go to sign in" }}>
				<p>
					{what} links work once and expire after a while. This one was already used, has expired or was changed. Ask
					for a new one from the sign-in page.
				</p>
			</MessagePage>
		),
	});
}

/** Sends a link for `purpose` to a member of this organization; to anyone else, a note that there is no account. */
async function sendAccountLink(c: Context<AppEnv>, email: string, purpose: "magic_link" | "reset_password") {
	const { org } = tenantOf(c);
	const db = c.get("db");
	const brand = siteBrand(c);
	const user = await findUserByEmail(db, email);
	const member = user ? await findMembership(db, user.id, org.id) : null;
	if (!user || !member) {
		await sendMail(c.env, db, { orgId: org.id, to: email, ...authEmails.noAccount(brand) });
		return;
	}
	// Require SSO: no email links for those people (an Owner keeps the password reset, for break-glass).
	const policy = await passwordPolicyFor(orgOf(c), { id: user.id, email: user.email });
	if (policy === "sso-only" || (policy === "break-glass" && purpose === "magic_link")) {
		await sendMail(c.env, db, { orgId: org.id, to: user.email, ...authEmails.useSso(brand) });
		return;
	}
	const { token, insert } = await issueEmailToken(db, purpose, {
		userId: user.id,
		orgId: org.id,
		host: portalAddress(c).host,
	});
	await insert;
	const path = purpose === "magic_link" ? "/sign-in/link" : "/reset-password";
	const url = `${origin(c)}${path}?token=${token}`;
	const message = purpose === "magic_link" ? authEmails.magicLink(brand, url) : authEmails.resetPassword(brand, url);
	await sendMail(c.env, db, { orgId: org.id, to: user.email, ...message });
}

// ── Magic links ───────────────────────────────────────────────────────────────────────────────

linkRoutes.post(
	"/sign-in/link",
	validateOr("form", z.strictObject({ email: emailSchema }), (c, failure) => {
		return renderPage(c, {
			title: "Sign in",
			status: 422,
			body: (
				<MessagePage title="Check the address" action={{ href: "/sign-in", label: "Back to sign in" }}>
					<p>{failure.errors.email}</p>
				</MessagePage>
			),
		});
	}),
	async (c) => {
		await sendAccountLink(c, c.req.valid("form").email, "magic_link");
		return redirectTo(c, "/sign-in?notice=link-sent");
	},
);

linkRoutes.get(
	"/sign-in/link",
	validateOr("query", tokenSchema, (c) => linkProblem(c, "Sign-in")),
	async (c) => {
		const { token } = c.req.valid("query");
		if (
			!(await peekEmailToken(c.get("db"), await sha256Hex(token), "magic_link", new URL(c.req.url).host, Date.now()))
		) {
			return linkProblem(c, "Sign-in");
		}
		const { org } = tenantOf(c);
		return renderPage(c, {
			title: "Sign in",
			body: (
				<ConfirmLinkPage
					title={`Sign in to ${org.name}`}
					text="Continue to sign in with the link from your email."
					action="/sign-in/link/confirm"
					token={token}
					button="Sign in"
				/>
			),
		});
	},
);

async function useToken(c: Context<AppEnv>, token: string, purpose: EmailTokenPurpose) {
	return consumeEmailToken(c.get("db"), await sha256Hex(token), purpose, new URL(c.req.url).host, Date.now());
}

linkRoutes.post(
	"/sign-in/link/confirm",
	validateOr("form", z.strictObject(tokenSchema.shape), (c) => linkProblem(c, "Sign-in")),
	async (c) => {
		const { org } = tenantOf(c);
		const db = c.get("db");
		const row = await useToken(c, c.req.valid("form").token, "magic_link");
		const user = row ? await findUserById(db, row.userId) : null;
		if (!row || !user || row.orgId !== org.id || !(await findMembership(db, user.id, org.id)))
			return linkProblem(c, "Sign-in");
		// Opening the link proves the address.
		await markEmailVerified(db, user.id);
		return completeSignIn(
			c,
			{ userId: user.id, name: user.name, email: user.email, mfaEnabled: user.mfaEnabled },
			"magic_link",
		);
	},
);

// ── Password reset ───────────────────────────────────────────────────────────────────────────

linkRoutes.get("/forgot-password", (c) =>
	renderPage(c, { title: "Reset your password", body: <ForgotPasswordForm /> }),
);

linkRoutes.post(
	"/forgot-password",
	validateOr("form", z.strictObject({ email: emailSchema }), (c, failure) => {
		return renderPage(c, {
			title: "Reset your password",
			status: 422,
			body: <ForgotPasswordForm errors={failure.errors} />,
		});
	}),
	async (c) => {
		await sendAccountLink(c, c.req.valid("form").email, "reset_password");
		return redirectTo(c, "/sign-in?notice=reset-sent");
	},
);

linkRoutes.get(
	"/reset-password",
	validateOr("query", tokenSchema, (c) => linkProblem(c, "Password reset")),
	async (c) => {
		const { token } = c.req.valid("query");
		if (
			!(await peekEmailToken(
				c.get("db"),
				await sha256Hex(token),
				"reset_password",
				new URL(c.req.url).host,
				Date.now(),
			))
		) {
			return linkProblem(c, "Password reset");
		}
		return renderPage(c, { title: "Choose a new password", body: <ResetPasswordForm token={token} /> });
	},
);

linkRoutes.post(
	"/reset-password",
	validateOr("form", z.strictObject({ ...tokenSchema.shape, password: newPasswordSchema }), (c, failure) => {
		const token = rawText(failure, "token");
		return renderPage(c, {
			title: "Choose a new password",
			status: 422,
			body: <ResetPasswordForm token={token} errors={failure.errors} />,
		});
	}),
	async (c) => {
		const db = c.get("db");
		const { token, password } = c.req.valid("form");
		const row = await useToken(c, token, "reset_password");
		const user = row ? await findUserById(db, row.userId) : null;
		if (!row || !user) return linkProblem(c, "Password reset");
		await resetPassword(visitorUnitOf(c), user, password);
		return redirectTo(c, "/sign-in?notice=password-reset");
	},
);

// ── Email verification and change ─────────────────────────────────────────────────────────────

/**
 * An emailed link that changes something opens a page with a button (mail scanners follow links; a GET
 * changes nothing). The button posts the token back.
 */
function confirmLinkRoute(
	path: string,
	purpose: EmailTokenPurpose,
	what: string,
	page: { title: string; text: string; button: string },
) {
	linkRoutes.get(
		path,
		validateOr("query", tokenSchema, (c) => linkProblem(c, what)),
		async (c) => {
			const { token } = c.req.valid("query");
			const host = new URL(c.req.url).host;
			if (!(await peekEmailToken(c.get("db"), await sha256Hex(token), purpose, host, Date.now())))
				return linkProblem(c, what);
			return renderPage(c, { title: page.title, body: <ConfirmLinkPage {...page} action={path} token={token} /> });
		},
	);
}

confirmLinkRoute("/verify-email", "verify_email", "Verification", {
	title: "Verify your email",
	text: "Confirm that this address is yours.",
	button: "Verify email",
});

confirmLinkRoute("/confirm-email", "change_email", "Email change", {
	title: "Confirm your new email",
	text: "Make this address the one you sign in with.",
	button: "Change my email",
});

linkRoutes.post(
	"/verify-email",
	validateOr("form", tokenSchema, (c) => linkProblem(c, "Verification")),
	async (c) => {
		const row = await useToken(c, c.req.valid("form").token, "verify_email");
		if (!row) return linkProblem(c, "Verification");
		await verifyEmail(visitorUnitOf(c), row.userId);
		return renderPage(c, {
			title: "Email verified",
			body: (
				<MessagePage title="Your email is verified" action={{ href: "/", label: "Continue" }}>
					<p>Thank you. Billing and team actions are now open to you.</p>
				</MessagePage>
			),
		});
	},
);

linkRoutes.post(
	"/confirm-email",
	validateOr("form", tokenSchema, (c) => linkProblem(c, "Email change")),
	async (c) => {
		const db = c.get("db");
		const row = await useToken(c, c.req.valid("form").token, "change_email");
		const user = row ? await findUserById(db, row.userId) : null;
		if (!row?.email || !user) return linkProblem(c, "Email change");
		if (!(await changeEmail(visitorUnitOf(c), user, row.email))) {
			return renderPage(c, {
				title: "Email in use",
				status: 409,
				body: (
					<MessagePage
						title="That address is already in use"
						action={{ href: "/account", label: "Back to your account" }}
					>
						<p>Another account signs in with {row.email}. Choose a different address.</p>
					</MessagePage>
				),
			});
		}
		return renderPage(c, {
			title: "Email changed",
			body: (
				<MessagePage title="Your email is changed" action={{ href: "/account", label: "Back to your account" }}>
					<p>You now sign in with {row.email}.</p>
				</MessagePage>
			),
		});
	},
);
