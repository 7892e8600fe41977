// The FILES bucket (R2; local under wrangler dev and in tests): logos, avatars and data exports. Keys
// carry the owner's id so one organization's objects are never served for another.
import { randomToken } from "../lib/crypto.ts";
import { IMAGE_TYPES, type ImageType } from "./images.ts";

export function logoKey(orgId: string, type: ImageType): string {
	return `logos/${orgId}/${randomToken(12)}.${IMAGE_TYPES[type].ext}`;
}

export function faviconKey(orgId: string, type: ImageType): string {
	return `favicons/${orgId}/${randomToken(12)}.${IMAGE_TYPES[type].ext}`;
}

export function avatarKey(userId: string, type: ImageType): string {
	return `avatars/${userId}/${randomToken(12)}.${IMAGE_TYPES[type].ext}`;
}

export function ticketFileKey(orgId: string, ticketId: string): string {
	return `tickets/${orgId}/${ticketId}/${randomToken(12)}`;
}

export function exportKey(orgId: string, exportId: string): string {
	return `exports/${orgId}/${exportId}.zip`;
}

/** The public path a stored image is served at on the tenant host. */
export function filePath(key: string): string {
	return `/files/${key}`;
}

export async function putFile(
	bucket: R2Bucket,
	key: string,
	bytes: Uint8Array<ArrayBuffer>,
	contentType: string,
): Promise<void> {
	await bucket.put(key, bytes, { httpMetadata: { contentType } });
}

/** R2 multipart parts: every part but the last must have the same size, at least 5 MiB. */
export const PART_BYTES = 5 * 1024 * 1024;

/**
 * Stores an object written piece by piece through a multipart upload: at most one part (5 MiB) is held
 * in memory, whatever the object's size. `write` gets the sink and returns the object's size; on any
 * failure the upload is aborted (no half-written object remains).
 */
export async function putStreamed(
	bucket: R2Bucket,
	key: string,
	contentType: string,
	write: (sink: (bytes: Uint8Array) => Promise<void>) => Promise<number>,
): Promise<number> {
	const upload = await bucket.createMultipartUpload(key, { httpMetadata: { contentType } });
	const parts: R2UploadedPart[] = [];
	const buffer = new Uint8Array(PART_BYTES);
	let filled = 0;
	const flush = async () => {
		parts.push(await upload.uploadPart(parts.length + 1, buffer.slice(0, filled)));
		filled = 0;
	};
	try {
		const size = await write(async (bytes) => {
			for (let at = 0; at < bytes.length; ) {
				const n = Math.min(PART_BYTES - filled, bytes.length - at);
				buffer.set(bytes.subarray(at, at + n), filled);
				filled += n;
				at += n;
				if (filled === PART_BYTES) await flush();
			}
		});
		if (filled > 0 || parts.length === 0) await flush();
		await upload.complete(parts);
		return size;
	} catch (error) {
		await upload.abort().catch(() => {});
		throw error;
	}
}
