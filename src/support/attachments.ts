// Ticket attachments: at most three files of 2 MB, and each must be what its name says — the bytes are
// sniffed, so a page named invoice.pdf or a program named photo.png is refused. Files are always served
// back as downloads with the detected type.
export const MAX_ATTACHMENTS = 3;
export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024;

const KINDS = {
	png: { type: "image/png", test: (b: Uint8Array) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
	jpg: { type: "image/jpeg", test: (b: Uint8Array) => startsWith(b, [0xff, 0xd8, 0xff]) },
	jpeg: { type: "image/jpeg", test: (b: Uint8Array) => startsWith(b, [0xff, 0xd8, 0xff]) },
	gif: { type: "image/gif", test: (b: Uint8Array) => startsWith(b, [0x47, 0x49, 0x46, 0x38]) },
	webp: {
		type: "image/webp",
		test: (b: Uint8Array) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) && ascii(b, 8, 12) === "WEBP",
	},
	pdf: { type: "application/pdf", test: (b: Uint8Array) => ascii(b, 0, 5) === "%PDF-" },
	txt: { type: "text/plain; charset=utf-8", test: isPlainText },
	log: { type: "text/plain; charset=utf-8", test: isPlainText },
	csv: { type: "text/csv; charset=utf-8", test: isPlainText },
	json: { type: "application/json", test: isPlainText },
} as const;

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
	return prefix.every((v, i) => bytes[i] === v);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
	return String.fromCharCode(...bytes.subarray(from, to));
}

function isPlainText(bytes: Uint8Array): boolean {
	if (bytes.includes(0)) return false;
	try {
		new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
		return true;
	} catch {
		return false;
	}
}

export interface CheckedAttachment {
	filename: string;
	contentType: string;
	bytes: Uint8Array<ArrayBuffer>;
}

/** A file name safe to show and to put in a Content-Disposition header. */
export function safeFilename(name: string): string {
	const base = name.split(/[\\/]/).pop() ?? "";
	const clean = base
		.replace(/[^\p{L}\p{N}._ -]/gu, "_")
		.replace(/^\.+/, "")
		.slice(-100);
	return clean || "attachment";
}

export type AttachmentCheck = { ok: true; files: CheckedAttachment[] } | { ok: false; message: string };

/** Reads the files of a form field (one or many); an empty file input counts as none. */
export async function checkAttachments(value: unknown): Promise<AttachmentCheck> {
	const list = (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
		(v): v is File => v instanceof File && (v.size > 0 || v.name !== ""),
	);
	if (list.some((v) => !(v instanceof File))) return { ok: false, message: "Attach files, not text." };
	if (list.length > MAX_ATTACHMENTS) return { ok: false, message: `Attach at most ${MAX_ATTACHMENTS} files.` };
	const files: CheckedAttachment[] = [];
	for (const file of list) {
		const filename = safeFilename(file.name);
		if (file.size === 0) return { ok: false, message: `${filename} is empty.` };
		if (file.size > MAX_ATTACHMENT_BYTES) return { ok: false, message: `${filename} is larger than 2 MB.` };
		const ext = filename.toLowerCase().split(".").pop() ?? "";
		const kind = KINDS[ext as keyof typeof KINDS];
		if (!kind) {
			return {
				ok: false,
				message: `${filename}: attach images (PNG, JPEG, GIF, WebP), PDF or text files (TXT, LOG, CSV, JSON).`,
			};
		}
		const bytes = new Uint8Array(await file.arrayBuffer());
		if (!kind.test(bytes)) return { ok: false, message: `${filename} is not really a .${ext} file.` };
		files.push({ filename, contentType: kind.type, bytes });
	}
	return { ok: true, files };
}
