// Secrets kept in the database (an identity provider's client secret) are sealed with AES-256-GCM under
// a key derived from a Worker secret. The sealed text says its version; a wrong key or a changed byte
// fails to open rather than yielding garbage.
import { toBase64Url } from "./crypto.ts";

const encoder = new TextEncoder();

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
	const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

async function keyFor(secret: string, purpose: string) {
	const material = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
	return crypto.subtle.deriveKey(
		{ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode(purpose) },
		material,
		{ name: "AES-GCM", length: 256 },
		false,
		["encrypt", "decrypt"],
	);
}

export async function seal(secret: string, purpose: string, plaintext: string): Promise<string> {
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const key = await keyFor(secret, purpose);
	const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, encoder.encode(plaintext));
	return `v1.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

/** The plaintext, or null when the text was not sealed with this key for this purpose. */
export async function open(secret: string, purpose: string, sealed: string): Promise<string | null> {
	const [version, iv, data] = sealed.split(".");
	if (version !== "v1" || !iv || !data) return null;
	try {
		const key = await keyFor(secret, purpose);
		const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64Url(iv) }, key, fromBase64Url(data));
		return new TextDecoder().decode(plain);
	} catch {
		return null;
	}
}
