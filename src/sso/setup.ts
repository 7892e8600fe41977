// Single sign-on setup verbs (an Owner, `sso:manage`): claim an email domain and prove it by DNS, save
// the OIDC connection (its secret sealed) or the SAML one (the IdP's metadata by URL or upload), then —
// after a real test sign-in (sign-in.ts) — switch it on and, if wanted, require it.
import type { Unit } from "../audit/unit.ts";
import { commit } from "../audit/unit.ts";
import { isUniqueViolation } from "../db/preconditions.ts";
import {
	deleteSsoDomain,
	findConnection,
	findSsoDomain,
	insertSsoDomain,
	recordSsoDomainCheck,
	type SsoConnectionRow,
	saveConnection,
	setConnectionFlags,
} from "../db/sso.ts";
import { findRole } from "../db/team.ts";
import { resolverFor } from "../domains/check.ts";
import { checkHostname } from "../domains/hostname.ts";
import { randomToken } from "../lib/crypto.ts";
import { AppError } from "../lib/errors.ts";
import { seal } from "../lib/secret-box.ts";
import { discover, SsoFailure } from "./oidc.ts";
import { parseIdpMetadata } from "./saml.ts";

export const SECRET_PURPOSE = "sso-client-secret";

/** Email domains of consumer providers: nobody's company, so no organization may claim them. */
const PUBLIC_DOMAINS = new Set([
	"gmail.com",
	"googlemail.com",
	"outlook.com",
	"hotmail.com",
	"live.com",
	"yahoo.com",
	"icloud.com",
	"me.com",
	"aol.com",
	"proton.me",
	"protonmail.com",
	"gmx.de",
	"gmx.net",
	"web.de",
]);

export function domainRecord(domain: string, token: string) {
	return { type: "TXT" as const, name: `_portico-sso.${domain}`, value: `portico-sso=${token}` };
}

export function emailDomainOf(email: string): string {
	return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}

/** Where the provider sends people back: one address on the vendor's apex for every organization. */
export function oidcRedirectUri(apexOrigin: string): string {
	return `${apexOrigin}/sso/oidc/callback`;
}

// ── Domains ───────────────────────────────────────────────────────────────────────────────────

export async function claimDomain(unit: Unit, portalDomain: string, input: string): Promise<string | null> {
	const checked = checkHostname(input, portalDomain);
	if (!checked.ok) return checked.message;
	if (PUBLIC_DOMAINS.has(checked.hostname))
		return `${checked.hostname} is a public email provider's domain; claim your company's own domain.`;
	const row = insertSsoDomain(unit.org, checked.hostname, randomToken(16));
	try {
		await commit(
			unit,
			{
				action: "sso.domain_added",
				target: { type: "sso_domain", id: row.id },
				metadata: { domain: checked.hostname },
			},
			{ control: [row.query] },
		);
	} catch (error) {
		if (isUniqueViolation(error)) return "This domain is already in the list.";
		throw error;
	}
	return null;
}

async function ownDomain(unit: Unit, id: string) {
	const domain = await findSsoDomain(unit.org, id);
	if (!domain) throw new AppError("not_found", "No such domain.");
	return domain;
}

/** Checks the TXT record; a domain another organization verified first stays theirs (the index decides). */
export async function checkDomainClaim(unit: Unit, id: string, nowMs: number): Promise<string | null> {
	const domain = await ownDomain(unit, id);
	const record = domainRecord(domain.domain, domain.verificationToken);
	let values: string[];
	try {
		values = await resolverFor(unit.notices.bindings).lookup(record.name, "TXT");
	} catch {
		return "DNS could not be reached, so nothing changed. Try again in a minute.";
	}
	const found = values.includes(record.value);
	const problem = found ? null : `No TXT record ${record.name} with the value ${record.value} yet.`;
	try {
		await commit(
			unit,
			{
				action: found ? "sso.domain_verified" : "sso.domain_check_failed",
				target: { type: "sso_domain", id: domain.id },
				metadata: { domain: domain.domain, problem },
			},
			{
				control: [
					recordSsoDomainCheck(
						unit.org,
						domain.id,
						{ verifiedAt: found ? (domain.verifiedAt ?? nowMs) : null, problem },
						nowMs,
					),
				],
			},
		);
	} catch (error) {
		if (!isUniqueViolation(error)) throw error;
		return "Another organization has already verified this domain for single sign-on.";
	}
	return problem;
}

export async function removeDomainClaim(unit: Unit, id: string): Promise<void> {
	const domain = await ownDomain(unit, id);
	await commit(
		unit,
		{
			action: "sso.domain_removed",
			target: { type: "sso_domain", id: domain.id },
			metadata: { domain: domain.domain },
		},
		{ control: [deleteSsoDomain(unit.org, domain.id)] },
	);
}

// ── Connection ────────────────────────────────────────────────────────────────────────────────

/** What both protocols share: who a new person becomes. */
export interface ProvisioningSettings {
	defaultRoleId: string;
	groupsClaim: string;
	groupRoles: Record<string, string>;
}

export interface OidcSettings extends ProvisioningSettings {
	issuer: string;
	clientId: string;
	/** Empty keeps the stored secret. */
	clientSecret: string;
	scopes: string;
}

export interface SamlSettings extends ProvisioningSettings {
	/** The IdP's metadata: fetched from this URL, or the uploaded document when the URL is empty. */
	metadataUrl: string;
	metadataXml: string;
	signed: "assertion" | "response";
	idpInitiated: boolean;
}

const shownConnection = (c: Partial<SsoConnectionRow> | null) =>
	c && {
		protocol: c.protocol,
		...(c.protocol === "saml"
			? {
					idpEntityId: c.samlIdpEntityId,
					ssoUrl: c.samlSsoUrl,
					metadataUrl: c.samlMetadataUrl,
					certificates: c.samlCertificates?.map((x) => x.fingerprint),
					signed: c.samlSigned,
					idpInitiated: c.samlIdpInitiated,
				}
			: { issuer: c.oidcIssuer, clientId: c.oidcClientId, scopes: c.oidcScopes }),
		defaultRoleId: c.defaultRoleId,
		groupsClaim: c.groupsClaim,
		groupRoles: c.groupRoles,
	};

/**
 * Saves a connection. A changed provider configuration has to pass a test again, and SSO is off until
 * it does. The audit event names what changed, before and after; a secret only as "changed".
 */
async function saveSettings(
	unit: Unit,
	before: SsoConnectionRow | null,
	settings: ProvisioningSettings & { protocol: "oidc" | "saml" },
	provider: Partial<SsoConnectionRow>,
	providerChanged: boolean,
	secretChanged = false,
): Promise<void> {
	for (const roleId of [settings.defaultRoleId, ...Object.values(settings.groupRoles)]) {
		const role = await findRole(unit.org, roleId);
		if (!role || role.id === "rol_builtin_owner")
			throw new AppError("validation", "Choose roles from the list (an Owner is never made by single sign-on).");
	}
	const changed = providerChanged || before?.protocol !== settings.protocol;
	const next = {
		...provider,
		protocol: settings.protocol,
		defaultRoleId: settings.defaultRoleId,
		groupsClaim: settings.groupsClaim || null,
		groupRoles: settings.groupRoles,
		testedAt: changed ? null : (before?.testedAt ?? null),
		enabled: changed ? false : (before?.enabled ?? false),
		requireSso: changed ? false : (before?.requireSso ?? false),
	};
	await commit(
		unit,
		{
			action: "sso.connection_saved",
			metadata: { before: shownConnection(before), after: shownConnection(next), secretChanged },
		},
		{ control: [saveConnection(unit.org, next)] },
	);
}

export async function saveOidcConnection(unit: Unit, settings: OidcSettings, secretKey: string): Promise<void> {
	await discover(settings.issuer);
	const before = await findConnection(unit.org);
	if (!settings.clientSecret && !before?.oidcClientSecretEnc)
		throw new AppError("validation", "Enter the client secret your identity provider shows for this application.");
	const providerChanged =
		!before ||
		before.oidcIssuer !== settings.issuer ||
		before.oidcClientId !== settings.clientId ||
		before.oidcScopes !== settings.scopes ||
		Boolean(settings.clientSecret);
	await saveSettings(
		unit,
		before,
		{ ...settings, protocol: "oidc" },
		{
			oidcIssuer: settings.issuer,
			oidcClientId: settings.clientId,
			oidcClientSecretEnc: settings.clientSecret
				? await seal(secretKey, SECRET_PURPOSE, settings.clientSecret)
				: (before?.oidcClientSecretEnc ?? null),
			oidcScopes: settings.scopes,
		},
		providerChanged,
		Boolean(settings.clientSecret),
	);
}

const MAX_METADATA_BYTES = 512 * 1024;

/** The IdP's metadata document from its URL (no redirects followed, at most 512 KB). */
async function fetchMetadata(url: string, fetcher: typeof fetch = fetch): Promise<string> {
	try {
		const response = await fetcher(url, {
			headers: { accept: "application/samlmetadata+xml, application/xml" },
			redirect: "manual",
		});
		if (!response.ok) throw new Error(`status ${response.status}`);
		const text = await response.text();
		if (text.length > MAX_METADATA_BYTES) throw new Error("too large");
		return text;
	} catch {
		throw new AppError(
			"validation",
			`The metadata could not be read from ${url}. Check the URL, or upload the file instead.`,
		);
	}
}

export async function saveSamlConnection(unit: Unit, settings: SamlSettings): Promise<void> {
	const xml = settings.metadataUrl ? await fetchMetadata(settings.metadataUrl) : settings.metadataXml;
	if (!xml.trim()) throw new AppError("validation", "Give the metadata URL or upload the metadata file.");
	let metadata: Awaited<ReturnType<typeof parseIdpMetadata>>;
	try {
		metadata = await parseIdpMetadata(xml);
	} catch (error) {
		if (error instanceof SsoFailure) throw new AppError("validation", error.explanation);
		throw error;
	}
	const before = await findConnection(unit.org);
	const fingerprints = (c: { fingerprint: string }[]) => c.map((x) => x.fingerprint).join(",");
	const providerChanged =
		!before ||
		before.samlIdpEntityId !== metadata.entityId ||
		before.samlSsoUrl !== metadata.ssoUrl ||
		fingerprints(before.samlCertificates) !== fingerprints(metadata.certificates) ||
		before.samlSigned !== settings.signed ||
		before.samlIdpInitiated !== settings.idpInitiated;
	await saveSettings(
		unit,
		before,
		{ ...settings, protocol: "saml" },
		{
			samlIdpEntityId: metadata.entityId,
			samlSsoUrl: metadata.ssoUrl,
			samlMetadataUrl: settings.metadataUrl || null,
			samlCertificates: metadata.certificates,
			samlSigned: settings.signed,
			samlIdpInitiated: settings.idpInitiated,
		},
		providerChanged,
	);
}

export async function setSsoEnabled(unit: Unit, on: boolean): Promise<void> {
	const connection = await findConnection(unit.org);
	if (!connection) throw new AppError("conflict", "Set up the identity provider first.");
	if (on && !connection.testedAt)
		throw new AppError("conflict", "Test the connection first: it must work before SSO is switched on.");
	await commit(
		unit,
		{ action: on ? "sso.enabled" : "sso.disabled" },
		{
			control: [setConnectionFlags(unit.org, on ? { enabled: true } : { enabled: false, requireSso: false })],
		},
	);
}

/** "Require SSO" for the verified domains: only with SSO on; Owners keep a break-glass password. */
export async function setSsoRequired(unit: Unit, required: boolean): Promise<void> {
	const connection = await findConnection(unit.org);
	if (required && !connection?.enabled) throw new AppError("conflict", "Switch SSO on before requiring it.");
	await commit(
		unit,
		{ action: required ? "sso.required" : "sso.not_required" },
		{
			control: [setConnectionFlags(unit.org, { requireSso: required })],
		},
	);
}
