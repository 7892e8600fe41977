// Single sign-on, the sign-in itself. A person whose address is in a verified domain is sent to the
// organization's provider — OIDC (code + PKCE, state and nonce) or SAML (an AuthnRequest by
// HTTP-Redirect) — and the answer, on the apex, is verified (oidc.ts, saml.ts), the request it answers
// taken once, a SAML assertion accepted once, and the person found or created with the default or
// group-mapped role within the seat limit, then handed to the tenant host with a login ticket that
// marks the session as SSO. A test from the setup page runs the same way and signs nobody in.

import { type AuditActor, auditInsert, commitWithAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { findMembershipOf } from "../db/directory.ts";
import { type OrgData, orgData } from "../db/org-data.ts";
import { findPlanLimits } from "../db/organizations.ts";
import { isUniqueViolation, refusalOf, requireThat } from "../db/preconditions.ts";
import {
	consumeSsoRequest,
	findConnection,
	insertSsoRequest,
	rememberAssertion,
	type SsoConnectionRow,
	type SsoRequestRow,
	saveTestResult,
	setConnectionFlags,
	verifiedSsoDomain,
} from "../db/sso.ts";
import { insertMembership, seatsFree } from "../db/team.ts";
import { tenantData } from "../db/tenant-data.ts";
import { findMembership, findUserByEmail, insertUser } from "../db/users.ts";
import type { Bindings } from "../env.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import { newId } from "../lib/ids.ts";
import { open } from "../lib/secret-box.ts";
import { type NotifyContext, notify } from "../notifications/notify.ts";
import { seatLimit } from "../team/rules.ts";
import { discover, finishOidc, type OidcClient, SsoFailure, startOidc } from "./oidc.ts";
import { authnRequestUrl, checkSamlResponse, claimedInResponseTo, samlSpUrls } from "./saml.ts";
import { emailDomainOf, oidcRedirectUri, SECRET_PURPOSE } from "./setup.ts";

const REQUEST_MS = 10 * 60_000;

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
	if (connection.protocol === "saml") {
		if (!connection.samlSsoUrl)
			throw new SsoFailure("not_configured", "Single sign-on is not set up for this organization.");
		// The AuthnRequest's ID is what the Response's InResponseTo must name: it is the request's key.
		const id = `_${randomToken(20)}`;
		await insertSsoRequest(org, {
			stateHash: await sha256Hex(id),
			host: input.host,
			nonce: "",
			codeVerifier: "",
			test: input.test,
			startedBy: input.startedBy,
			expiresAt: input.nowMs + REQUEST_MS,
		}).query;
		const urls = samlSpUrls(input.apexOrigin, org.orgId);
		return (await authnRequestUrl(connection.samlSsoUrl, urls, { id, nowMs: input.nowMs, relayState: "" })).toString();
	}
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
type Fail = (reason: string, explanation: string, detail?: Record<string, unknown>) => Promise<CallbackResult>;

/** Records a failure (the test's result, the audit event with its reason) and says where to show it. */
function failureFor(ctx: CallbackContext, org: OrgData, request: SsoRequestRow | null, host: string): Fail {
	const tenant = tenantData({ orgId: org.orgId, db: ctx.db });
	return async (reason, explanation, detail = {}) => {
		if (request?.test) await saveTestResult(org, request.id, { ok: false, reason, explanation });
		await auditInsert(tenant, ctx.actorFor(null, "Single sign-on"), {
			action: request?.test ? "sso.test_failed" : "sso.sign_in_failed",
			metadata: { reason, ...detail },
		});
		return request?.test
			? ({ kind: "test", host, requestId: request.id } as const)
			: ({ kind: "failed", host, orgId: org.orgId, reason, explanation } as const);
	};
}

const UNKNOWN_REQUEST = {
	kind: "failed",
	host: null,
	orgId: null,
	reason: "unknown_state",
	explanation: "This sign-in link was already used or has expired. Start again from the sign-in page.",
} as const;

/**
 * The OIDC provider's answer on the apex. The request is taken once by its state; everything after is
 * checked, and every outcome audited in the organization's log with its reason.
 */
export async function finishSso(
	ctx: CallbackContext,
	input: { state: string; code: string | null; error: string | null },
): Promise<CallbackResult> {
	const request = await consumeSsoRequest(ctx.db, await sha256Hex(input.state), ctx.nowMs);
	if (!request) return UNKNOWN_REQUEST;
	const org = orgData({ orgId: request.orgId, db: ctx.db });
	const fail = failureFor(ctx, org, request, request.host);
	if (input.error || !input.code)
		return fail("provider_refused", "The identity provider did not sign you in.", {
			error: input.error?.slice(0, 100) ?? null,
		});
	const connection = await findConnection(org);
	if (connection?.protocol !== "oidc")
		return fail("not_configured", "Single sign-on is not set up for this organization.");
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
	return conclude(ctx, org, connection, request, request.host, identity, fail);
}

/**
 * A SAML Response posted to the organization's ACS. The request it claims to answer is taken once
 * (and must be this organization's); without one it is IdP-initiated, refused unless allowed. The
 * assertion's ID is remembered until it expires, so the same assertion never signs in twice.
 */
export async function finishSaml(
	ctx: CallbackContext & { defaultHost(orgId: string): Promise<string | null> },
	input: { orgId: string; samlResponse: string },
): Promise<CallbackResult> {
	const org = orgData({ orgId: input.orgId, db: ctx.db });
	const claimed = claimedInResponseTo(input.samlResponse);
	const request = claimed ? await consumeSsoRequest(ctx.db, await sha256Hex(claimed), ctx.nowMs) : null;
	if (claimed && request?.orgId !== input.orgId) return UNKNOWN_REQUEST;
	const connection = await findConnection(org);
	const host = request?.host ?? (connection ? await ctx.defaultHost(input.orgId) : null);
	if (!host || connection?.protocol !== "saml" || !connection.samlIdpEntityId) return UNKNOWN_REQUEST;
	const fail = failureFor(ctx, org, request, host);
	let checked: Awaited<ReturnType<typeof checkSamlResponse>>;
	try {
		checked = await checkSamlResponse(
			input.samlResponse,
			{
				idpEntityId: connection.samlIdpEntityId,
				certificates: connection.samlCertificates,
				signed: connection.samlSigned,
				allowIdpInitiated: connection.samlIdpInitiated,
				groupsAttribute: connection.groupsClaim,
			},
			samlSpUrls(ctx.apexOrigin, input.orgId),
			request ? claimed : null,
			ctx.nowMs,
		);
	} catch (error) {
		if (error instanceof SsoFailure) return fail(error.reason, error.explanation);
		throw error;
	}
	try {
		await rememberAssertion(
			org,
			await sha256Hex(`${connection.samlIdpEntityId}\n${checked.assertionId}`),
			checked.validUntil,
		);
	} catch (error) {
		if (!isUniqueViolation(error)) throw error;
		return fail("assertion_replayed", "This sign-in answer was already used. Start again from the sign-in page.");
	}
	return conclude(ctx, org, connection, request, host, checked.identity, fail);
}

/** What both protocols do with a verified identity: a test's result, or the person's sign-in. */
async function conclude(
	ctx: CallbackContext,
	org: OrgData,
	connection: SsoConnectionRow,
	request: SsoRequestRow | null,
	host: string,
	identity: { subject: string; email: string | null; emailVerified: boolean; name: string | null; groups: string[] },
	fail: Fail,
): Promise<CallbackResult> {
	const tenant = tenantData({ orgId: org.orgId, db: ctx.db });
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
	if (request?.test) {
		// The test passed: its result for the page, and the connection may now be switched on.
		await commitWithAudit(
			ctx.db,
			tenant,
			ctx.actorFor(request.startedBy, "Single sign-on test"),
			{ action: "sso.test_succeeded", metadata: { protocol: connection.protocol, ...shown } },
			{
				control: [
					saveTestResult(org, request.id, { ok: true, ...shown }),
					setConnectionFlags(org, { testedAt: ctx.nowMs }),
				],
			},
		);
		return { kind: "test", host, requestId: request.id };
	}
	if (!connection.enabled) return fail("not_enabled", "Single sign-on is not switched on for this organization.");
	return signInOrProvision(ctx, org, connection, { ...identity, email: identity.email }, host, fail);
}

async function signInOrProvision(
	ctx: CallbackContext,
	org: OrgData,
	connection: SsoConnectionRow,
	identity: { email: string; name: string | null; subject: string; groups: string[] },
	host: string,
	fail: Fail,
): Promise<CallbackResult> {
	const tenant = tenantData({ orgId: org.orgId, db: ctx.db });
	const existing = await findUserByEmail(ctx.db, identity.email);
	if (existing && (await findMembership(ctx.db, existing.id, org.orgId))) {
		await auditInsert(tenant, ctx.actorFor(existing.id, existing.name), {
			action: "sso.sign_in",
			target: { type: "user", id: existing.id },
			metadata: { protocol: connection.protocol, subject: identity.subject },
		});
		return { kind: "signed-in", host, orgId: org.orgId, user: { id: existing.id, mfaEnabled: existing.mfaEnabled } };
	}
	// Deprovisioned by the directory: no way back in but the directory's reactivation.
	if (existing && (await findMembershipOf(org, existing.id)))
		return fail(
			"deprovisioned",
			"Your organization's directory has removed your access here. Ask your administrator.",
			{ email: identity.email },
		);
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
	const membershipId = newId("mem");
	try {
		await commitWithAudit(
			ctx.db,
			tenant,
			ctx.actorFor(userId, identity.name ?? identity.email),
			{
				action: "sso.member_provisioned",
				target: { type: "user", id: userId },
				metadata: { email: identity.email, roleId, subject: identity.subject },
				webhook: { type: "member.added", data: { id: membershipId, email: identity.email, roleId, via: "sso" } },
			},
			{
				control: [
					requireThat(ctx.db, seatsFree(org, ctx.nowMs, limit, 1), "seats"),
					...(created ? [created.query] : []),
					insertMembership(org, userId, roleId, { id: membershipId }),
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
