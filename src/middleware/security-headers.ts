// Security headers on every response. The CSP allows no inline script; the one inline <style> (brand
// colours) carries the per-request nonce.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.ts";

export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
	await next();
	const nonce = c.get("cspNonce");
	c.header(
		"content-security-policy",
		[
			"default-src 'self'",
			"script-src 'self'",
			`style-src 'self' 'nonce-${nonce}'`,
			"img-src 'self' data: https:",
			"connect-src 'self'",
			"form-action 'self'",
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
	if (new URL(c.req.url).protocol === "https:") {
		c.header("strict-transport-security", "max-age=63072000; includeSubDomains");
	}
});
