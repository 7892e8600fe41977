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
		signInMethod?: string | null;
		issuerHost: string;
		issuerBindingHash: string;
	},
) {
	return db.insert(loginTickets).values({ id: newId("tkt"), ...input });
}

function liveTicket(tokenHash: string, host: string, nowMs: number) {
	return and(
		eq(loginTickets.tokenHash, tokenHash),
		eq(loginTickets.host, host),
		isNull(loginTickets.usedAt),
		gt(loginTickets.expiresAt, nowMs),
	);
}

export async function peekLoginTicket(db: Db, tokenHash: string, host: string, nowMs: number) {
	const rows = await db
		.select({ issuerHost: loginTickets.issuerHost })
		.from(loginTickets)
		.where(and(liveTicket(tokenHash, host, nowMs), isNull(loginTickets.boundNonceHash)))
		.limit(1);
	return rows[0] ?? null;
}

/** The issuing host binds the receiving host's nonce, once, for the browser holding its hand-off cookie. */
export async function bindLoginTicket(
	db: Db,
	input: { tokenHash: string; issuerHost: string; issuerBindingHash: string; nonceHash: string; nowMs: number },
): Promise<string | null> {
	const rows = await db
		.update(loginTickets)
		.set({ boundNonceHash: input.nonceHash })
		.where(
			and(
				eq(loginTickets.tokenHash, input.tokenHash),
				eq(loginTickets.issuerHost, input.issuerHost),
				eq(loginTickets.issuerBindingHash, input.issuerBindingHash),
				isNull(loginTickets.boundNonceHash),
				isNull(loginTickets.usedAt),
				gt(loginTickets.expiresAt, input.nowMs),
			),
		)
		.returning({ host: loginTickets.host });
	return rows[0]?.host ?? null;
}

export async function consumeLoginTicket(
	db: Db,
	input: { tokenHash: string; host: string; nonceHash: string; nowMs: number },
) {
	const rows = await db
		.update(loginTickets)
		.set({ usedAt: input.nowMs })
		.where(and(liveTicket(input.tokenHash, input.host, input.nowMs), eq(loginTickets.boundNonceHash, input.nonceHash)))
		.returning();
	return rows[0] ?? null;
}
