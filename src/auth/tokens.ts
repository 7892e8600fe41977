// Issuing single-use tokens: the random value goes to the user (link or redirect), its hash to the
// database. Lifetimes are part of the security design.
import type { Db } from "../db/client.ts";
import { type EmailTokenPurpose, insertEmailToken } from "../db/tokens.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";

const MINUTE = 60_000;
export const TOKEN_LIFETIME_MS: Record<EmailTokenPurpose, number> = {
	magic_link: 10 * MINUTE,
	reset_password: 30 * MINUTE,
	verify_email: 24 * 60 * MINUTE,
	change_email: 24 * 60 * MINUTE,
};

export async function issueEmailToken(
	db: Db,
	purpose: EmailTokenPurpose,
	input: { userId: string; orgId: string | null; host: string; email?: string | null },
) {
	const token = randomToken(32);
	const insert = insertEmailToken(db, {
		purpose,
		tokenHash: await sha256Hex(token),
		expiresAt: Date.now() + TOKEN_LIFETIME_MS[purpose],
		...input,
	});
	return { token, insert };
}
