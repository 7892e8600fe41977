// Email + password sign-in. Every failure reads the same, so the form never tells which emails have
// accounts; the password is checked even for unknown emails to keep timing alike; every attempt is
// reserved on the account's counter before the check (10 in 15 minutes), so a locked account or a
// throttled IP is refused before any password is checked, however many attempts arrive at once.
import type { Db } from "../db/client.ts";
import { findSignInCandidate } from "../db/sessions-candidates.ts";
import { hashPassword, needsRehash, verifyPassword } from "./password.ts";
import { failureWrites, reserveAttempt } from "./throttle.ts";

let timingHash: Promise<string> | undefined;

export type SignInResult =
	| { ok: true; user: { userId: string; name: string; email: string; mfaEnabled: boolean }; rehash: boolean }
	| { ok: false; reason: "locked" | "bad_credentials" | "not_member"; userId: string | null };

export async function checkPasswordSignIn(
	db: Db,
	input: { orgId: string; email: string; password: string; ip: string | null; nowMs: number },
): Promise<SignInResult> {
	if (!(await reserveAttempt(db, input.email, input.ip, input.nowMs)))
		return { ok: false, reason: "locked", userId: null };
	const candidate = await findSignInCandidate(db, input.email, input.orgId);
	if (!candidate?.passwordHash) {
		// A constant, secret-free hash: equalizes timing for unknown emails without holding request data.
		timingHash ??= hashPassword("portico-timing-equalizer");
		await verifyPassword(input.password, await timingHash);
		return { ok: false, reason: "bad_credentials", userId: candidate?.userId ?? null };
	}
	if (!(await verifyPassword(input.password, candidate.passwordHash))) {
		return { ok: false, reason: "bad_credentials", userId: candidate.userId };
	}
	if (!candidate.membershipId) return { ok: false, reason: "not_member", userId: candidate.userId };
	return {
		ok: true,
		user: { userId: candidate.userId, name: candidate.name, email: input.email, mfaEnabled: candidate.mfaEnabled },
		rehash: needsRehash(candidate.passwordHash),
	};
}

export { failureWrites };
