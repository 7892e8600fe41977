// The logo and the favicon (`settings:manage`): raster images checked by their bytes, kept in R2 under
// the organization's id, served from its own host. The old file goes once the new one is recorded.
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../context.ts";
import { faviconKey, filePath, logoKey, putFile } from "../../files/storage.ts";
import { uploadedImage } from "../../files/upload.ts";
import { redirectTo, requirePermission, tenantOf } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { setBrandImage } from "../../settings/service.ts";
import { brandingPage } from "./branding.tsx";

export const brandingImageRoutes = new Hono<AppEnv>();

const SLOTS = {
	logo: {
		maxBytes: 256 * 1024,
		key: logoKey,
		current: "logoUrl",
	},
	favicon: {
		maxBytes: 64 * 1024,
		key: faviconKey,
		current: "faviconUrl",
	},
} as const;

for (const [slot, spec] of Object.entries(SLOTS) as [keyof typeof SLOTS, (typeof SLOTS)[keyof typeof SLOTS]][]) {
	brandingImageRoutes.use(`/${slot}`, requirePermission("settings:manage"));
	brandingImageRoutes.use(`/${slot}/*`, requirePermission("settings:manage"));

	const save = async (c: Context<AppEnv>, url: string | null, bucket: R2Bucket | undefined) => {
		await setBrandImage(unitOf(c), slot, tenantOf(c).org[spec.current], url, bucket);
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
