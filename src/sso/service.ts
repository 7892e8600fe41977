// Single sign-on verbs. Setup (an Owner, `sso:manage`): claim an email domain and prove it by DNS, save
// the OIDC connection (its secret sealed), test it with a real sign-in, switch it on. Sign-in: a person
// whose address is in a verified domain is sent to the provider; the answer (on the apex callback) is
// verified, the person found — or created with the default or group-mapped role, within the seat
// limit — and handed to the tenant host with a login ticket that marks the session as SSO.
import type { Unit } from "../audit/unit.ts";
import { commit } from "../audit/unit.ts";
import { type AuditActor, auditInsert, commitWithAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { type OrgData, orgData } from "../db/org-data.ts";
import { findPlanLimits } from "../db/organizations.ts";
import { isUniqueViolation, refusalOf, requireThat } from "../db/preconditions.ts";
import {
	consumeSsoRequest,
	deleteSsoDomain,
	findConnection,
	findSsoDomain,
	insertSsoDomain,
	insertSsoRequest,
	recordSsoDomainCheck,
	type SsoConnectionRow,
	saveConnection,
	saveTestResult,
	setConnectionFlags,
	verifiedSsoDomain,
} from "../db/sso.ts";
import { findRole, insertMembership, seatsFree } from "../db/team.ts";
import { tenantData } from "../db/tenant-data.ts";
import { findMembership, findUserByEmail, insertUser } from "../db/users.ts";
import { resolverFor } from "../domains/check.ts";
import { checkHostname } from "../domains/hostname.ts";
import type { Bindings } from "../env.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import { AppError } from "../lib/errors.ts";
import { open, seal } from "../lib/secret-box.ts";
import { type NotifyContext, notify } from "../notifications/notify.ts";
import { seatLimit } from "../team/rules.ts";
import { discover, finishOidc, type OidcClient, SsoFailure, startOidc } from "./oidc.ts";

const REQUEST_MS = 10 * 60_000;
const SECRET_PURPOSE = "sso-client-secret";

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

export interface OidcSettings {
	issuer: string;
	clientId: string;
	/** Empty keeps the stored secret. */
	clientSecret: string;
	scopes: string;
	defaultRoleId: string;
	groupsClaim: string;
	groupRoles: Record<string, string>;
}

/**
 * Saves the OIDC connection after reading the provider's discovery document. A changed provider
 * configuration has to pass a test again, and SSO is off until it does. The audit event names what
 * changed; the secret only as "changed".
 */
export async function saveOidcConnection(unit: Unit, settings: OidcSettings, secretKey: string): Promise<void> {
	await discover(settings.issuer);
	const before = await findConnection(unit.org);
	if (!settings.clientSecret && !before?.oidcClientSecretEnc)
		throw new AppError("validation", "Enter the client secret your identity provider shows for this application.");
	for (const roleId of [settings.defaultRoleId, ...Object.values(settings.groupRoles)]) {
		const role = await findRole(unit.org, roleId);
		if (!role || role.id === "rol_builtin_owner")
			throw new AppError("validation", "Choose roles from the list (an Owner is never made by single sign-on).");
	}
	const providerChanged =
		!before ||
		before.oidcIssuer !== settings.issuer ||
		before.oidcClientId !== settings.clientId ||
		before.oidcScopes !== settings.scopes ||
		Boolean(settings.clientSecret);
	const next = {
		protocol: "oidc" as const,
		oidcIssuer: settings.issuer,
		oidcClientId: settings.clientId,
		oidcClientSecretEnc: settings.clientSecret
			? await seal(secretKey, SECRET_PURPOSE, settings.clientSecret)
			: (before?.oidcClientSecretEnc ?? null),
		oidcScopes: settings.scopes,
		defaultRoleId: settings.defaultRoleId,
		groupsClaim: settings.groupsClaim || null,
		groupRoles: settings.groupRoles,
		testedAt: providerChanged ? null : (before?.testedAt ?? null),
		enabled: providerChanged ? false : (before?.enabled ?? false),
		requireSso: providerChanged ? false : (before?.requireSso ?? false),
	};
	const shown = (c: Partial<SsoConnectionRow> | null) =>
		c && {
			issuer: c.oidcIssuer,
			clientId: c.oidcClientId,
			scopes: c.oidcScopes,
			defaultRoleId: c.defaultRoleId,
			groupsClaim: c.groupsClaim,
			groupRoles: c.groupRoles,
		};
	await commit(
		unit,
		{
			action: "sso.connection_saved",
			metadata: { before: shown(before), after: shown(next), secretChanged: Boolean(settings.clientSecret) },
		},
		{ control: [saveConnection(unit.org, next)] },
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

async function clientFor(connection: SsoConnectionRow, secretKey: string, redirectUri: string): Promise<OidcClient> {
	const secret = connection.oidcClientSecretEnc
		? await open(secretKey, SECRET_PURPOSE, connection.oidcClientSecretEnc)
		: null;
	if (!connection.oidcIssuer || !connection.oidcClientId || secret === null)
		throw new SsoFailure("not_configured", "Single sign-on is not set up for this organization.");
	return {
		clientId: connection.oidcClientId,
		clientSecret: secret,
		redirectUri,
		scopes: connection.oidcScopes.split(/\s+/),
	};
}

// ── Sign-in ───────────────────────────────────────────────────────────────────────────────────

/** The provider's sign-in page for this organization's request (a test from setup, or a person). */
export async function startSso(
	org: OrgData,
	input: {
		host: string;
		apexOrigin: string;
		secretKey: string;
		test: boolean;
		startedBy: string | null;
		nowMs: number;
	},
): Promise<string> {
	const connection = await findConnection(org);
	if (!connection || (!input.test && !connection.enabled))
		throw new SsoFailure("not_enabled", "Single sign-on is not switched on for this organization.");
	const client = await clientFor(connection, input.secretKey, oidcRedirectUri(input.apexOrigin));
	const metadata = await discover(connection.oidcIssuer ?? "");
	const nonce = randomToken(24);
	const { url, state, codeVerifier } = startOidc(metadata, client, nonce);
	await insertSsoRequest(org, {
		stateHash: await sha256Hex(state),
		host: input.host,
		nonce,
		codeVerifier,
		test: input.test,
		startedBy: input.startedBy,
		expiresAt: input.nowMs + REQUEST_MS,
	}).query;
	return url.toString();
}

export interface CallbackContext {
	db: Db;
	bindings: Bindings;
	apexOrigin: string;
	secretKey: string;
	/** The actor for an event (the IP and user agent of the request). */
	actorFor(id: string | null, label: string): AuditActor;
	notices(orgId: string): Promise<NotifyContext>;
	nowMs: number;
}

export type CallbackResult =
	| { kind: "test"; host: string; requestId: string }
	| { kind: "signed-in"; host: string; orgId: string; user: { id: string; mfaEnabled: boolean } }
	| { kind: "failed"; host: string | null; orgId: string | null; reason: string; explanation: string };

/**
 * The provider's answer on the apex. The request is taken once by its state; everything after is
 * checked, and every outcome audited in the organization's log with its reason.
 */
export async function finishSso(
	ctx: CallbackContext,
	input: { state: string; code: string | null; error: string | null },
): Promise<CallbackResult> {
	const request = await consumeSsoRequest(ctx.db, await sha256Hex(input.state), ctx.nowMs);
	if (!request)
		return {
			kind: "failed",
			host: null,
			orgId: null,
			reason: "unknown_state",
			explanation: "This sign-in link was already used or has expired. Start again from the sign-in page.",
		};
	const org = orgData({ orgId: request.orgId, db: ctx.db });
	const tenant = tenantData({ orgId: request.orgId, db: ctx.db });
	const fail = async (reason: string, explanation: string, detail: Record<string, unknown> = {}) => {
		if (request.test) await saveTestResult(org, request.id, { ok: false, reason, explanation });
		await auditInsert(tenant, ctx.actorFor(null, "Single sign-on"), {
			action: request.test ? "sso.test_failed" : "sso.sign_in_failed",
			metadata: { reason, ...detail },
		});
		return request.test
			? ({ kind: "test", host: request.host, requestId: request.id } as const)
			: ({ kind: "failed", host: request.host, orgId: request.orgId, reason, explanation } as const);
	};
	if (input.error || !input.code)
		return fail("provider_refused", "The identity provider did not sign you in.", {
			error: input.error?.slice(0, 100) ?? null,
		});
	const connection = await findConnection(org);
	if (!connection) return fail("not_configured", "Single sign-on is not set up for this organization.");
	let identity: Awaited<ReturnType<typeof finishOidc>>;
	try {
		const client = await clientFor(connection, ctx.secretKey, oidcRedirectUri(ctx.apexOrigin));
		const metadata = await discover(connection.oidcIssuer ?? "");
		identity = await finishOidc(metadata, client, {
			code: input.code,
			codeVerifier: request.codeVerifier,
			nonce: request.nonce,
			groupsClaim: connection.groupsClaim,
		});
	} catch (error) {
		if (error instanceof SsoFailure) return fail(error.reason, error.explanation);
		throw error;
	}
	const shown = { subject: identity.subject, email: identity.email, name: identity.name, groups: identity.groups };
	if (!identity.email || !identity.emailVerified)
		return fail("no_verified_email", "The identity provider did not send a verified email address.", shown);
	const domain = await verifiedSsoDomain(org, emailDomainOf(identity.email));
	if (!domain)
		return fail(
			"domain_not_verified",
			`${emailDomainOf(identity.email)} is not one of this organization's verified domains.`,
			shown,
		);
	if (request.test) {
		// The test passed: its result for the page, and the connection may now be switched on.
		await commitWithAudit(
			ctx.db,
			tenant,
			ctx.actorFor(request.startedBy, "Single sign-on test"),
			{ action: "sso.test_succeeded", metadata: shown },
			{
				control: [
					saveTestResult(org, request.id, { ok: true, ...shown }),
					setConnectionFlags(org, { testedAt: ctx.nowMs }),
				],
			},
		);
		return { kind: "test", host: request.host, requestId: request.id };
	}
	if (!connection.enabled) return fail("not_enabled", "Single sign-on is not switched on for this organization.");
	return signInOrProvision(ctx, org, connection, identity as typeof identity & { email: string }, request.host, fail);
}

async function signInOrProvision(
	ctx: CallbackContext,
	org: OrgData,
	connection: SsoConnectionRow,
	identity: { email: string; name: string | null; subject: string; groups: string[] },
	host: string,
	fail: (reason: string, explanation: string, detail?: Record<string, unknown>) => Promise<CallbackResult>,
): Promise<CallbackResult> {
	const tenant = tenantData({ orgId: org.orgId, db: ctx.db });
	const existing = await findUserByEmail(ctx.db, identity.email);
	if (existing && (await findMembership(ctx.db, existing.id, org.orgId))) {
		await auditInsert(tenant, ctx.actorFor(existing.id, existing.name), {
			action: "sso.sign_in",
			target: { type: "user", id: existing.id },
			metadata: { subject: identity.subject },
		});
		return { kind: "signed-in", host, orgId: org.orgId, user: { id: existing.id, mfaEnabled: existing.mfaEnabled } };
	}
	// Just-in-time provisioning: the group-mapped role, else the default; seats decided by the write.
	const mapped = identity.groups.map((g) => connection.groupRoles[g]).find((r): r is string => Boolean(r));
	const roleId = mapped ?? connection.defaultRoleId;
	const limit = seatLimit(await findPlanLimits(ctx.db, org.orgId));
	const created = existing
		? null
		: insertUser(ctx.db, {
				email: identity.email,
				name: identity.name ?? identity.email,
				passwordHash: null,
				emailVerifiedAt: ctx.nowMs,
			});
	const userId = existing?.id ?? created?.id ?? "";
	try {
		await commitWithAudit(
			ctx.db,
			tenant,
			ctx.actorFor(userId, identity.name ?? identity.email),
			{
				action: "sso.member_provisioned",
				target: { type: "user", id: userId },
				metadata: { email: identity.email, roleId, subject: identity.subject },
			},
			{
				control: [
					requireThat(ctx.db, seatsFree(org, ctx.nowMs, limit, 1), "seats"),
					...(created ? [created.query] : []),
					insertMembership(org, userId, roleId),
				],
			},
		);
	} catch (error) {
		if (refusalOf(error) !== "precondition_failed") throw error;
		await notify(
			await ctx.notices(org.orgId),
			{ permission: "members:manage" },
			{
				category: "team",
				title: "A single sign-on was refused: no seat left",
				body: `${identity.email} signed in with your identity provider, but every seat of the plan is taken. Free a seat or upgrade, then ask them to sign in again.`,
				link: "/billing",
			},
		);
		return fail("no_seat", "Every seat of this organization's plan is taken. Your administrators have been told.", {
			email: identity.email,
		});
	}
	return { kind: "signed-in", host, orgId: org.orgId, user: { id: userId, mfaEnabled: existing?.mfaEnabled ?? false } };
}
