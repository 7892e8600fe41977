// Checking an organization's domains against DNS — "check now" and the hourly cron run the same code.
// A verified portal domain whose records are gone is disabled at once and the domain managers are told;
// an email domain whose SPF or DKIM disappeared stops being used as the sender.

import type { Db } from "../db/client.ts";
import { type DomainRow, recordDomainCheck, setMailDomainVerified } from "../db/domains.ts";
import { orgData } from "../db/org-data.ts";
import type { Bindings } from "../env.ts";
import type { CustomHostnames } from "./custom-hostnames.ts";
import { DEFAULT_DOH_ENDPOINT, type DnsResolver, dohResolver } from "./dns.ts";
import { checkMailDomain, checkPortalDomain, cnameTarget } from "./records.ts";

export function resolverFor(bindings: Bindings): DnsResolver {
	return dohResolver(bindings.DOH_ENDPOINT ?? DEFAULT_DOH_ENDPOINT);
}

export type DomainOutcome = "verified" | "still_verified" | "failed" | "disabled" | "unknown";

export async function checkDomain(
	bindings: Bindings,
	db: Db,
	hostnames: CustomHostnames,
	domain: DomainRow,
	nowMs: number,
): Promise<{ outcome: DomainOutcome; problem: string | null }> {
	const result = await checkPortalDomain(
		resolverFor(bindings),
		domain.hostname,
		domain.verificationToken,
		cnameTarget(bindings),
	);
	// An unreachable resolver says nothing about the records: a verified domain stays verified.
	if (!result.ok && result.transient) return { outcome: "unknown", problem: result.problem };
	if (!result.ok) {
		await recordDomainCheck(db, domain, { ok: false, problem: result.problem }, nowMs);
		return { outcome: domain.verifiedAt ? "disabled" : "failed", problem: result.problem };
	}
	let providerId = domain.providerId;
	if (!providerId) {
		try {
			providerId = await hostnames.create(domain.hostname);
		} catch {
			const problem = "The records are right, but the certificate could not be requested yet. Check again in a minute.";
			await recordDomainCheck(db, domain, { ok: false, problem }, nowMs);
			return { outcome: domain.verifiedAt ? "disabled" : "failed", problem };
		}
	}
	await recordDomainCheck(db, domain, { ok: true, problem: null, providerId }, nowMs);
	return { outcome: domain.verifiedAt ? "still_verified" : "verified", problem: null };
}

export async function checkEmailDomain(
	bindings: Bindings,
	db: Db,
	org: { id: string; mailDomain: string | null; mailDomainToken: string | null; mailDomainVerifiedAt: number | null },
	nowMs: number,
): Promise<{ ok: boolean; problem: string | null; transient?: boolean }> {
	if (!org.mailDomain || !org.mailDomainToken) return { ok: false, problem: "Enter an email domain first." };
	const result = await checkMailDomain(
		resolverFor(bindings),
		org.mailDomain,
		bindings.PORTAL_DOMAIN.toLowerCase(),
		org.mailDomainToken,
	);
	if (result.ok) {
		if (!org.mailDomainVerifiedAt && !(await setMailDomainVerified(orgData({ orgId: org.id, db }), nowMs)))
			return {
				ok: false,
				problem: `${org.mailDomain} is already verified for email by another organization. If it is yours, contact support.`,
			};
		return { ok: true, problem: null };
	}
	if (org.mailDomainVerifiedAt && !result.transient) await setMailDomainVerified(orgData({ orgId: org.id, db }), null);
	return { ok: false, problem: result.problem, transient: result.transient ?? false };
}
