// Email + password sign-in. Every failure reads the same, so the form never tells which emails have
// accounts; the password is checked even for unknown emails to keep timing alike; every attempt is
// reserved on the account's counter before the check (10 in 15 minutes), so a locked account or a
// throttled IP is refused before any password is checked, however many attempts arrive at once.
import type { Db } from "../db/client.ts";
import { findSignInCandidate } from "../db/sessions-candidates.ts";
import type { Passwords } from "../passwords/service.ts";
import { needsRehash } from "./password.ts";
import { type CounterWrites, passwordMatches, throttledCheck } from "./throttle.ts";

export type SignInResult =
	| { ok: true; user: { userId: string; name: string; email: string; mfaEnabled: boolean }; rehash: boolean }
	| {
			ok: false;
			reason: "locked" | "bad_credentials" | "not_member";
			userId: string | null;
			/** The counter writes to batch with the audit event of the failure. */
			writes: CounterWrites;
	  };

export async function checkPasswordSignIn(
	db: Db,
	input: { orgId: string; email: string; password: string; ip: string | null; nowMs: number },
	passwords: Passwords,
): Promise<SignInResult> {
	let candidate: Awaited<ReturnType<typeof findSignInCandidate>> = null;
	let passwordRight = false;
	const { outcome, writes } = await throttledCheck(db, { subject: input.email, ...input }, async () => {
		candidate = await findSignInCandidate(db, input.email, input.orgId);
		passwordRight = await passwordMatches(passwords, input.password, candidate?.passwordHash);
		// A right password for someone who is not a member counts as a wrong one: no oracle, no reset.
		return passwordRight && Boolean(candidate?.membershipId);
	});
	const found = candidate as Awaited<ReturnType<typeof findSignInCandidate>>;
	if (outcome === "locked") return { ok: false, reason: "locked", userId: null, writes: [] };
	if (outcome === "wrong" || !found?.passwordHash) {
		return {
			ok: false,
			reason: passwordRight ? "not_member" : "bad_credentials",
			userId: found?.userId ?? null,
			writes: writes as CounterWrites,
		};
	}
	return {
		ok: true,
		user: { userId: found.userId, name: found.name, email: input.email, mfaEnabled: found.mfaEnabled },
		rehash: needsRehash(found.passwordHash),
	};
}
