// Uploaded images: only raster formats recognised by their first bytes (never SVG, which can carry
// script), within a size limit.
export const IMAGE_TYPES = {
	"image/png": { ext: "png", magic: [0x89, 0x50, 0x4e, 0x47] },
	"image/jpeg": { ext: "jpg", magic: [0xff, 0xd8, 0xff] },
	"image/gif": { ext: "gif", magic: [0x47, 0x49, 0x46, 0x38] },
	"image/webp": { ext: "webp", magic: [0x52, 0x49, 0x46, 0x46] },
} as const;

export type ImageType = keyof typeof IMAGE_TYPES;

export type ImageCheck = { ok: true; type: ImageType; bytes: Uint8Array<ArrayBuffer> } | { ok: false; message: string };

function sniff(bytes: Uint8Array): ImageType | null {
	for (const [type, { magic }] of Object.entries(IMAGE_TYPES) as [ImageType, (typeof IMAGE_TYPES)[ImageType]][]) {
		if (magic.every((b, i) => bytes[i] === b)) {
			// RIFF is also WAV and AVI: WebP says so at byte 8.
			if (type === "image/webp" && String.fromCharCode(...bytes.slice(8, 12)) !== "WEBP") continue;
			return type;
		}
	}
	return null;
}

export async function checkImage(file: unknown, maxBytes: number): Promise<ImageCheck> {
	if (!(file instanceof File) || file.size === 0) return { ok: false, message: "Choose an image file." };
	if (file.size > maxBytes)
		return { ok: false, message: `The image is larger than ${Math.round(maxBytes / 1024)} KB. Use a smaller one.` };
	const bytes = new Uint8Array(await file.arrayBuffer());
	const type = sniff(bytes);
	if (!type) return { ok: false, message: "Use a PNG, JPEG, GIF or WebP image (SVG is not accepted)." };
	return { ok: true, type, bytes };
}
