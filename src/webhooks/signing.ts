// Standard Webhooks signatures (https://www.standardwebhooks.com): the secret is `whsec_` and base64 of
// its key bytes; each delivery carries `webhook-id`, `webhook-timestamp` (seconds) and
// `webhook-signature`, a space-separated list of `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` — one
// per live secret, so a receiver keeps verifying while a rotated secret's overlap lasts.
const encoder = new TextEncoder();

export const SECRET_PREFIX = "whsec_";
const KEY_BYTES = 24;

function base64(bytes: Uint8Array): string {
	let binary = "";
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary);
}

function keyBytes(secret: string): Uint8Array<ArrayBuffer> {
	const binary = atob(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

/** A new signing secret, `whsec_` and 24 random bytes in base64. */
export function newSigningSecret(): string {
	return `${SECRET_PREFIX}${base64(crypto.getRandomValues(new Uint8Array(KEY_BYTES)))}`;
}

export async function sign(secret: string, id: string, timestampS: number, body: string): Promise<string> {
	const key = await crypto.subtle.importKey("raw", keyBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, [
		"sign",
	]);
	const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${id}.${timestampS}.${body}`));
	return `v1,${base64(new Uint8Array(mac))}`;
}

/** The three Standard Webhooks headers for one delivery, signed with every secret given. */
export async function webhookHeaders(secrets: string[], id: string, timestampS: number, body: string) {
	const signatures = await Promise.all(secrets.map((s) => sign(s, id, timestampS, body)));
	return {
		"webhook-id": id,
		"webhook-timestamp": String(timestampS),
		"webhook-signature": signatures.join(" "),
	};
}
