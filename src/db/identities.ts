// OAuth identities: keyed by (provider, subject), linked to one user.
import { and, eq } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import { identities, users } from "./schema.ts";

export function findUserByIdentity(db: Db, provider: string, subject: string) {
	return db
		.select({
			id: users.id,
			name: users.name,
			email: users.email,
			emailVerifiedAt: users.emailVerifiedAt,
			mfaEnabled: users.mfaEnabled,
		})
		.from(identities)
		.innerJoin(users, eq(users.id, identities.userId))
		.where(and(eq(identities.provider, provider), eq(identities.subject, subject)))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export function insertIdentity(
	db: Db,
	input: { userId: string; provider: string; subject: string; email: string | null },
) {
	return db.insert(identities).values({ id: newId("idn"), ...input });
}
