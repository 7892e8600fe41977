// Password hashing with PBKDF2-SHA256 through Web Crypto.
// Production Workers refuse PBKDF2 above 100,000 iterations (local workerd accepts more, so only a test
// pins it). The algorithm and parameters are stored with every hash so they can be raised later and
// old hashes upgraded on sign-in (`needsRehash`).
import { timingSafeEqualText, toBase64Url } from "../lib/crypto.ts";

export const PBKDF2_ITERATIONS = 100_000;
const ALGORITHM = "pbkdf2-sha256";
const encoder = new TextEncoder();

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<string> {
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
	const hash = await derive(password, salt, PBKDF2_ITERATIONS);
	return `${ALGORITHM}$${PBKDF2_ITERATIONS}$${toBase64Url(salt)}$${hash}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const [algorithm, iterationsText, saltText, expected] = stored.split("$");
	const iterations = Number(iterationsText);
	if (algorithm !== ALGORITHM || !Number.isInteger(iterations) || !saltText || !expected) return false;
	if (iterations > PBKDF2_ITERATIONS) return false;
	const actual = await derive(password, fromBase64Url(saltText), iterations);
	return timingSafeEqualText(actual, expected);
}

export function needsRehash(stored: string): boolean {
	return !stored.startsWith(`${ALGORITHM}$${PBKDF2_ITERATIONS}$`);
}
