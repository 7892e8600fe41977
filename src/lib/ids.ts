// Prefixed, random, time-sortable ids: `org_` + 10 chars of millisecond time + 16 chars of randomness
// (Crockford base32, 80 random bits), so ids sort by creation and lists can page by cursor.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export type IdPrefix =
	| "org"
	| "sct"
	| "dgr"
	| "scr"
	| "sup"
	| "usr"
	| "dom"
	| "idn"
	| "rol"
	| "mem"
	| "ses"
	| "inv"
	| "tkt"
	| "mfa"
	| "evt"
	| "msg"
	| "whe"
	| "whd"
	| "wha"
	| "pln"
	| "key"
	| "tix"
	| "msg"
	| "att"
	| "pev"
	| "art"
	| "opr"
	| "ops"
	| "oae"
	| "rte"
	| "ssd"
	| "ssr";

export function newId(prefix: IdPrefix, nowMs = Date.now()): string {
	let time = "";
	let t = nowMs;
	for (let i = 0; i < 10; i++) {
		time = ALPHABET[t % 32] + time;
		t = Math.floor(t / 32);
	}
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	let random = "";
	for (const byte of bytes) random += ALPHABET[byte % 32];
	return `${prefix}_${time}${random}`;
}
