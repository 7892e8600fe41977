// Route guards. Every portal route checks its permission here, on the server, whatever the UI shows.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { can, type Permission } from "../auth/permissions.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../lib/errors.ts";

export function redirectTo(c: Context<AppEnv>, location: string) {
	// htmx follows a 302 with fetch and swaps the result; a full navigation needs HX-Redirect.
	if (c.req.header("hx-request") === "true") {
		c.header("hx-redirect", location);
		return c.body(null, 204);
	}
	return c.redirect(location, 303);
}

/** The visitor must be a signed-in member of this organization holding `permission`. */
export function requirePermission(permission: Permission) {
	return createMiddleware<AppEnv>(async (c, next) => {
		const viewer = c.get("viewer");
		if (!viewer) return redirectTo(c, "/sign-in");
		if (!can(viewer.membership, permission)) {
			throw new AppError("forbidden", "Your role does not allow this.");
		}
		await next();
	});
}

export function tenantOf(c: Context<AppEnv>) {
	const site = c.get("site");
	if (site.kind !== "tenant") throw new AppError("not_found", "Not found");
	return site;
}
