// Brute-force protection: per account (by email, whether or not the account exists, so the answer
// reveals nothing) and per IP, counted in the database.
import type { Db } from "../db/client.ts";
import { clearThrottle, readThrottles, recordFailure } from "../db/throttles.ts";

const MINUTE = 60_000;
export const ACCOUNT_LIMIT = { failures: 10, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
export const IP_LIMIT = { failures: 100, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };

const accountKey = (email: string) => `account:${email}`;
const ipKey = (ip: string) => `ip:${ip}`;

export async function isLocked(db: Db, email: string, ip: string | null, nowMs: number): Promise<boolean> {
	const keys = [accountKey(email), ...(ip ? [ipKey(ip)] : [])];
	const rows = await readThrottles(db, keys);
	return rows.some((row) => (row.lockedUntil ?? 0) > nowMs);
}

/** The writes that count one failed attempt; the caller batches them with the audit event. */
export function failureWrites(db: Db, email: string, ip: string | null, nowMs: number) {
	const a = ACCOUNT_LIMIT;
	const writes = [recordFailure(db, accountKey(email), nowMs, a.windowMs, a.failures, a.lockMs)];
	if (ip) writes.push(recordFailure(db, ipKey(ip), nowMs, IP_LIMIT.windowMs, IP_LIMIT.failures, IP_LIMIT.lockMs));
	return writes;
}

export function clearAccountThrottle(db: Db, email: string) {
	return clearThrottle(db, accountKey(email));
}
