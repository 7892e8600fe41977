// The Worker's Hono app. Middleware order is part of the design: request id and timing → security
// headers → body limit → tenant resolution (with the session) → session upkeep → CSRF → routes.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import { slideSession } from "./auth/session.ts";
import type { AppEnv } from "./context.ts";
import type { Bindings } from "./env.ts";
import { handleError, handleNotFound } from "./errors.tsx";
import { AppError } from "./lib/errors.ts";
import { readOnlyViewAs } from "./middleware/guards.ts";
import { requestContext } from "./middleware/request-context.ts";
import { securityHeaders } from "./middleware/security-headers.ts";
import { requireActiveOrganization, resolveTenant } from "./middleware/tenant.tsx";
import { account } from "./routes/account/index.ts";
import { apexRoutes } from "./routes/apex.tsx";
import { api, stripeWebhook } from "./routes/api/index.ts";
import { auditRoutes } from "./routes/audit/audit.tsx";
import { billingRoutes } from "./routes/billing/billing.tsx";
import { devMailRoutes } from "./routes/dev-mail.tsx";
import { fileRoutes } from "./routes/files.tsx";
import { apexIdentity, tenantIdentity } from "./routes/identity/index.ts";
import { keyRoutes } from "./routes/keys/keys.tsx";
import { opsRoutes } from "./routes/ops/console.tsx";
import { portalRoutes } from "./routes/portal.tsx";
import { scimRoutes } from "./routes/scim.ts";
import { exportsArea, settings } from "./routes/settings/index.ts";
import { help, support } from "./routes/support/index.ts";
import { join, team } from "./routes/team/index.ts";
import { usageRoutes } from "./routes/usage/usage.tsx";
import { lookupForHost } from "./tenancy/hosts.ts";

export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_UPLOAD_BODY_BYTES = 7 * 1024 * 1024;
const UPLOAD_PATHS =
	/^(\/support\/tickets(\/tix_[0-9a-z]{26}\/reply)?|\/ops\/tickets\/org_[0-9a-z]{26}\/tix_[0-9a-z]{26}\/reply)$/;

function baseApp() {
	const app = new Hono<AppEnv>();
	app.onError(handleError);
	app.notFound(handleNotFound);
	app.use("*", requestContext);
	app.use("*", securityHeaders);
	const small = bodyLimit({
		maxSize: MAX_BODY_BYTES,
		onError: () => {
			throw new AppError("payload_too_large", "What you sent is larger than 1 MB.");
		},
	});
	// Ticket forms carry up to three 2 MB attachments; every other request stays under 1 MB.
	const uploads = bodyLimit({
		maxSize: MAX_UPLOAD_BODY_BYTES,
		onError: () => {
			throw new AppError("payload_too_large", "Attachments can be at most 2 MB each, 3 files per message.");
		},
	});
	app.use("*", (c, next) => (UPLOAD_PATHS.test(c.req.path) ? uploads : small)(c, next));
	app.use("*", resolveTenant);
	app.use("*", async (c, next) => {
		slideSession(c);
		await next();
	});
	// The SAML assertion consumer service is posted to by the identity provider's page, another origin by
	// design: what protects it is the Response's signature and its InResponseTo, not the Origin header.
	// The SCIM API is called by the identity provider's servers with a bearer token and never a cookie
	// (a DELETE there has no content type, which the CSRF check would take for a form).
	const sameOrigin = csrf();
	app.use("*", (c, next) => (NOT_BROWSER_FORMS.test(c.req.path) ? next() : sameOrigin(c, next)));
	return app;
}

const NOT_BROWSER_FORMS = /^(\/sso\/saml\/[^/]+\/acs|\/scim\/v2\/.*)$/;

/**
 * Two routers with the same middleware stack: the apex (vendor) host and tenant hosts serve different
 * pages at the same paths, so the host picks the router before any route matches.
 */
export function createApp() {
	const apex = baseApp()
		.route("/webhooks/stripe", stripeWebhook)
		.route("/api/v1", api)
		.route("/", apexIdentity)
		.route("/dev/mail", devMailRoutes)
		.route("/ops", opsRoutes)
		.route("/", apexRoutes);
	// Each feature is mounted at its prefix and guards its pages once, in its own module. Order matters
	// only where prefixes overlap: /account's member guard comes before /account/export's.
	const tenant = baseApp()
		.use("*", requireActiveOrganization)
		.use("*", readOnlyViewAs)
		.route("/scim/v2", scimRoutes)
		.route("/", tenantIdentity)
		.route("/", account)
		.route("/team", team)
		.route("/", join)
		.route("/settings", settings)
		.route("/", exportsArea)
		.route("/billing", billingRoutes)
		.route("/keys", keyRoutes)
		.route("/usage", usageRoutes)
		.route("/audit", auditRoutes)
		.route("/help", help)
		.route("/support", support)
		.route("/", fileRoutes)
		.route("/", portalRoutes);
	return {
		/** The routers themselves, so tests can walk every route (authorization matrix, audit coverage). */
		routers: { apex, tenant },
		fetch(request: Request, env: Bindings, ctx?: ExecutionContext): Response | Promise<Response> {
			const lookup = lookupForHost(new URL(request.url).hostname, String(env.PORTAL_DOMAIN ?? "").toLowerCase());
			return (lookup?.kind === "apex" ? apex : tenant).fetch(request, env, ctx);
		},
	};
}
