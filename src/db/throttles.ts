// Failed sign-in counters in the database: isolates share no memory, so a counter in one would not
// stop an attacker spread over many.
import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { authThrottles } from "./schema.ts";

export function readThrottles(db: Db, keys: string[]) {
	return db.select().from(authThrottles).where(inArray(authThrottles.key, keys));
}

/** One more failure in the window (a new window when the old one has passed); locks at `lockAt` failures. */
export function recordFailure(db: Db, key: string, nowMs: number, windowMs: number, lockAt: number, lockMs: number) {
	const windowStart = nowMs - windowMs;
	return db
		.insert(authThrottles)
		.values({ key, failures: 1, windowStartedAt: nowMs, lockedUntil: lockAt <= 1 ? nowMs + lockMs : null })
		.onConflictDoUpdate({
			target: authThrottles.key,
			set: {
				failures: sql`case when ${authThrottles.windowStartedAt} < ${windowStart} then 1 else ${authThrottles.failures} + 1 end`,
				windowStartedAt: sql`case when ${authThrottles.windowStartedAt} < ${windowStart} then ${nowMs} else ${authThrottles.windowStartedAt} end`,
				lockedUntil: sql`case when (case when ${authThrottles.windowStartedAt} < ${windowStart} then 1 else ${authThrottles.failures} + 1 end) >= ${lockAt} then ${nowMs + lockMs} else ${authThrottles.lockedUntil} end`,
			},
		});
}

export function clearThrottle(db: Db, key: string) {
	return db.delete(authThrottles).where(eq(authThrottles.key, key));
}
