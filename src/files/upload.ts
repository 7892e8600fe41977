// Reading one uploaded image from a multipart form: the bucket it will go to and the checked image.
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import { checkImage, type ImageCheck } from "./images.ts";

export async function uploadedImage(
	c: Context<AppEnv>,
	field: string,
	maxBytes: number,
): Promise<{ bucket: R2Bucket; image: ImageCheck }> {
	const bucket = c.env.FILES;
	if (!bucket) throw new Error("the FILES bucket is not bound");
	const body: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
	return { bucket, image: await checkImage(body[field], maxBytes) };
}
