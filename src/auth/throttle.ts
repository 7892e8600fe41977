// Brute-force protection: per account (by email, whether or not the account exists, so the answer
// reveals nothing) and per IP, counted in the database.
import type { Db } from "../db/client.ts";
import { clearThrottle, readThrottles, recordFailure, reserveAttemptQuery } from "../db/throttles.ts";
import type { Passwords } from "../passwords/service.ts";

const MINUTE = 60_000;
export const ACCOUNT_LIMIT = { failures: 10, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
export const IP_LIMIT = { failures: 100, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };

const accountKey = (email: string) => `account:${email}`;
const ipKey = (ip: string) => `ip:${ip}`;

/**
 * The one gate before any password or code is checked: reserves this attempt for the account (atomic:
 * counted before the slow check, refused past the limit whatever the timing) and refuses a throttled IP.
 * False means "locked": check nothing, answer the lockout. A wrong secret then only adds the IP's count
 * (`failureWrites`); a right one clears the account's (`clearAccountThrottle`).
 */
async function reserveAttempt(db: Db, subject: string, ip: string | null, nowMs: number): Promise<boolean> {
	const a = ACCOUNT_LIMIT;
	const reserve = reserveAttemptQuery(db, accountKey(subject), nowMs, a.windowMs, a.failures, a.lockMs);
	const [reserved, ipRows] = await db.batch([reserve, readThrottles(db, ip ? [ipKey(ip)] : [])]);
	const counted = (reserved as unknown as { rows: unknown[] }).rows.length > 0;
	return counted && !ipRows.some((row) => (row.lockedUntil ?? 0) > nowMs);
}

/**
 * A quota on an action that costs us or someone else (sign-ups mail an address): every attempt counts,
 * atomically, and false means at least one key is over its limit for the rest of its window.
 */
export async function reserveActions(
	db: Db,
	quotas: { key: string; limit: number; windowMs: number }[],
	nowMs: number,
): Promise<boolean> {
	if (quotas.length === 0) return true;
	const reservations = quotas.map((q) => reserveAttemptQuery(db, q.key, nowMs, q.windowMs, q.limit + 1, q.windowMs));
	const results = await db.batch(reservations as [(typeof reservations)[number], ...typeof reservations]);
	return quotas.every((quota, i) => {
		const rows = (results[i] as unknown as { rows: { failures?: number }[] } | undefined)?.rows ?? [];
		return rows.length > 0 && Number(rows[0]?.failures ?? 0) <= quota.limit;
	});
}

/** The writes after a wrong secret: the IP's failure (the account's attempt is already counted). */
function failureWrites(db: Db, _subject: string, ip: string | null, nowMs: number) {
	return ip ? [recordFailure(db, ipKey(ip), nowMs, IP_LIMIT.windowMs, IP_LIMIT.failures, IP_LIMIT.lockMs)] : [];
}

export function clearAccountThrottle(db: Db, email: string) {
	return clearThrottle(db, accountKey(email));
}

export type CheckOutcome = "ok" | "wrong" | "locked";
/** The counter writes an outcome needs, for the caller to batch with its audit event. */
export type CounterWrites = ReturnType<typeof failureWrites>;

/**
 * The one way any secret is checked — passwords (sign-in, step-up, password change, invitations,
 * operators) and codes (TOTP, recovery codes): the attempt is reserved first (`reserveAttempt`), the
 * check runs only when it was, and the writes its outcome needs come back for the caller to batch with
 * its audit event (a failure counts on the IP; a success clears the account's counter).
 */
export async function throttledCheck(
	db: Db,
	gate: { subject: string; ip: string | null; nowMs: number },
	check: () => Promise<boolean>,
) {
	if (!(await reserveAttempt(db, gate.subject, gate.ip, gate.nowMs)))
		return { outcome: "locked" as CheckOutcome, writes: [] };
	if (await check()) return { outcome: "ok" as CheckOutcome, writes: [clearAccountThrottle(db, gate.subject)] };
	return { outcome: "wrong" as CheckOutcome, writes: failureWrites(db, gate.subject, gate.ip, gate.nowMs) };
}

/** A constant, secret-free scrypt hash (of "portico-timing-equalizer", current parameters). */
const TIMING_HASH = "scrypt$32768$8$1$6iMJIF9MVYylUJKsczjClA$hNOdIN6lwvBgmCSjYBEBXtND27iY1K1j6gma9del5wE";

/** A password against a hash; with no hash (unknown account), against a constant one, so timing is alike. */
export async function passwordMatches(
	passwords: Passwords,
	password: string,
	hash: string | null | undefined,
): Promise<boolean> {
	if (hash) return passwords.verify(password, hash);
	await passwords.verify(password, TIMING_HASH);
	return false;
}

/**
 * A password check behind the gate, for the places that check one outside sign-in (step-up, password
 * change, invitations): the same account counter, so none of them is a way around the lockout.
 * "locked" means nothing was checked.
 */
export async function verifyPasswordThrottled(
	db: Db,
	input: { subject: string; ip: string | null; nowMs: number; password: string; hash: string | null },
	passwords: Passwords,
): Promise<CheckOutcome> {
	const { outcome, writes } = await throttledCheck(db, input, () =>
		passwordMatches(passwords, input.password, input.hash),
	);
	for (const write of writes) await write;
	return outcome;
}
