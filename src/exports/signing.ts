// Signed download links: HMAC-SHA256 over the export id and expiry, so a link works for exactly one
// export until it expires, for whoever holds it.
import { timingSafeEqualText, toBase64Url } from "../lib/crypto.ts";

async function hmac(key: string, message: string): Promise<string> {
	const cryptoKey = await crypto.subtle.importKey(
		"raw",
		new TextEncoder().encode(key),
		{ name: "HMAC", hash: "SHA-256" },
		false,
		["sign"],
	);
	return toBase64Url(new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, new TextEncoder().encode(message))));
}

export async function signDownload(key: string, exportId: string, expiresAt: number): Promise<string> {
	return hmac(key, `${exportId}.${expiresAt}`);
}

export async function verifyDownload(
	key: string,
	exportId: string,
	expiresAt: number,
	signature: string,
	nowMs: number,
): Promise<boolean> {
	if (!Number.isFinite(expiresAt) || expiresAt < nowMs) return false;
	return timingSafeEqualText(await signDownload(key, exportId, expiresAt), signature);
}
