// Single-use tokens: email links and cross-host login tickets. Only SHA-256 hashes are stored; a token
// is consumed by one conditional UPDATE, so a replay (or a race of two requests) finds nothing.
import { and, eq, gt, isNull } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import { emailTokens, loginTickets } from "./schema.ts";

export type EmailTokenPurpose = (typeof emailTokens.$inferSelect)["purpose"];

export function insertEmailToken(
	db: Db,
	input: {
		purpose: EmailTokenPurpose;
		tokenHash: string;
		userId: string;
		orgId: string | null;
		host: string;
		email?: string | null;
		expiresAt: number;
	},
) {
	return db.insert(emailTokens).values({ id: newId("tkt"), ...input });
}

/** Marks the token used and returns it, or null when it is unknown, used, expired or for another host or purpose. */
export async function consumeEmailToken(
	db: Db,
	tokenHash: string,
	purpose: EmailTokenPurpose,
	host: string,
	nowMs: number,
) {
	const rows = await db
		.update(emailTokens)
		.set({ usedAt: nowMs })
		.where(
			and(
				eq(emailTokens.tokenHash, tokenHash),
				eq(emailTokens.purpose, purpose),
				eq(emailTokens.host, host),
				isNull(emailTokens.usedAt),
				gt(emailTokens.expiresAt, nowMs),
			),
		)
		.returning();
	return rows[0] ?? null;
}

/** Reads a token without using it up (to show a confirmation page). */
export async function peekEmailToken(
	db: Db,
	tokenHash: string,
	purpose: EmailTokenPurpose,
	host: string,
	nowMs: number,
) {
	const rows = await db
		.select({ id: emailTokens.id })
		.from(emailTokens)
		.where(
			and(
				eq(emailTokens.tokenHash, tokenHash),
				eq(emailTokens.purpose, purpose),
				eq(emailTokens.host, host),
				isNull(emailTokens.usedAt),
				gt(emailTokens.expiresAt, nowMs),
			),
		)
		.limit(1);
	return rows[0] ?? null;
}

export function insertLoginTicket(
	db: Db,
	input: {
		tokenHash: string;
		userId: string;
		orgId: string;
		host: string;
		mfaVerified: boolean;
		expiresAt: number;
		viewAsOperatorId?: string | null;
		viewAsOperatorLabel?: string | null;
	},
) {
	return db.insert(loginTickets).values({ id: newId("tkt"), ...input });
}

export async function consumeLoginTicket(db: Db, tokenHash: string, host: string, nowMs: number) {
	const rows = await db
		.update(loginTickets)
		.set({ usedAt: nowMs })
		.where(
			and(
				eq(loginTickets.tokenHash, tokenHash),
				eq(loginTickets.host, host),
				isNull(loginTickets.usedAt),
				gt(loginTickets.expiresAt, nowMs),
			),
		)
		.returning();
	return rows[0] ?? null;
}
