// Sign-ups waiting for their address to be confirmed (apex, control plane). Only the token's SHA-256 is
// stored; the link is used up by one conditional UPDATE, so a replay or a race of two clicks finds nothing.
import { and, eq, gt, isNull } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import { pendingSignups } from "./schema.ts";

export type PendingSignup = typeof pendingSignups.$inferSelect;

export function insertPendingSignup(db: Db, input: Omit<PendingSignup, "id" | "usedAt" | "createdAt">) {
	return db.insert(pendingSignups).values({ id: newId("sup"), ...input });
}

function live(tokenHash: string, nowMs: number) {
	return and(
		eq(pendingSignups.tokenHash, tokenHash),
		isNull(pendingSignups.usedAt),
		gt(pendingSignups.expiresAt, nowMs),
	);
}

/** Reads a waiting sign-up without using it (the confirmation page). */
export async function peekPendingSignup(db: Db, tokenHash: string, nowMs: number) {
	const rows = await db
		.select({ orgName: pendingSignups.orgName, slug: pendingSignups.slug })
		.from(pendingSignups)
		.where(live(tokenHash, nowMs))
		.limit(1);
	return rows[0] ?? null;
}

export async function consumePendingSignup(db: Db, tokenHash: string, nowMs: number): Promise<PendingSignup | null> {
	const rows = await db.update(pendingSignups).set({ usedAt: nowMs }).where(live(tokenHash, nowMs)).returning();
	return rows[0] ?? null;
}
