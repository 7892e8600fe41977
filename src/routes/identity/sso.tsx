// Signing in with the organization's identity provider. On the tenant host, "Sign in with SSO" takes
// the address and, when its domain is this organization's verified one and SSO is on, sends the browser
// to the provider. The provider answers on the apex (one redirect URI for every organization); the
// answer is verified there and the person handed to their portal with a login ticket, as social
// sign-in does. A failure is our page with a reference id, never the provider's own words.
import { type Context, Hono } from "hono";
import * as z from "zod";
import { auditActor } from "../../audit/actor.ts";
import { issueLoginTicket } from "../../auth/handoff.ts";
import { emailSchema } from "../../auth/password-policy.ts";
import type { AppEnv } from "../../context.ts";
import { orgData } from "../../db/org-data.ts";
import { findOrganizationSlug } from "../../db/organizations.ts";
import { findPrimaryDomain } from "../../db/primary-domain.ts";
import { findConnection, verifiedSsoDomain } from "../../db/sso.ts";
import { log } from "../../lib/log.ts";
import { rawText, validateOr } from "../../lib/validate.ts";
import { orgOf } from "../../middleware/guards.ts";
import { notifyContextForOrganization } from "../../notifications/context.ts";
import { SsoFailure } from "../../sso/oidc.ts";
import { MAX_RESPONSE_BYTES, samlSpUrls, spMetadataXml } from "../../sso/saml.ts";
import { emailDomainOf } from "../../sso/setup.ts";
import { type CallbackResult, finishSaml, finishSso, startSso } from "../../sso/sign-in.ts";
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

/** Why a sign-in was refused, in words for the person (the details are in the organization's audit log). */
const FAILURE_TEXT: Record<string, string> = {
	no_seat: "Every seat of this organization's plan is taken. Your administrators have been told.",
	deprovisioned: "Your organization's directory has removed your access here. Ask your administrator.",
	domain_not_verified: "Your address is not in one of this organization's verified domains.",
	no_verified_email: "The identity provider did not send a verified email address.",
	not_enabled: "Single sign-on is not switched on for this organization.",
	provider_refused: "The identity provider did not sign you in.",
	assertion_replayed: "This sign-in answer was already used. Start again from the sign-in page.",
	expired: "The sign-in took too long or the clocks disagree. Start again from the sign-in page.",
	idp_initiated_refused:
		"Start from this sign-in page: sign-ins started at the identity provider are not allowed here.",
};

/** The organization's own failure page (its brand, on its host), with the reference of the refusal. */
ssoStartRoutes.get("/sign-in/sso/failed", (c) => {
	const reason = c.req.query("reason") ?? "";
	const ref = (c.req.query("ref") ?? "").replace(/[^A-Za-z0-9_-]/g, "").slice(0, 64);
	return ssoProblem(
		c,
		FAILURE_TEXT[reason] ??
			"Your identity provider's answer could not be accepted. Your administrator can see why in the audit log.",
		403,
		ref,
	);
});

function ssoProblem(c: Context<AppEnv>, text: string, status = 400, reference = c.get("requestId")) {
	return renderPage(c, {
		title: "Single sign-on did not work",
		status,
		body: (
			<MessagePage title="Single sign-on did not work" action={{ href: "/sign-in", label: "Back to sign in" }}>
				<p>{text}</p>
				<p class="hint">
					Reference: <code>{reference}</code> — give it to your administrator if this keeps happening.
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

function callbackContext(c: Context<AppEnv>, secretKey: string) {
	return {
		db: c.get("db"),
		bindings: c.env,
		apexOrigin: apexOrigin(c),
		secretKey,
		actorFor: (id: string | null, label: string) => auditActor(c, id, label),
		notices: (orgId: string) => notifyContextForOrganization(c.get("db"), c.get("dbConfig"), c.env, orgId),
		nowMs: Date.now(),
	};
}

/**
 * Where an answer on the apex goes: a test back to the setup page, a signed-in person to their portal
 * with a login ticket, a refusal to the organization's own (branded) failure page with a reference.
 */
async function settle(c: Context<AppEnv>, result: CallbackResult) {
	const url = new URL(c.req.url);
	if (result.kind === "test")
		return c.redirect(`${url.protocol}//${result.host}/settings/sso?test=${result.requestId}`, 303);
	if (result.kind === "failed") {
		log("info", "sso sign-in refused", { requestId: c.get("requestId"), reason: result.reason, orgId: result.orgId });
		if (!result.host) return ssoProblem(c, result.explanation, 400);
		const query = new URLSearchParams({ reason: result.reason, ref: c.get("requestId") });
		return c.redirect(`${url.protocol}//${result.host}/sign-in/sso/failed?${query}`, 303);
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
}

ssoCallbackRoutes.get("/sso/oidc/callback", async (c) => {
	const parsed = callbackQuery.safeParse(c.req.query());
	if (!parsed.success || !parsed.data.state) return ssoProblem(c, "This sign-in answer is not valid.");
	const key = c.env.SSO_SECRET_KEY;
	if (!key) return ssoProblem(c, "Single sign-on is not available right now.", 503);
	const result = await finishSso(callbackContext(c, key), {
		state: parsed.data.state,
		code: parsed.data.code ?? null,
		error: parsed.data.error ?? null,
	});
	return settle(c, result);
});

/** The organization's SP metadata, public as SAML intends: its entity ID is this address. */
ssoCallbackRoutes.get("/sso/saml/:orgId/metadata", async (c) => {
	const orgId = c.req.param("orgId");
	const connection = /^org_[0-9a-z]{26}$/.test(orgId)
		? await findConnection(orgData({ orgId, db: c.get("db") }))
		: null;
	if (connection?.protocol !== "saml") return c.notFound();
	return c.body(spMetadataXml(samlSpUrls(apexOrigin(c), orgId), connection.samlSigned !== "response"), 200, {
		"content-type": "application/samlmetadata+xml",
	});
});

const acsForm = z.object({
	SAMLResponse: z
		.string()
		.min(1)
		.max(Math.ceil((MAX_RESPONSE_BYTES * 4) / 3) + 4),
	RelayState: z.string().max(1000).optional(),
});

/** The assertion consumer service: the IdP's Response arrives here by an HTTP-POST from the browser. */
ssoCallbackRoutes.post("/sso/saml/:orgId/acs", async (c) => {
	const orgId = c.req.param("orgId");
	const body = await c.req.parseBody().catch(() => ({}));
	const parsed = acsForm.safeParse(body);
	if (!/^org_[0-9a-z]{26}$/.test(orgId) || !parsed.success) return ssoProblem(c, "This sign-in answer is not valid.");
	const key = c.env.SSO_SECRET_KEY ?? "";
	const result = await finishSaml(
		{
			...callbackContext(c, key),
			defaultHost: async (id) => {
				const [slug, custom] = await Promise.all([
					findOrganizationSlug(c.get("db"), id),
					findPrimaryDomain(c.get("db"), id),
				]);
				const url = new URL(c.req.url);
				const host = custom ?? (slug ? `${slug}.${c.get("config").PORTAL_DOMAIN}` : null);
				return host && `${host}${url.port ? `:${url.port}` : ""}`;
			},
		},
		{ orgId, samlResponse: parsed.data.SAMLResponse },
	);
	return settle(c, result);
});
