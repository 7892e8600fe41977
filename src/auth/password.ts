// Password hashing. scrypt (memory-hard, from node:crypto, which Workers provide with nodejs_compat)
// with N=2^15, r=8, p=1: 32 MiB and tens of milliseconds per hash, inside a Worker's 128 MB.
// PBKDF2-SHA256 hashes (≤ 100,000 iterations: production Workers refuse more, local workerd does not)
// are still verified and upgraded on the next sign-in. Parameters are stored with every hash.
import { scrypt as scryptCallback } from "node:crypto";
import { timingSafeEqualText, toBase64Url } from "../lib/crypto.ts";

export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
export const PBKDF2_MAX_ITERATIONS = 100_000;
const KEY_BYTES = 32;
const encoder = new TextEncoder();

function scrypt(password: string, salt: Uint8Array, params: { N: number; r: number; p: number }): Promise<string> {
	return new Promise((resolve, reject) => {
		scryptCallback(
			password.normalize("NFKC"),
			salt,
			KEY_BYTES,
			{ ...params, maxmem: 256 * params.N * params.r },
			(error, key) => (error ? reject(error) : resolve(toBase64Url(new Uint8Array(key)))),
		);
	});
}

async function pbkdf2(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<string> {
	const key = await crypto.subtle.importKey("raw", encoder.encode(password.normalize("NFKC")), "PBKDF2", false, [
		"deriveBits",
	]);
	const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
	return toBase64Url(new Uint8Array(bits));
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
	const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
	return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

export async function hashPassword(password: string): Promise<string> {
	const salt = crypto.getRandomValues(new Uint8Array(16));
	const { N, r, p } = SCRYPT_PARAMS;
	return `scrypt$${N}$${r}$${p}$${toBase64Url(salt)}$${await scrypt(password, salt, SCRYPT_PARAMS)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const parts = stored.split("$");
	if (parts[0] === "scrypt" && parts.length === 6) {
		const [, n, r, p, salt, expected] = parts;
		const params = { N: Number(n), r: Number(r), p: Number(p) };
		if (!Object.values(params).every(Number.isInteger) || params.N > 2 ** 17 || !salt || !expected) return false;
		return timingSafeEqualText(await scrypt(password, fromBase64Url(salt), params), expected);
	}
	if (parts[0] === "pbkdf2-sha256" && parts.length === 4) {
		const [, iterationsText, salt, expected] = parts;
		const iterations = Number(iterationsText);
		// Production Workers refuse PBKDF2 above 100,000 iterations: such a hash is unusable, refuse it.
		if (!Number.isInteger(iterations) || iterations > PBKDF2_MAX_ITERATIONS || !salt || !expected) return false;
		return timingSafeEqualText(await pbkdf2(password, fromBase64Url(salt), iterations), expected);
	}
	return false;
}

export function needsRehash(stored: string): boolean {
	const { N, r, p } = SCRYPT_PARAMS;
	return !stored.startsWith(`scrypt$${N}$${r}$${p}$`);
}
