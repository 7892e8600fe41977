// TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) and recovery codes, on Web Crypto.
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export const TOTP_STEP_MS = 30_000;

export function base32Encode(bytes: Uint8Array): string {
	let bits = 0;
	let value = 0;
	let out = "";
	for (const byte of bytes) {
		value = (value << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			out += BASE32[(value >>> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
	return out;
}

export function base32Decode(text: string): Uint8Array<ArrayBuffer> {
	const clean = text.toUpperCase().replace(/[\s=-]/g, "");
	const out: number[] = [];
	let bits = 0;
	let value = 0;
	for (const ch of clean) {
		const index = BASE32.indexOf(ch);
		if (index < 0) throw new Error("invalid base32");
		value = (value << 5) | index;
		bits += 5;
		if (bits >= 8) {
			out.push((value >>> (bits - 8)) & 255);
			bits -= 8;
		}
	}
	return Uint8Array.from(out);
}

export function newTotpSecret(): string {
	return base32Encode(crypto.getRandomValues(new Uint8Array(20)));
}

export async function totpCode(secret: string, step: number): Promise<string> {
	const key = await crypto.subtle.importKey("raw", base32Decode(secret), { name: "HMAC", hash: "SHA-1" }, false, [
		"sign",
	]);
	const counter = new Uint8Array(8);
	new DataView(counter.buffer).setBigUint64(0, BigInt(step));
	const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, counter));
	const offset = (mac[19] ?? 0) & 15;
	const binary =
		(((mac[offset] ?? 0) & 0x7f) << 24) |
		((mac[offset + 1] ?? 0) << 16) |
		((mac[offset + 2] ?? 0) << 8) |
		(mac[offset + 3] ?? 0);
	return String(binary % 1_000_000).padStart(6, "0");
}

/**
 * The time step a code matches (this one, the one before or after, for clock drift), or null. Steps at
 * or before `lastUsedStep` are refused, so a code cannot be replayed.
 */
export async function matchTotp(
	secret: string,
	code: string,
	nowMs: number,
	lastUsedStep: number | null,
): Promise<number | null> {
	if (!/^\d{6}$/.test(code)) return null;
	const current = Math.floor(nowMs / TOTP_STEP_MS);
	for (const step of [current, current - 1, current + 1]) {
		if (lastUsedStep !== null && step <= lastUsedStep) continue;
		if ((await totpCode(secret, step)) === code) return step;
	}
	return null;
}

export function otpauthUri(secret: string, issuer: string, account: string): string {
	const label = encodeURIComponent(`${issuer}:${account}`);
	return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;
}

/** Ten codes like `k7mq-2xwp-9d`, shown once; only their hashes are kept. */
export function newRecoveryCodes(): string[] {
	const alphabet = "23456789abcdefghjkmnpqrstuvwxyz";
	return Array.from({ length: 10 }, () => {
		const bytes = crypto.getRandomValues(new Uint8Array(10));
		const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
		return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
	});
}

export function normalizeRecoveryCode(code: string): string {
	return code.trim().toLowerCase().replace(/\s+/g, "");
}
