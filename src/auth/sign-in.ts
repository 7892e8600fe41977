// Email + password sign-in on a tenant host. Failures all read the same, so the form does not tell
// which emails have accounts; the password is checked even for unknown emails to keep timing alike.

import type { Db } from "../db/client.ts";
import { findSignInCandidate } from "../db/sessions.ts";
import { hashPassword, verifyPassword } from "./password.ts";

let dummyHash: Promise<string> | undefined;

export type SignInResult =
	| { ok: true; userId: string; name: string }
	| { ok: false; reason: "bad_credentials" | "not_member"; userId: string | null };

export async function checkPasswordSignIn(
	db: Db,
	orgId: string,
	email: string,
	password: string,
): Promise<SignInResult> {
	const candidate = await findSignInCandidate(db, email, orgId);
	if (!candidate?.passwordHash) {
		// Constant, secret-free value: equalizes timing for unknown emails without holding request data.
		dummyHash ??= hashPassword("portico-timing-equalizer");
		await verifyPassword(password, await dummyHash);
		return { ok: false, reason: "bad_credentials", userId: candidate?.userId ?? null };
	}
	if (!(await verifyPassword(password, candidate.passwordHash))) {
		return { ok: false, reason: "bad_credentials", userId: candidate.userId };
	}
	if (!candidate.membershipId) return { ok: false, reason: "not_member", userId: candidate.userId };
	return { ok: true, userId: candidate.userId, name: candidate.name };
}
