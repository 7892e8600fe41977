// Route guards. Every portal route checks its permission here, on the server, whatever the UI shows.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { can, type Permission } from "../auth/permissions.ts";
import { recentlyAuthenticated } from "../auth/session.ts";
import type { AppEnv, Member, Viewer } from "../context.ts";
import { type OrgData, orgData } from "../db/org-data.ts";
import { AppError } from "../lib/errors.ts";

export function redirectTo(c: Context<AppEnv>, location: string) {
	// htmx follows a 302 with fetch and swaps the result; a full navigation needs HX-Redirect.
	if (c.req.header("hx-request") === "true") {
		c.header("hx-redirect", location);
		return c.body(null, 204);
	}
	return c.redirect(location, 303);
}

export function tenantOf(c: Context<AppEnv>) {
	const site = c.get("site");
	if (site.kind !== "tenant") throw new AppError("not_found", "Not found");
	return site;
}

/** The organization's own rows in the main database, bound to it (see src/db/org-data.ts). */
export function orgOf(c: Context<AppEnv>): OrgData {
	return orgData({ orgId: tenantOf(c).org.id, db: c.get("db") });
}

/**
 * The tenant with its organization's whole row. The site batch brings it for every form post and for
 * the GET pages of `DETAIL_PAGES`; a route outside them that asks is a programming error (the
 * authorization matrix test requests every route).
 */
export function tenantWithDetails(c: Context<AppEnv>) {
	const site = tenantOf(c);
	if (!site.details) throw new Error(`${new URL(c.req.url).pathname} is not among DETAIL_PAGES`);
	return { ...site, org: { ...site.org, ...site.details } };
}

/** The GET pages that show the organization's billing, mail-sender or invite-link columns. */
export const DETAIL_PAGES =
	/^\/(billing(\/.*)?|team(\/.*)?|invitation(\/.*)?|join|settings(\/(branding|domains|organization|danger)(\/.*)?)?)?$/;

/** Whether a request reads the organization's whole row with the site batch. */
export function needsDetails(method: string, pathname: string): boolean {
	return (method !== "GET" && method !== "HEAD") || DETAIL_PAGES.test(pathname);
}

/** The signed-in viewer (past MFA), or null. */
export function signedIn(c: Context<AppEnv>): Viewer | null {
	const viewer = c.get("viewer");
	return viewer && !viewer.mfaPending ? viewer : null;
}

/**
 * The signed-in member, for handlers behind `requireMember` or `requirePermission` (which set it).
 * Reading it anywhere else is a programming error, not a visitor's: it throws.
 */
export function me(c: Context<AppEnv>): Member {
	const member = c.get("member");
	if (!member) throw new Error("me(c) is only read behind requireMember or requirePermission");
	return member;
}

/** Sensitive changes need a sign-in within the last 10 minutes; otherwise ask for the password first. */
export function stepUpOr(c: Context<AppEnv>, next: string) {
	if (recentlyAuthenticated(me(c))) return null;
	return redirectTo(c, `/account/confirm?next=${encodeURIComponent(next)}`);
}

/** The signed-in member of this organization; anonymous visitors go to sign in. */
export const requireMember = createMiddleware<AppEnv>(async (c, next) => {
	const viewer = signedIn(c);
	if (!viewer) return redirectTo(c, c.get("viewer")?.mfaPending ? "/sign-in/mfa" : "/sign-in");
	if (!viewer.membership) throw new AppError("forbidden", "This account is not a member of this organization.");
	c.set("member", viewer as Member);
	await next();
});

/** As requireMember, and the organization's MFA requirement is met (enrolment pages are exempt). */
export const requireMfaPolicy = createMiddleware<AppEnv>(async (c, next) => {
	const site = c.get("site");
	const viewer = signedIn(c);
	// An operator's read-only view looks at the portal as it is; it is never sent to enrol anything.
	if (site.kind === "tenant" && site.org.requireMfa && viewer && !viewer.mfaEnabled && !viewer.viewAs)
		return redirectTo(c, "/account/mfa");
	await next();
});

export function requirePermission(permission: Permission) {
	return createMiddleware<AppEnv>(async (c, next) => {
		const viewer = signedIn(c);
		if (!viewer) return redirectTo(c, c.get("viewer")?.mfaPending ? "/sign-in/mfa" : "/sign-in");
		const site = c.get("site");
		if (site.kind === "tenant" && site.org.requireMfa && !viewer.mfaEnabled && !viewer.viewAs)
			return redirectTo(c, "/account/mfa");
		if (!can(viewer.membership, permission)) throw new AppError("forbidden", "Your role does not allow this.");
		c.set("member", viewer as Member);
		await next();
	});
}

/** Billing and team actions need a verified email address. */
export const requireVerifiedEmail = createMiddleware<AppEnv>(async (c, next) => {
	if (!signedIn(c)?.emailVerified) {
		throw new AppError(
			"forbidden",
			"Verify your email address first: open the link we sent you, or send it again from your account page.",
		);
	}
	await next();
});

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * An operator viewing the portal as a member can look, never act: every unsafe method is refused,
 * except signing out, which ends the view.
 */
export const readOnlyViewAs = createMiddleware<AppEnv>(async (c, next) => {
	const viewer = c.get("viewer");
	if (viewer?.viewAs && !SAFE_METHODS.has(c.req.method) && new URL(c.req.url).pathname !== "/sign-out") {
		throw new AppError("forbidden", "This is a read-only view for support. Nothing can be changed from it.");
	}
	await next();
});
