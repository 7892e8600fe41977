// The logo and the favicon (`settings:manage`): raster images checked by their bytes, kept in R2 under
// the organization's id, served from its own host. The old file goes once the new one is recorded.
import { type Context, Hono } from "hono";
import { auditActor } from "../../audit/actor.ts";
import type { AppEnv } from "../../context.ts";
import { commitWithAudit } from "../../db/audit.ts";
import { setFavicon } from "../../db/branding.ts";
import { setLogo } from "../../db/organizations.ts";
import { faviconKey, filePath, logoKey, putFile } from "../../files/storage.ts";
import { uploadedImage } from "../../files/upload.ts";
import { redirectTo, requirePermission, signedIn, tenantOf } from "../../middleware/guards.ts";
import { brandingPage } from "./branding.tsx";

export const brandingImageRoutes = new Hono<AppEnv>();

const SLOTS = {
	logo: {
		maxBytes: 256 * 1024,
		key: logoKey,
		set: setLogo,
		current: "logoUrl",
		changed: "organization.logo_changed",
		removed: "organization.logo_removed",
	},
	favicon: {
		maxBytes: 64 * 1024,
		key: faviconKey,
		set: setFavicon,
		current: "faviconUrl",
		changed: "organization.favicon_changed",
		removed: "organization.favicon_removed",
	},
} as const;

for (const [slot, spec] of Object.entries(SLOTS) as [keyof typeof SLOTS, (typeof SLOTS)[keyof typeof SLOTS]][]) {
	brandingImageRoutes.use(`/${slot}`, requirePermission("settings:manage"));
	brandingImageRoutes.use(`/${slot}/*`, requirePermission("settings:manage"));

	const save = async (c: Context<AppEnv>, url: string | null, bucket: R2Bucket | undefined) => {
		const viewer = signedIn(c);
		if (!viewer) throw new Error("the permission guard runs first");
		const { org, tenant } = tenantOf(c);
		const before = org[spec.current];
		const db = c.get("db");
		await commitWithAudit(
			db,
			tenant,
			auditActor(c, viewer.userId, viewer.name),
			{ action: url ? spec.changed : spec.removed, metadata: { before, after: url } },
			{ control: [spec.set(db, org.id, url)] },
		);
		if (before?.startsWith("/files/")) await bucket?.delete(before.slice("/files/".length));
		return redirectTo(c, `/settings/branding?notice=${slot}-${url ? "saved" : "removed"}`);
	};

	brandingImageRoutes.post(`/${slot}`, async (c) => {
		const { org } = tenantOf(c);
		const { bucket, image } = await uploadedImage(c, slot, spec.maxBytes);
		if (!image.ok) return brandingPage(c, { errors: { [slot]: image.message }, status: 422 });
		const key = spec.key(org.id, image.type);
		await putFile(bucket, key, image.bytes, image.type);
		return save(c, filePath(key), bucket);
	});

	brandingImageRoutes.post(`/${slot}/remove`, (c) => save(c, null, c.env.FILES));
}
