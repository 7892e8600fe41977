// Organizations (control plane): creating one with its Owner, and finding one by host.
import { and, eq, isNotNull } from "drizzle-orm";
import { BUILT_IN_ROLES } from "../auth/permissions.ts";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import { type BillingAddress, domains, memberships, organizations, plans, sessions } from "./schema.ts";

export function isSlugTaken(db: Db, slug: string) {
	return db
		.select({ id: organizations.id })
		.from(organizations)
		.where(eq(organizations.slug, slug))
		.limit(1)
		.then((rows) => rows.length > 0);
}

export function findOrganizationBySlug(db: Db, slug: string) {
	return db
		.select()
		.from(organizations)
		.where(eq(organizations.slug, slug))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export function findOrganizationSlug(db: Db, orgId: string): Promise<string | null> {
	return db
		.select({ slug: organizations.slug })
		.from(organizations)
		.where(eq(organizations.id, orgId))
		.limit(1)
		.then((rows) => rows[0]?.slug ?? null);
}

export function findOrganizationByDomain(db: Db, hostname: string) {
	return db
		.select({ org: organizations })
		.from(domains)
		.innerJoin(organizations, eq(organizations.id, domains.orgId))
		.where(and(eq(domains.hostname, hostname), isNotNull(domains.verifiedAt)))
		.limit(1)
		.then((rows) => rows[0]?.org ?? null);
}

/** The writes that create an organization on the Free plan with `ownerId` as its Owner. */
export function createOrganizationWrites(db: Db, input: { name: string; slug: string; ownerId: string }) {
	const orgId = newId("org");
	return {
		orgId,
		writes: [
			db.insert(organizations).values({ id: orgId, name: input.name, slug: input.slug, planId: "pln_free" }),
			db
				.insert(memberships)
				.values({ id: newId("mem"), orgId, userId: input.ownerId, roleId: BUILT_IN_ROLES.owner.id }),
		],
	};
}

export function setRequireMfa(db: Db, orgId: string, requireMfa: boolean) {
	return db.update(organizations).set({ requireMfa, updatedAt: Date.now() }).where(eq(organizations.id, orgId));
}

export function updateOrganizationSettings(
	db: Db,
	orgId: string,
	input: {
		name: string;
		legalName: string | null;
		billingEmail: string | null;
		billingAddress: BillingAddress | null;
		taxIdType: string | null;
		taxIdValue: string | null;
	},
) {
	return db
		.update(organizations)
		.set({ ...input, updatedAt: Date.now() })
		.where(eq(organizations.id, orgId));
}

export function setLogo(db: Db, orgId: string, logoUrl: string | null) {
	return db.update(organizations).set({ logoUrl, updatedAt: Date.now() }).where(eq(organizations.id, orgId));
}

export function scheduleDeletion(db: Db, orgId: string, nowMs: number, purgeAfter: number) {
	return db
		.update(organizations)
		.set({ status: "deleted", deletionRequestedAt: nowMs, purgeAfter, updatedAt: nowMs })
		.where(eq(organizations.id, orgId));
}

export function restoreOrganization(db: Db, orgId: string) {
	return db
		.update(organizations)
		.set({ status: "active", deletionRequestedAt: null, purgeAfter: null, updatedAt: Date.now() })
		.where(eq(organizations.id, orgId));
}

export function deleteOrganizationSessions(db: Db, orgId: string) {
	return db.delete(sessions).where(eq(sessions.orgId, orgId));
}

/** The limits of the organization's plan (seats, …), for work that starts outside a page (SSO sign-in). */
export function findPlanLimits(db: Db, orgId: string) {
	return db
		.select({ limits: plans.limits })
		.from(organizations)
		.leftJoin(plans, eq(plans.id, organizations.planId))
		.where(eq(organizations.id, orgId))
		.limit(1)
		.then((rows) => rows[0]?.limits ?? null);
}
