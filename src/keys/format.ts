// API key format: `pk_live_` + 22 base62 characters (131 random bits) + a 6-character checksum, so a
// mistyped key is refused before any lookup. Only the SHA-256 of a key is stored.
import { crc32 } from "../exports/zip.ts";
import { sha256Hex } from "../lib/crypto.ts";

export const KEY_PREFIX = "pk_live_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BODY_LENGTH = 22;
const CHECK_LENGTH = 6;
const SHAPE = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECK_LENGTH}}$`);

function base62(n: number, length: number): string {
	let out = "";
	let value = n;
	for (let i = 0; i < length; i++) {
		out = ALPHABET[value % 62] + out;
		value = Math.floor(value / 62);
	}
	return out;
}

function checksum(body: string): string {
	return base62(crc32(new TextEncoder().encode(`${KEY_PREFIX}${body}`)), CHECK_LENGTH);
}

export function newKey(): string {
	let body = "";
	while (body.length < BODY_LENGTH) {
		for (const byte of crypto.getRandomValues(new Uint8Array(32))) {
			// 248 = 4 × 62: bytes above it are skipped so every character is equally likely.
			if (byte < 248 && body.length < BODY_LENGTH) body += ALPHABET[byte % 62];
		}
	}
	return `${KEY_PREFIX}${body}${checksum(body)}`;
}

/** True when the text has the key's shape and its checksum matches — no database needed to say no. */
export function isWellFormedKey(text: string): boolean {
	if (text.length !== KEY_PREFIX.length + BODY_LENGTH + CHECK_LENGTH || !SHAPE.test(text)) return false;
	const body = text.slice(KEY_PREFIX.length, KEY_PREFIX.length + BODY_LENGTH);
	return checksum(body) === text.slice(-CHECK_LENGTH);
}

export function hashKey(key: string): Promise<string> {
	return sha256Hex(key);
}

export function maskKey(prefix: string, last4: string): string {
	return `${prefix}…${last4}`;
}
