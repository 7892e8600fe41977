// Single sign-on rows of one organization: its connection, its claimed email domains and the sign-in
// requests it sent. Reached through `orgData()`, except the callback's lookup of a request by its
// state, which is how a response finds its organization (the state is unguessable and single-use).
import { and, asc, eq, gt, isNotNull, isNull } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import type { OrgData } from "./org-data.ts";
import { ssoAssertions, ssoCertificateNotices, ssoConnections, ssoDomains, ssoRequests } from "./schema.ts";

export type SsoConnectionRow = typeof ssoConnections.$inferSelect;
export type SsoDomainRow = typeof ssoDomains.$inferSelect;

export function findConnection(org: OrgData): Promise<SsoConnectionRow | null> {
	return org.db
		.select()
		.from(ssoConnections)
		.where(org.owns(ssoConnections))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export type ConnectionSettings = Omit<typeof ssoConnections.$inferInsert, "orgId" | "createdAt" | "updatedAt">;

/** Saves the connection's settings; a changed provider configuration must be tested again. */
export function saveConnection(org: OrgData, settings: ConnectionSettings) {
	const values = { ...settings, orgId: org.orgId, updatedAt: Date.now() };
	return org.db
		.insert(ssoConnections)
		.values(values)
		.onConflictDoUpdate({ target: ssoConnections.orgId, set: { ...settings, updatedAt: values.updatedAt } });
}

export function setConnectionFlags(
	org: OrgData,
	flags: { enabled?: boolean; requireSso?: boolean; testedAt?: number | null },
) {
	return org.db
		.update(ssoConnections)
		.set({ ...flags, updatedAt: Date.now() })
		.where(org.owns(ssoConnections));
}

export function listSsoDomains(org: OrgData) {
	return org.db.select().from(ssoDomains).where(org.owns(ssoDomains)).orderBy(asc(ssoDomains.createdAt));
}

export function insertSsoDomain(org: OrgData, domain: string, verificationToken: string) {
	const id = newId("ssd");
	return { id, query: org.db.insert(ssoDomains).values({ id, orgId: org.orgId, domain, verificationToken }) };
}

export function findSsoDomain(org: OrgData, id: string): Promise<SsoDomainRow | null> {
	return org.db
		.select()
		.from(ssoDomains)
		.where(org.owns(ssoDomains, eq(ssoDomains.id, id)))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

/** This organization's verified domain for an address, or null. */
export function verifiedSsoDomain(org: OrgData, domain: string): Promise<SsoDomainRow | null> {
	return org.db
		.select()
		.from(ssoDomains)
		.where(org.owns(ssoDomains, and(eq(ssoDomains.domain, domain), isNotNull(ssoDomains.verifiedAt))))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

/** Whether this organization requires SSO for the address's domain: SSO on, required, domain verified. */
export function ssoRequiredForDomain(org: OrgData, domain: string): Promise<boolean> {
	return org.db
		.select({ id: ssoDomains.id })
		.from(ssoDomains)
		.innerJoin(ssoConnections, eq(ssoConnections.orgId, ssoDomains.orgId))
		.where(
			org.owns(
				ssoDomains,
				and(
					eq(ssoDomains.domain, domain),
					isNotNull(ssoDomains.verifiedAt),
					eq(ssoConnections.enabled, true),
					eq(ssoConnections.requireSso, true),
				),
			),
		)
		.limit(1)
		.then((rows) => rows.length > 0);
}

export function recordSsoDomainCheck(
	org: OrgData,
	id: string,
	result: { verifiedAt: number | null; problem: string | null },
	nowMs: number,
) {
	return org.db
		.update(ssoDomains)
		.set({ verifiedAt: result.verifiedAt, lastCheckProblem: result.problem, lastCheckedAt: nowMs })
		.where(org.owns(ssoDomains, eq(ssoDomains.id, id)));
}

export function deleteSsoDomain(org: OrgData, id: string) {
	return org.db.delete(ssoDomains).where(org.owns(ssoDomains, eq(ssoDomains.id, id)));
}

export function insertSsoRequest(
	org: OrgData,
	input: {
		stateHash: string;
		host: string;
		nonce: string;
		codeVerifier: string;
		test: boolean;
		startedBy: string | null;
		expiresAt: number;
	},
) {
	const id = newId("ssr");
	return { id, query: org.db.insert(ssoRequests).values({ id, orgId: org.orgId, ...input }) };
}

/**
 * Takes the request a response answers: only once, only before it expires. Two responses with the same
 * state at once cannot both take it — the update decides.
 */
export function consumeSsoRequest(db: Db, stateHash: string, nowMs: number) {
	return db
		.update(ssoRequests)
		.set({ usedAt: nowMs })
		.where(and(eq(ssoRequests.stateHash, stateHash), isNull(ssoRequests.usedAt), gt(ssoRequests.expiresAt, nowMs)))
		.returning()
		.then((rows) => rows[0] ?? null);
}

export function saveTestResult(org: OrgData, requestId: string, result: Record<string, unknown>) {
	return org.db
		.update(ssoRequests)
		.set({ result })
		.where(org.owns(ssoRequests, eq(ssoRequests.id, requestId)));
}

/** A test's result, for the admin who started it. */
export function findTestResult(org: OrgData, requestId: string, userId: string) {
	return org.db
		.select({ result: ssoRequests.result, createdAt: ssoRequests.createdAt })
		.from(ssoRequests)
		.where(
			org.owns(
				ssoRequests,
				and(eq(ssoRequests.id, requestId), eq(ssoRequests.test, true), eq(ssoRequests.startedBy, userId)),
			),
		)
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export type SsoRequestRow = typeof ssoRequests.$inferSelect;

/** Accepts a SAML assertion's ID once: a second insert of the same hash is a unique violation. */
export function rememberAssertion(org: OrgData, idHash: string, expiresAt: number) {
	return org.db.insert(ssoAssertions).values({ idHash, orgId: org.orgId, expiresAt });
}

/** Claims the notice for one certificate and threshold: true for the one insert that wins. */
export async function claimCertificateNotice(org: OrgData, fingerprint: string, daysBefore: number): Promise<boolean> {
	const rows = await org.db
		.insert(ssoCertificateNotices)
		.values({ orgId: org.orgId, fingerprint, daysBefore })
		.onConflictDoNothing()
		.returning({ fingerprint: ssoCertificateNotices.fingerprint });
	return rows.length > 0;
}
