// MFA factors: one TOTP secret per user (pending until confirmed) and single-use recovery code hashes.
import { and, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import { mfaFactors } from "./schema.ts";

export function findTotp(db: Db, userId: string, confirmed: boolean) {
	return db
		.select()
		.from(mfaFactors)
		.where(
			and(
				eq(mfaFactors.userId, userId),
				eq(mfaFactors.type, "totp"),
				confirmed ? isNotNull(mfaFactors.confirmedAt) : isNull(mfaFactors.confirmedAt),
			),
		)
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export function deletePendingTotp(db: Db, userId: string) {
	return db
		.delete(mfaFactors)
		.where(and(eq(mfaFactors.userId, userId), eq(mfaFactors.type, "totp"), isNull(mfaFactors.confirmedAt)));
}

export function insertPendingTotp(db: Db, userId: string, secret: string) {
	return db.insert(mfaFactors).values({ id: newId("mfa"), userId, type: "totp", secret });
}

/** `usedAt` holds the last accepted time step, so the same code cannot be used twice. */
export function confirmTotp(db: Db, factorId: string, step: number) {
	return db.update(mfaFactors).set({ confirmedAt: Date.now(), usedAt: step }).where(eq(mfaFactors.id, factorId));
}

/**
 * Claims a TOTP time step: the update happens only if no later or equal step was used, so one code
 * passes once even when several sessions send it at the same moment. True when this request claimed it.
 */
export async function claimTotpStep(db: Db, factorId: string, step: number): Promise<boolean> {
	const rows = await db
		.update(mfaFactors)
		.set({ usedAt: step })
		.where(and(eq(mfaFactors.id, factorId), or(isNull(mfaFactors.usedAt), lt(mfaFactors.usedAt, step))))
		.returning({ id: mfaFactors.id });
	return rows.length > 0;
}

export function insertRecoveryCodes(db: Db, userId: string, hashes: string[]) {
	return db.insert(mfaFactors).values(
		hashes.map((secret) => ({
			id: newId("mfa"),
			userId,
			type: "recovery" as const,
			secret,
			confirmedAt: Date.now(),
		})),
	);
}

export function deleteRecoveryCodes(db: Db, userId: string) {
	return db.delete(mfaFactors).where(and(eq(mfaFactors.userId, userId), eq(mfaFactors.type, "recovery")));
}

export function deleteAllFactors(db: Db, userId: string) {
	return db.delete(mfaFactors).where(eq(mfaFactors.userId, userId));
}

export async function consumeRecoveryCode(db: Db, userId: string, codeHash: string): Promise<boolean> {
	const rows = await db
		.update(mfaFactors)
		.set({ usedAt: Date.now() })
		.where(
			and(
				eq(mfaFactors.userId, userId),
				eq(mfaFactors.type, "recovery"),
				eq(mfaFactors.secret, codeHash),
				isNull(mfaFactors.usedAt),
			),
		)
		.returning({ id: mfaFactors.id });
	return rows.length > 0;
}

export function unusedRecoveryCodesQuery(db: Db, userId: string) {
	return db
		.select({ id: mfaFactors.id })
		.from(mfaFactors)
		.where(and(eq(mfaFactors.userId, userId), eq(mfaFactors.type, "recovery"), isNull(mfaFactors.usedAt)));
}
