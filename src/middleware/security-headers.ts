// Security headers on every response. The CSP allows no inline script; the one inline <style> (brand
// colours) carries the per-request nonce.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";

export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
	await next();
	const nonce = c.get("cspNonce");
	const url = new URL(c.req.url);
	const domain = `${c.get("config")?.PORTAL_DOMAIN ?? url.hostname}${url.port ? `:${url.port}` : ""}`;
	// Chrome applies form-action to a form's redirects too: sign-up and the organization switcher post
	// here and land on a tenant host, so the portal's own hosts are allowed.
	const formAction = `form-action 'self' ${url.protocol}//${domain} ${url.protocol}//*.${domain}`;
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
