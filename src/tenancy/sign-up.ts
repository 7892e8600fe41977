// Creating an organization from a confirmed sign-up: the account (for a new person, its address
// verified by the link), the organization with its Owner, the hand-off ticket for a new person, and the
// audit event — one batch, so a portal address taken meanwhile (the unique index) writes nothing.
import type { AuditActor } from "../db/audit.ts";
import { type Batch, commitWithAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { createOrganizationWrites } from "../db/organizations.ts";
import { isUniqueViolation } from "../db/preconditions.ts";
import { tenantData } from "../db/tenant-data.ts";
import { findUserByEmail, insertUser } from "../db/users.ts";

export interface ConfirmedSignUp {
	email: string;
	name: string;
	passwordHash: string;
	orgName: string;
	slug: string;
}

/**
 * Returns the new organization's id and the Owner's, whether the person already had an account, or
 * null when the address was taken since the form was sent. `handOff` adds the ticket that signs a new
 * person in on the new host (someone with an account signs in there as always, with password and MFA).
 */
export async function createSignedUpOrganization(
	db: Db,
	pending: ConfirmedSignUp,
	nowMs: number,
	// The write is wrapped: a drizzle query is thenable, and an async function returning it would run it.
	handOff: (ids: { userId: string; orgId: string }) => Promise<{ insert: Batch[number] }>,
): Promise<{ orgId: string; userId: string; existing: boolean } | null> {
	const existing = await findUserByEmail(db, pending.email);
	const newUser = existing
		? null
		: insertUser(db, {
				email: pending.email,
				name: pending.name,
				passwordHash: pending.passwordHash,
				emailVerifiedAt: nowMs,
			});
	const userId = existing?.id ?? newUser?.id ?? "";
	const org = createOrganizationWrites(db, { name: pending.orgName, slug: pending.slug, ownerId: userId });
	const ticket = existing ? [] : [(await handOff({ userId, orgId: org.orgId })).insert];
	const actor: AuditActor = { type: "user", id: userId, label: existing?.name ?? pending.name };
	try {
		// A new organization starts on the shared tier: its tenant data shares the main database, so
		// this is one batch.
		await commitWithAudit(
			db,
			tenantData({ orgId: org.orgId, db }),
			actor,
			{
				action: "organization.created",
				target: { type: "organization", id: org.orgId },
				metadata: { slug: pending.slug },
			},
			{ control: [...(newUser ? [newUser.query] : []), ...org.writes, ...ticket] },
		);
	} catch (error) {
		if (!isUniqueViolation(error)) throw error;
		return null;
	}
	return { orgId: org.orgId, userId, existing: Boolean(existing) };
}
