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

/**
 * Counts one attempt before the secret is checked, in one statement: unless the key is locked, the
 * count goes up (a new window when the old one has passed) and the key locks when it reaches `lockAt`;
 * a locked key is left as it is and no row comes back. Concurrent attempts are serialized by the write
 * itself, so the attempt past the limit is refused however many arrive at once.
 */
export function reserveAttemptQuery(
	db: Db,
	key: string,
	nowMs: number,
	windowMs: number,
	lockAt: number,
	lockMs: number,
) {
	const windowStart = nowMs - windowMs;
	const fresh = lockAt <= 1 ? nowMs + lockMs : null;
	return db.run(sql`insert into ${authThrottles} (key, failures, window_started_at, locked_until)
		values (${key}, 1, ${nowMs}, ${fresh})
		on conflict (key) do update set
			failures = case when window_started_at < ${windowStart} then 1 else failures + 1 end,
			locked_until = case when (case when window_started_at < ${windowStart} then 1 else failures + 1 end) >= ${lockAt}
				then ${nowMs + lockMs} else null end,
			window_started_at = case when window_started_at < ${windowStart} then ${nowMs} else window_started_at end
		where locked_until is null or locked_until <= ${nowMs}
		returning failures`);
}

export function clearThrottle(db: Db, key: string) {
	return db.delete(authThrottles).where(eq(authThrottles.key, key));
}
