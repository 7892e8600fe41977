// Stored images on the tenant host: the organization's logo and favicon (public) and its members'
// avatars (members only). Uploads live with the pages that make them (branding, profile).
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { findMemberByUser } from "../db/team.ts";
import { AppError } from "../lib/errors.ts";
import { orgOf, signedIn, tenantOf } from "../middleware/guards.ts";

export const fileRoutes = new Hono<AppEnv>();

/** Stored images, served on the tenant host: this organization's logo and favicon, and avatars of its members. */
fileRoutes.get("/files/:kind/:owner/:name", async (c) => {
	const { kind, owner, name } = c.req.param();
	const { org } = tenantOf(c);
	if (!/^[A-Za-z0-9_-]+\.(png|jpg|gif|webp)$/.test(name)) throw new AppError("not_found", "Not found");
	const publicKind = kind === "logos" || kind === "favicons";
	if (publicKind && owner !== org.id) throw new AppError("not_found", "Not found");
	if (kind === "avatars" && !(signedIn(c)?.membership && (await findMemberByUser(orgOf(c), owner))))
		throw new AppError("not_found", "Not found");
	if (!publicKind && kind !== "avatars") throw new AppError("not_found", "Not found");
	const object = await c.env.FILES?.get(`${kind}/${owner}/${name}`);
	if (!object) throw new AppError("not_found", "Not found");
	return c.body(object.body, 200, {
		"content-type": object.httpMetadata?.contentType ?? "application/octet-stream",
		// Keys are random and never reused, so a stored image never changes.
		"cache-control": publicKind ? "public, max-age=31536000, immutable" : "private, max-age=86400",
		"x-content-type-options": "nosniff",
	});
});
