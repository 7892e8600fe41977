// Custom domains and the mail sender domain of an organization (control plane: the main database).
// Every query names the organization, so one organization can never read or change another's domain.
import { and, asc, count, eq, isNotNull, isNull } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import { isUniqueViolation } from "./preconditions.ts";
import { domains, organizations } from "./schema.ts";

export type DomainRow = typeof domains.$inferSelect;

export function listDomains(db: Db, orgId: string) {
	return db.select().from(domains).where(eq(domains.orgId, orgId)).orderBy(asc(domains.createdAt));
}

export async function countDomains(db: Db, orgId: string): Promise<number> {
	const [row] = await db.select({ n: count() }).from(domains).where(eq(domains.orgId, orgId));
	return row?.n ?? 0;
}

export async function isHostnameClaimed(db: Db, hostname: string): Promise<boolean> {
	const rows = await db.select({ id: domains.id }).from(domains).where(eq(domains.hostname, hostname)).limit(1);
	return rows.length > 0;
}

export function insertDomain(db: Db, input: { orgId: string; hostname: string; verificationToken: string }) {
	const id = newId("dom");
	return { id, query: db.insert(domains).values({ id, ...input, createdAt: Date.now() }) };
}

export async function findDomain(db: Db, orgId: string, id: string): Promise<DomainRow | null> {
	const [row] = await db
		.select()
		.from(domains)
		.where(and(eq(domains.orgId, orgId), eq(domains.id, id)))
		.limit(1);
	return row ?? null;
}

export function deleteDomain(db: Db, orgId: string, id: string) {
	return db.delete(domains).where(and(eq(domains.orgId, orgId), eq(domains.id, id)));
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
		.where(and(eq(domains.orgId, domain.orgId), eq(domains.id, domain.id)));
}

export function listVerifiedDomains(db: Db, orgId: string) {
	return db
		.select()
		.from(domains)
		.where(and(eq(domains.orgId, orgId), isNotNull(domains.verifiedAt)));
}

export function listPendingDomains(db: Db, orgId: string) {
	return db
		.select()
		.from(domains)
		.where(and(eq(domains.orgId, orgId), isNull(domains.verifiedAt), isNull(domains.disabledAt)));
}

/**
 * A new email domain starts unverified, with a token of its own to put in DNS; the sender address on the
 * old one stops being used.
 */
export function setMailDomain(db: Db, orgId: string, mailDomain: string | null, token: string | null) {
	return db
		.update(organizations)
		.set({
			mailDomain,
			mailDomainToken: mailDomain ? token : null,
			mailDomainVerifiedAt: null,
			mailFromAddress: null,
			updatedAt: Date.now(),
		})
		.where(eq(organizations.id, orgId));
}

/**
 * Marks the email domain verified (or no longer). A domain already verified by another organization is
 * refused by the unique index, whatever the timing: false then, and nothing changes.
 */
export async function setMailDomainVerified(db: Db, orgId: string, verifiedAt: number | null): Promise<boolean> {
	try {
		await db
			.update(organizations)
			.set({ mailDomainVerifiedAt: verifiedAt, ...(verifiedAt === null ? { mailFromAddress: null } : {}) })
			.where(eq(organizations.id, orgId));
		return true;
	} catch (error) {
		if (verifiedAt !== null && isUniqueViolation(error)) return false;
		throw error;
	}
}

/** What sending an email for this organization needs: its name and its sender, if any. */
export async function findMailSender(db: Db, orgId: string) {
	const [row] = await db
		.select({
			name: organizations.name,
			mailFromName: organizations.mailFromName,
			mailFromAddress: organizations.mailFromAddress,
			mailDomain: organizations.mailDomain,
			mailDomainVerifiedAt: organizations.mailDomainVerifiedAt,
			supportEmail: organizations.supportEmail,
		})
		.from(organizations)
		.where(eq(organizations.id, orgId))
		.limit(1);
	return row ?? null;
}
