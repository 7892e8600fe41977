// The sign-in lookup: a user by email with their membership in the organization being signed into.
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "./client.ts";
import { memberships, users } from "./schema.ts";

export async function findSignInCandidate(db: Db, email: string, orgId: string) {
	const rows = await db
		.select({
			userId: users.id,
			name: users.name,
			passwordHash: users.passwordHash,
			mfaEnabled: users.mfaEnabled,
			membershipId: memberships.id,
		})
		.from(users)
		.leftJoin(
			memberships,
			and(eq(memberships.userId, users.id), eq(memberships.orgId, orgId), isNull(memberships.deprovisionedAt)),
		)
		.where(eq(users.email, email))
		.limit(1);
	return rows[0] ?? null;
}
