// The DNS records an organization creates, and the checks that read them back over DNS-over-HTTPS.
// A portal domain needs a CNAME to the vendor and a TXT record proving ownership; an email domain needs
// SPF including the vendor's sending servers and a DKIM CNAME to the vendor's key.
import type { Bindings } from "../env.ts";
import type { DnsResolver } from "./dns.ts";

export interface DnsRecord {
	type: "CNAME" | "TXT";
	name: string;
	value: string;
}

export function cnameTarget(bindings: Pick<Bindings, "CUSTOM_DOMAIN_TARGET" | "PORTAL_DOMAIN">): string {
	return (bindings.CUSTOM_DOMAIN_TARGET ?? `domains.${bindings.PORTAL_DOMAIN}`).toLowerCase();
}

export function portalDomainRecords(hostname: string, token: string, target: string): DnsRecord[] {
	return [
		{ type: "CNAME", name: hostname, value: target },
		{ type: "TXT", name: `_portico.${hostname}`, value: `portico-verify=${token}` },
	];
}

/** The TXT record that proves an email domain is this organization's: its token, which no other organization has. */
export function mailVerificationRecord(mailDomain: string, token: string): DnsRecord {
	return { type: "TXT", name: `_portico-mail.${mailDomain}`, value: `portico-verify=${token}` };
}

export function mailDomainRecords(mailDomain: string, portalDomain: string, token: string): DnsRecord[] {
	return [
		mailVerificationRecord(mailDomain, token),
		{ type: "TXT", name: mailDomain, value: `v=spf1 include:_spf.${portalDomain} ~all` },
		{ type: "CNAME", name: `portico._domainkey.${mailDomain}`, value: `portico._domainkey.${portalDomain}` },
	];
}

/** `transient`: DNS could not be asked — nothing is concluded about the records. */
export type CheckResult = { ok: true } | { ok: false; problem: string; transient?: boolean };

async function safely(resolver: DnsResolver, name: string, type: "TXT" | "CNAME"): Promise<string[] | null> {
	try {
		return await resolver.lookup(name, type);
	} catch {
		return null;
	}
}

export async function checkPortalDomain(
	resolver: DnsResolver,
	hostname: string,
	token: string,
	target: string,
): Promise<CheckResult> {
	const [cname, txt] = await Promise.all([
		safely(resolver, hostname, "CNAME"),
		safely(resolver, `_portico.${hostname}`, "TXT"),
	]);
	if (cname === null || txt === null) {
		return { ok: false, problem: "DNS could not be reached. Try again in a minute.", transient: true };
	}
	if (!txt.includes(`portico-verify=${token}`)) {
		return { ok: false, problem: `The TXT record _portico.${hostname} is missing or has another value.` };
	}
	if (!cname.includes(target)) {
		return { ok: false, problem: `${hostname} does not have a CNAME record pointing to ${target}.` };
	}
	return { ok: true };
}

export async function checkMailDomain(
	resolver: DnsResolver,
	mailDomain: string,
	portalDomain: string,
	token: string,
): Promise<CheckResult> {
	const proof = mailVerificationRecord(mailDomain, token);
	const [owned, spf, dkim] = await Promise.all([
		safely(resolver, proof.name, "TXT"),
		safely(resolver, mailDomain, "TXT"),
		safely(resolver, `portico._domainkey.${mailDomain}`, "CNAME"),
	]);
	if (owned === null || spf === null || dkim === null) {
		return { ok: false, problem: "DNS could not be reached. Try again in a minute.", transient: true };
	}
	if (!owned.includes(proof.value)) {
		return { ok: false, problem: `The TXT record ${proof.name} is missing or has another value.` };
	}
	const record = spf.find((r) => r.startsWith("v=spf1"));
	if (!record?.split(/\s+/).includes(`include:_spf.${portalDomain}`)) {
		return { ok: false, problem: `The SPF record of ${mailDomain} does not include _spf.${portalDomain}.` };
	}
	if (!dkim.includes(`portico._domainkey.${portalDomain}`)) {
		return { ok: false, problem: `The DKIM CNAME portico._domainkey.${mailDomain} is missing or points elsewhere.` };
	}
	return { ok: true };
}
