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
import { accountRoutes } from "./routes/account.tsx";
import { mfaRoutes } from "./routes/account-mfa.tsx";
import { profileRoutes } from "./routes/account-profile.tsx";
import { apexRoutes } from "./routes/apex.tsx";
import { apiRoutes } from "./routes/api-keys-verify.ts";
import { auditRoutes } from "./routes/audit.tsx";
import { authRoutes } from "./routes/auth.tsx";
import { linkRoutes } from "./routes/auth-links.tsx";
import { billingRoutes } from "./routes/billing.tsx";
import { brandingRoutes } from "./routes/branding.tsx";
import { brandingImageRoutes } from "./routes/branding-images.tsx";
import { dangerRoutes } from "./routes/danger.tsx";
import { devMailRoutes } from "./routes/dev-mail.tsx";
import { domainRoutes } from "./routes/domains.tsx";
import { exportRoutes } from "./routes/exports.tsx";
import { helpRoutes } from "./routes/help.tsx";
import { invitationRoutes } from "./routes/invitations.tsx";
import { keyRoutes } from "./routes/keys.tsx";
import { notificationRoutes } from "./routes/notifications.tsx";
import { apexOAuthRoutes, tenantOAuthRoutes } from "./routes/oauth.tsx";
import { onboardingRoutes } from "./routes/onboarding.tsx";
import { opsRoutes } from "./routes/ops.tsx";
import { portalRoutes } from "./routes/portal.tsx";
import { roleRoutes } from "./routes/roles.tsx";
import { securitySettingsRoutes } from "./routes/security-settings.tsx";
import { settingsRoutes } from "./routes/settings.tsx";
import { signUpRoutes } from "./routes/signup.tsx";
import { stripeWebhookRoutes } from "./routes/stripe-webhook.ts";
import { supportRoutes } from "./routes/support.tsx";
import { teamRoutes } from "./routes/team.tsx";
import { teamMemberRoutes } from "./routes/team-members.tsx";
import { ticketRoutes, ticketVouchRoutes } from "./routes/tickets.tsx";
import { usageRoutes } from "./routes/usage.tsx";
import { usageApiRoutes } from "./routes/usage-api.ts";
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
	app.use("*", csrf());
	return app;
}

/**
 * Two routers with the same middleware stack: the apex (vendor) host and tenant hosts serve different
 * pages at the same paths, so the host picks the router before any route matches.
 */
export function createApp() {
	const apex = baseApp()
		.route("/", stripeWebhookRoutes)
		.route("/", apiRoutes)
		.route("/", usageApiRoutes)
		.route("/", signUpRoutes)
		.route("/", ticketVouchRoutes)
		.route("/", apexOAuthRoutes)
		.route("/", devMailRoutes)
		.route("/", opsRoutes)
		.route("/", apexRoutes);
	const tenant = baseApp()
		.use("*", requireActiveOrganization)
		.use("*", readOnlyViewAs)
		.route("/", authRoutes)
		.route("/", linkRoutes)
		.route("/", ticketRoutes)
		.route("/", ticketVouchRoutes)
		.route("/", tenantOAuthRoutes)
		.route("/", accountRoutes)
		.route("/", mfaRoutes)
		.route("/", securitySettingsRoutes)
		.route("/", teamRoutes)
		.route("/", teamMemberRoutes)
		.route("/", roleRoutes)
		.route("/", invitationRoutes)
		.route("/", notificationRoutes)
		.route("/", onboardingRoutes)
		.route("/", settingsRoutes)
		.route("/", brandingRoutes)
		.route("/", brandingImageRoutes)
		.route("/", domainRoutes)
		.route("/", exportRoutes)
		.route("/", dangerRoutes)
		.route("/", profileRoutes)
		.route("/", billingRoutes)
		.route("/", keyRoutes)
		.route("/", usageRoutes)
		.route("/", auditRoutes)
		.route("/", helpRoutes)
		.route("/", supportRoutes)
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
