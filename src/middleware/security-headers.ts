// Security headers on every response. The CSP allows no inline script; the one inline <style> (brand
// colours) carries the per-request nonce.

import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { stripeHostedOrigins } from "../billing/stripe.ts";
import type { AppEnv } from "../context.ts";

/**
 * Every destination a form post here may be redirected to — Chromium applies form-action to the
 * redirects after the POST, so a missing one silently blocks the hand-off: the portal's own hosts
 * (sign-up, the switcher), the custom domains of the viewer's organizations (the switcher), and
 * Stripe's hosted pages (Checkout, the billing portal).
 */
function formTargets(c: Context<AppEnv>, url: URL): string[] {
	const port = url.port ? `:${url.port}` : "";
	const domain = `${c.get("config")?.PORTAL_DOMAIN ?? url.hostname}${port}`;
	const targets = new Set(["'self'", `${url.protocol}//${domain}`, `${url.protocol}//*.${domain}`]);
	for (const org of c.get("viewer")?.organizations ?? [])
		if (org.customDomain) targets.add(`${url.protocol}//${org.customDomain}${port}`);
	for (const origin of stripeHostedOrigins(c.env ?? {})) targets.add(origin);
	return [...targets];
}

export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
	await next();
	const nonce = c.get("cspNonce");
	const url = new URL(c.req.url);
	const formAction = `form-action ${formTargets(c, url).join(" ")}`;
	c.header(
		"content-security-policy",
		[
			"default-src 'self'",
			"script-src 'self'",
			`style-src 'self' 'nonce-${nonce}'`,
			"img-src 'self' data: https:",
			"connect-src 'self'",
			formAction,
			"frame-ancestors 'none'",
			"base-uri 'none'",
			"object-src 'none'",
		].join("; "),
	);
	c.header("x-frame-options", "DENY");
	c.header("x-content-type-options", "nosniff");
	c.header("referrer-policy", "strict-origin-when-cross-origin");
	c.header("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()");
	c.header("cross-origin-opener-policy", "same-origin");
	if (url.protocol === "https:") {
		c.header("strict-transport-security", "max-age=63072000; includeSubDomains");
	}
});
