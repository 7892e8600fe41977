// Custom domains and the mail sender domain of an organization (control plane: the main database).
// Every query names the organization, so one organization can never read or change another's domain.
import { and, asc, count, eq, isNotNull, isNull } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import { type OrgData, orgData } from "./org-data.ts";
import { isUniqueViolation } from "./preconditions.ts";
import { domains, organizations } from "./schema.ts";

export type DomainRow = typeof domains.$inferSelect;

export function listDomains(org: OrgData) {
	return org.db.select().from(domains).where(org.owns(domains)).orderBy(asc(domains.createdAt));
}

export async function countDomains(org: OrgData): Promise<number> {
	const [row] = await org.db.select({ n: count() }).from(domains).where(org.owns(domains));
	return row?.n ?? 0;
}

export async function isHostnameClaimed(db: Db, hostname: string): Promise<boolean> {
	const rows = await db.select({ id: domains.id }).from(domains).where(eq(domains.hostname, hostname)).limit(1);
	return rows.length > 0;
}

export function insertDomain(org: OrgData, input: { hostname: string; verificationToken: string }) {
	const id = newId("dom");
	return { id, query: org.db.insert(domains).values({ id, orgId: org.orgId, ...input, createdAt: Date.now() }) };
}

export async function findDomain(org: OrgData, id: string): Promise<DomainRow | null> {
	const [row] = await org.db
		.select()
		.from(domains)
		.where(and(org.owns(domains), eq(domains.id, id)))
		.limit(1);
	return row ?? null;
}

export function deleteDomain(org: OrgData, id: string) {
	return org.db.delete(domains).where(and(org.owns(domains), eq(domains.id, id)));
}

/**
 * The outcome of a DNS check. A domain that passes is verified (again); one that fails after having been
 * verified is disabled at once — its records are gone, so it must stop serving this organization before
 * someone else points it anywhere.
 */
export function recordDomainCheck(
	db: Db,
	domain: DomainRow,
	result: { ok: boolean; problem: string | null; providerId?: string | null },
	nowMs: number,
) {
	const set = result.ok
		? {
				verifiedAt: domain.verifiedAt ?? nowMs,
				disabledAt: null,
				lastCheckProblem: null,
				...(result.providerId !== undefined ? { providerId: result.providerId } : {}),
			}
		: {
				verifiedAt: null,
				disabledAt: domain.verifiedAt ? nowMs : domain.disabledAt,
				lastCheckProblem: result.problem,
			};
	return db
		.update(domains)
		.set({ ...set, lastCheckedAt: nowMs })
		.where(orgData({ orgId: domain.orgId, db }).owns(domains, eq(domains.id, domain.id)));
}

export function listVerifiedDomains(org: OrgData) {
	return org.db
		.select()
		.from(domains)
		.where(and(org.owns(domains), isNotNull(domains.verifiedAt)));
}

export function listPendingDomains(org: OrgData) {
	return org.db
		.select()
		.from(domains)
		.where(and(org.owns(domains), isNull(domains.verifiedAt), isNull(domains.disabledAt)));
}

/**
 * A new email domain starts unverified, with a token of its own to put in DNS; the sender address on the
 * old one stops being used.
 */
export function setMailDomain(org: OrgData, mailDomain: string | null, token: string | null) {
	return org.db
		.update(organizations)
		.set({
			mailDomain,
			mailDomainToken: mailDomain ? token : null,
			mailDomainVerifiedAt: null,
			mailFromAddress: null,
			updatedAt: Date.now(),
		})
		.where(org.ownRow());
}

/**
 * Marks the email domain verified (or no longer). A domain already verified by another organization is
 * refused by the unique index, whatever the timing: false then, and nothing changes.
 */
export async function setMailDomainVerified(org: OrgData, verifiedAt: number | null): Promise<boolean> {
	try {
		await org.db
			.update(organizations)
			.set({ mailDomainVerifiedAt: verifiedAt, ...(verifiedAt === null ? { mailFromAddress: null } : {}) })
			.where(org.ownRow());
		return true;
	} catch (error) {
		if (verifiedAt !== null && isUniqueViolation(error)) return false;
		throw error;
	}
}

/** What sending an email for this organization needs: its name and its sender, if any. */
export async function findMailSender(org: OrgData) {
	const [row] = await org.db
		.select({
			name: organizations.name,
			mailFromName: organizations.mailFromName,
			mailFromAddress: organizations.mailFromAddress,
			mailDomain: organizations.mailDomain,
			mailDomainVerifiedAt: organizations.mailDomainVerifiedAt,
			supportEmail: organizations.supportEmail,
		})
		.from(organizations)
		.where(org.ownRow())
		.limit(1);
	return row ?? null;
}
