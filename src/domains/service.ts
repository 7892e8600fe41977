// Custom-domain and mail-domain verbs: add (one organization per hostname, decided by the unique index),
// check now, remove, set the mail domain, check it. Each writes its audit event; a check's outcome is
// recorded by the check itself (src/domains/check.ts) and audited after it.
import { commit, type Unit } from "../audit/unit.ts";
import { commitWithAudit } from "../db/audit.ts";
import {
	countDomains,
	deleteDomain,
	findDomain,
	insertDomain,
	isHostnameClaimed,
	setMailDomain as setMailDomainQuery,
} from "../db/domains.ts";
import { randomToken } from "../lib/crypto.ts";
import { AppError } from "../lib/errors.ts";
import { log } from "../lib/log.ts";
import { checkDomain, checkEmailDomain } from "./check.ts";
import { customHostnamesFor } from "./custom-hostnames.ts";
import { checkHostname } from "./hostname.ts";

export const MAX_DOMAINS = 5;

export type AddDomainResult = { outcome: "added" } | { outcome: "refused"; message: string; status: 409 | 422 };

export async function addDomain(unit: Unit, portalDomain: string, input: string): Promise<AddDomainResult> {
	const { db } = unit;
	const checked = checkHostname(input, portalDomain);
	if (!checked.ok) return { outcome: "refused", message: checked.message, status: 422 };
	if ((await countDomains(unit.org)) >= MAX_DOMAINS)
		return { outcome: "refused", message: `An organization can have ${MAX_DOMAINS} domains.`, status: 422 };
	// The same answer whether this organization or another holds it: which one is not ours to say.
	const claimed = { outcome: "refused", message: "This hostname is already used by a portal.", status: 409 } as const;
	if (await isHostnameClaimed(db, checked.hostname)) return claimed;
	const domain = insertDomain(unit.org, { hostname: checked.hostname, verificationToken: randomToken(16) });
	try {
		await commitWithAudit(
			db,
			unit.tenant,
			unit.actor,
			{ action: "domain.added", target: { type: "domain", id: domain.id }, metadata: { hostname: checked.hostname } },
			{ control: [domain.query] },
		);
	} catch (error) {
		// Two organizations adding the same hostname at once: the unique index lets one through.
		if (await isHostnameClaimed(db, checked.hostname)) return claimed;
		throw error;
	}
	return { outcome: "added" };
}

async function ownDomain(unit: Unit, domainId: string) {
	const domain = await findDomain(unit.org, domainId);
	if (!domain) throw new AppError("not_found", "No such domain.");
	return domain;
}

/** Checks the records now; returns whether the domain passed, or "unknown" when DNS could not be reached. */
export async function checkDomainNow(unit: Unit, domainId: string, nowMs: number) {
	const domain = await ownDomain(unit, domainId);
	const bindings = unit.notices.bindings;
	const { outcome, problem } = await checkDomain(bindings, unit.db, customHostnamesFor(bindings), domain, nowMs);
	const passed = outcome === "verified" || outcome === "still_verified";
	await commit(unit, {
		action: passed ? "domain.verified" : outcome === "disabled" ? "domain.disabled" : "domain.check_failed",
		target: { type: "domain", id: domain.id },
		metadata: { hostname: domain.hostname, problem },
	});
	return passed ? "passed" : outcome === "unknown" ? "unknown" : "failed";
}

/** The row goes first, so the portal stops answering there; the certificate's removal can be retried. */
export async function removeDomain(unit: Unit, domainId: string): Promise<void> {
	const domain = await ownDomain(unit, domainId);
	await commit(
		unit,
		{ action: "domain.removed", target: { type: "domain", id: domain.id }, metadata: { hostname: domain.hostname } },
		{ control: [deleteDomain(unit.org, domain.id)] },
	);
	if (domain.providerId) {
		await customHostnamesFor(unit.notices.bindings)
			.remove(domain.providerId)
			.catch((error: unknown) => log("warn", "custom hostname removal failed", { requestId: unit.requestId, error }));
	}
}

export type MailDomainResult = { outcome: "saved" | "cleared" } | { outcome: "invalid"; message: string };

/** Sets (or, with an empty input, clears) the domain the organization's emails come from. */
export async function setMailDomain(
	unit: Unit,
	org: { mailDomain: string | null },
	portalDomain: string,
	input: string,
): Promise<MailDomainResult> {
	let mailDomain: string | null = null;
	if (input) {
		const checked = checkHostname(input, portalDomain);
		if (!checked.ok) return { outcome: "invalid", message: checked.message };
		mailDomain = checked.hostname;
	}
	if (mailDomain !== org.mailDomain) {
		await commit(
			unit,
			{ action: "organization.mail_domain_changed", metadata: { before: org.mailDomain, after: mailDomain } },
			{ control: [setMailDomainQuery(unit.org, mailDomain, randomToken(16))] },
		);
	}
	return { outcome: mailDomain ? "saved" : "cleared" };
}

export async function checkMailDomain(unit: Unit, org: Parameters<typeof checkEmailDomain>[2], nowMs: number) {
	const result = await checkEmailDomain(unit.notices.bindings, unit.db, org, nowMs);
	await commit(unit, {
		action: result.ok ? "organization.mail_domain_verified" : "organization.mail_domain_check_failed",
		metadata: { mailDomain: org.mailDomain, problem: result.problem },
	});
	return result;
}
