// OAuth sign-in. A tenant host sends the person to the apex, which talks to the provider with one
// redirect URI for every tenant and custom domain, then hands them back to the tenant host with a
// one-time login ticket (60 s, single use, bound to that host).
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import * as z from "zod";
import { issueLoginTicket } from "../../auth/handoff.ts";
import {
	configuredProviders,
	finishAuthorization,
	PROVIDERS,
	type Provider,
	startAuthorization,
} from "../../auth/oauth.ts";
import { recordOAuthVerified } from "../../auth/verbs.ts";
import type { AppEnv } from "../../context.ts";
import { openTenantDatabase } from "../../db/client.ts";
import { findUserByIdentity, insertIdentity } from "../../db/identities.ts";
import { orgData } from "../../db/org-data.ts";
import { findOrganizationByDomain, findOrganizationBySlug } from "../../db/organizations.ts";
import { tenantData } from "../../db/tenant-data.ts";
import { findMembership, findUserByEmail } from "../../db/users.ts";
import { timingSafeEqualText } from "../../lib/crypto.ts";
import { log } from "../../lib/log.ts";
import { validate } from "../../lib/validate.ts";
import { redirectTo, tenantOf } from "../../middleware/guards.ts";
import { passwordPolicyFor } from "../../sso/policy.ts";
import { apexOrigin } from "../../tenancy/address.ts";
import { lookupForHost } from "../../tenancy/hosts.ts";
import type { OAuthButton } from "../../views/pages/identity/sign-in.tsx";
import { MessagePage } from "../../views/pages/messages.tsx";
import { renderPage } from "../../views/render.tsx";

const STATE_COOKIE = "portico_oauth";
const STATE_MAX_AGE_S = 600;
const providerParam = z.object({ provider: z.enum(Object.keys(PROVIDERS) as [Provider, ...Provider[]]) });

export function oauthButtons(c: Context<AppEnv>): OAuthButton[] {
	return configuredProviders(c.env).map((provider) => ({
		provider,
		label: PROVIDERS[provider].label,
		href: `/sign-in/oauth/${provider}`,
	}));
}

// ── On the tenant host ────────────────────────────────────────────────────────────────────────

export const tenantOAuthRoutes = new Hono<AppEnv>();

tenantOAuthRoutes.get("/sign-in/oauth/:provider", validate("param", providerParam), (c) => {
	tenantOf(c);
	const { provider } = c.req.valid("param");
	const host = new URL(c.req.url).host;
	return c.redirect(`${apexOrigin(c)}/oauth/${provider}/start?host=${encodeURIComponent(host)}`, 303);
});

// ── On the apex ───────────────────────────────────────────────────────────────────────────────

export const apexOAuthRoutes = new Hono<AppEnv>();

function oauthProblem(c: Context<AppEnv>, text: string, status: 400 | 403 = 400) {
	return renderPage(c, {
		title: "Sign-in did not work",
		status,
		body: (
			<MessagePage title="Sign-in did not work">
				<p>{text}</p>
				<p>Go back to your organization's portal and try again, or sign in with your email.</p>
			</MessagePage>
		),
	});
}

/** The organization behind a tenant host given in a URL — only hosts Portico serves are accepted. */
async function organizationForHost(c: Context<AppEnv>, host: string) {
	const hostname = host.replace(/:\d+$/, "");
	const lookup = lookupForHost(hostname, c.get("config").PORTAL_DOMAIN);
	const db = c.get("db");
	if (lookup?.kind === "slug") return findOrganizationBySlug(db, lookup.slug);
	if (lookup?.kind === "domain") return findOrganizationByDomain(db, lookup.hostname);
	return null;
}

apexOAuthRoutes.get(
	"/oauth/:provider/start",
	validate("param", providerParam),
	validate("query", z.object({ host: z.string().max(260) })),
	async (c) => {
		const { provider } = c.req.valid("param");
		const { host } = c.req.valid("query");
		const org = await organizationForHost(c, host);
		if (org?.status !== "active") return oauthProblem(c, "That portal address is not known.");
		const start = startAuthorization(c.env, provider, `${apexOrigin(c)}/oauth/${provider}/callback`);
		if (!start) return oauthProblem(c, `${PROVIDERS[provider].label} sign-in is not set up here.`);
		const url = new URL(c.req.url);
		setCookie(c, STATE_COOKIE, JSON.stringify({ state: start.state, verifier: start.codeVerifier, provider, host }), {
			path: "/oauth",
			httpOnly: true,
			secure: url.protocol === "https:",
			sameSite: "Lax",
			maxAge: STATE_MAX_AGE_S,
		});
		return c.redirect(start.url.toString(), 302);
	},
);

const stateCookieSchema = z.object({ state: z.string(), verifier: z.string(), provider: z.string(), host: z.string() });

apexOAuthRoutes.get(
	"/oauth/:provider/callback",
	validate("param", providerParam),
	validate(
		"query",
		z.object({
			code: z.string().max(2048).optional(),
			state: z.string().max(256).optional(),
			error: z.string().max(256).optional(),
		}),
	),
	async (c) => {
		const { provider } = c.req.valid("param");
		const query = c.req.valid("query");
		const raw = getCookie(c, STATE_COOKIE);
		deleteCookie(c, STATE_COOKIE, { path: "/oauth" });
		let saved: z.infer<typeof stateCookieSchema> | null = null;
		try {
			saved = stateCookieSchema.parse(JSON.parse(raw ?? "null"));
		} catch {
			saved = null;
		}
		if (query.error) return oauthProblem(c, `${PROVIDERS[provider].label} did not sign you in.`);
		// `state` must match the cookie set when this browser started: a forged or replayed callback fails here.
		if (
			!saved ||
			!query.state ||
			!query.code ||
			saved.provider !== provider ||
			!timingSafeEqualText(saved.state, query.state)
		) {
			return oauthProblem(c, "The sign-in request expired or did not start in this browser.");
		}
		let profile: Awaited<ReturnType<typeof finishAuthorization>>;
		try {
			profile = await finishAuthorization(
				c.env,
				provider,
				`${apexOrigin(c)}/oauth/${provider}/callback`,
				query.code,
				saved.verifier,
			);
		} catch (error) {
			log("warn", "oauth exchange failed", { requestId: c.get("requestId"), provider, error });
			return oauthProblem(
				c,
				`${PROVIDERS[provider].label} did not confirm the sign-in (the code may have been used already).`,
			);
		}
		const db = c.get("db");
		const org = await organizationForHost(c, saved.host);
		if (org?.status !== "active") return oauthProblem(c, "That portal address is not known.");

		let user = await findUserByIdentity(db, provider, profile.subject);
		let linked = false;
		if (!user && profile.email && profile.emailVerified) {
			// Link to an existing account by email only when both sides have verified that email.
			const existing = await findUserByEmail(db, profile.email);
			if (existing?.emailVerifiedAt) {
				await insertIdentity(db, { userId: existing.id, provider, subject: profile.subject, email: profile.email });
				user = {
					id: existing.id,
					name: existing.name,
					email: existing.email,
					emailVerifiedAt: existing.emailVerifiedAt,
					mfaEnabled: existing.mfaEnabled,
				};
				linked = true;
			}
		}
		if (!user || !(await findMembership(db, user.id, org.id))) {
			return oauthProblem(
				c,
				`This ${PROVIDERS[provider].label} account has no access to ${org.name}'s portal. Ask an owner or admin to invite you.`,
				403,
			);
		}
		if ((await passwordPolicyFor(orgData({ orgId: org.id, db }), user)) !== "free")
			return oauthProblem(
				c,
				`${org.name} signs this address in with single sign-on. Use "Sign in with SSO" on its sign-in page.`,
				403,
			);
		const ticket = await issueLoginTicket(c, { userId: user.id, orgId: org.id, host: saved.host, mfaVerified: false });
		const tenant = tenantData({ orgId: org.id, db: openTenantDatabase(db, c.get("dbConfig"), org) });
		const actor = {
			type: "user" as const,
			id: user.id,
			label: user.name,
			ip: c.req.header("cf-connecting-ip") ?? null,
			userAgent: c.req.header("user-agent") ?? null,
		};
		await recordOAuthVerified(db, tenant, actor, { provider, linked, ticketInsert: ticket.insert });
		const url = new URL(c.req.url);
		return redirectTo(c, `${url.protocol}//${saved.host}/sign-in/ticket?token=${ticket.token}`);
	},
);
