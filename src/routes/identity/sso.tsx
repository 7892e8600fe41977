// Signing in with the organization's identity provider. On the tenant host, "Sign in with SSO" takes
// the address and, when its domain is this organization's verified one and SSO is on, sends the browser
// to the provider. The provider answers on the apex (one redirect URI for every organization); the
// answer is verified there and the person handed to their portal with a login ticket, as social
// sign-in does. A failure is our page with a reference id, never the provider's own words.
import { type Context, Hono } from "hono";
import { z } from "zod";
import { auditActor } from "../../audit/actor.ts";
import { issueLoginTicket } from "../../auth/handoff.ts";
import { emailSchema } from "../../auth/password-policy.ts";
import type { AppEnv } from "../../context.ts";
import { findConnection, verifiedSsoDomain } from "../../db/sso.ts";
import { log } from "../../lib/log.ts";
import { rawText, validateOr } from "../../lib/validate.ts";
import { orgOf } from "../../middleware/guards.ts";
import { notifyContextForOrganization } from "../../notifications/context.ts";
import { SsoFailure } from "../../sso/oidc.ts";
import { emailDomainOf, finishSso, startSso } from "../../sso/service.ts";
import { apexOrigin, portalAddress } from "../../tenancy/address.ts";
import { MessagePage } from "../../views/pages/messages.tsx";
import { renderPage } from "../../views/render.tsx";

export const ssoStartRoutes = new Hono<AppEnv>();

/**
 * Sends the browser on to the identity provider after a form post. Not a redirect: Chromium applies
 * the page's form-action to redirects after a POST, and an organization's provider is not among our
 * form targets. A page that refreshes to the provider (and links to it) is a plain navigation.
 */
export function continueToProvider(c: Context<AppEnv>, url: string) {
	c.header("refresh", `0; url=${url}`);
	c.header("cache-control", "no-store");
	return renderPage(c, {
		title: "Continuing to your identity provider",
		body: (
			<MessagePage title="Continuing to your identity provider" action={{ href: url, label: "Continue" }}>
				<p>Your organization signs you in with its identity provider. If nothing happens, use the button.</p>
			</MessagePage>
		),
	});
}

function ssoProblem(c: Context<AppEnv>, text: string, status = 400) {
	return renderPage(c, {
		title: "Single sign-on did not work",
		status,
		body: (
			<MessagePage title="Single sign-on did not work" action={{ href: "/sign-in", label: "Back to sign in" }}>
				<p>{text}</p>
				<p class="hint">
					Reference: <code>{c.get("requestId")}</code> — give it to your administrator if this keeps happening.
				</p>
			</MessagePage>
		),
	});
}

ssoStartRoutes.post(
	"/sign-in/sso",
	validateOr("form", z.strictObject({ email: emailSchema }), (c, failure) =>
		ssoProblem(
			c,
			failure.errors.email ?? `Enter your work email address (${rawText(failure, "email") || "you@company.com"}).`,
			422,
		),
	),
	async (c) => {
		const org = orgOf(c);
		const domain = emailDomainOf(c.req.valid("form").email);
		const [claimed, connection] = await Promise.all([verifiedSsoDomain(org, domain), findConnection(org)]);
		if (!claimed || !connection?.enabled)
			return ssoProblem(
				c,
				`Single sign-on is not set up for ${domain} here. Sign in with your password or an email link.`,
				404,
			);
		const key = c.env.SSO_SECRET_KEY;
		if (!key) return ssoProblem(c, "Single sign-on is not available right now.", 503);
		try {
			const url = await startSso(org, {
				host: portalAddress(c).host,
				apexOrigin: apexOrigin(c),
				secretKey: key,
				test: false,
				startedBy: null,
				nowMs: Date.now(),
			});
			return continueToProvider(c, url);
		} catch (error) {
			if (!(error instanceof SsoFailure)) throw error;
			log("warn", "sso start failed", { requestId: c.get("requestId"), reason: error.reason });
			return ssoProblem(c, error.explanation, 502);
		}
	},
);

export const ssoCallbackRoutes = new Hono<AppEnv>();

const callbackQuery = z.object({
	state: z.string().max(200).default(""),
	code: z.string().max(4000).optional(),
	error: z.string().max(200).optional(),
});

ssoCallbackRoutes.get("/sso/oidc/callback", async (c) => {
	const parsed = callbackQuery.safeParse(c.req.query());
	if (!parsed.success || !parsed.data.state) return ssoProblem(c, "This sign-in answer is not valid.");
	const key = c.env.SSO_SECRET_KEY;
	if (!key) return ssoProblem(c, "Single sign-on is not available right now.", 503);
	const url = new URL(c.req.url);
	const result = await finishSso(
		{
			db: c.get("db"),
			bindings: c.env,
			apexOrigin: apexOrigin(c),
			secretKey: key,
			actorFor: (id, label) => auditActor(c, id, label),
			notices: (orgId) => notifyContextForOrganization(c.get("db"), c.get("dbConfig"), c.env, orgId),
			nowMs: Date.now(),
		},
		{ state: parsed.data.state, code: parsed.data.code ?? null, error: parsed.data.error ?? null },
	);
	if (result.kind === "test")
		return c.redirect(`${url.protocol}//${result.host}/settings/sso?test=${result.requestId}`, 303);
	if (result.kind === "failed") {
		log("info", "sso sign-in refused", { requestId: c.get("requestId"), reason: result.reason, orgId: result.orgId });
		return ssoProblem(c, result.explanation, result.reason === "unknown_state" ? 400 : 403);
	}
	// The identity provider authenticated the person (its own MFA included): the session is SSO's.
	const ticket = await issueLoginTicket(c, {
		userId: result.user.id,
		orgId: result.orgId,
		host: result.host,
		mfaVerified: true,
		signInMethod: "sso",
	});
	await ticket.insert;
	return c.redirect(`${url.protocol}//${result.host}/sign-in/ticket?token=${ticket.token}`, 303);
});
