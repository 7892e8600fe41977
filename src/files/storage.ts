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
