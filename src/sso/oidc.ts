// OIDC single sign-on against an organization's own identity provider: discovery, the authorization
// request (code + PKCE S256, state and nonce), and the ID token verified against the issuer's JWKS
// with jose — `iss`, `aud`, `exp` (60 s of clock skew) and our `nonce`, with asymmetric algorithms only,
// so `alg: none` and an HS256 token keyed with the public key are refused. A provider that keeps the
// email or the groups out of the ID token (as OpenID Connect's default does) is asked at its userinfo
// endpoint, whose `sub` must be the token's (Core §5.3.2). Every failure is a reason
// in our words (`SsoFailure`); the provider's own error text is logged, never shown.
import { createRemoteJWKSet, jwtVerify } from "jose";
import * as z from "zod";
import { codeFlowFinish, codeFlowStart } from "../auth/oauth.ts";

export const ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];

export class SsoFailure extends Error {
	constructor(
		/** A short, stable reason for the audit log ("nonce_mismatch", "discovery_failed", …). */
		readonly reason: string,
		/** What the person or admin is told. */
		readonly explanation: string,
	) {
		super(reason);
	}
}

const discoverySchema = z.object({
	issuer: z.string(),
	authorization_endpoint: z.url(),
	token_endpoint: z.url(),
	jwks_uri: z.url(),
	userinfo_endpoint: z.url().optional(),
});

export type OidcMetadata = z.infer<typeof discoverySchema>;

/** The issuer URL the admin entered: https (http only outside production), no credentials or fragment. */
export function checkIssuerUrl(input: string, production: boolean): string | null {
	let url: URL;
	try {
		url = new URL(input.trim());
	} catch {
		return null;
	}
	if (url.username || url.password || url.hash || url.search) return null;
	if (url.protocol !== "https:" && !(url.protocol === "http:" && !production)) return null;
	return url.href.replace(/\/$/, "");
}

/** The provider's metadata; its `issuer` must be exactly the one configured (OpenID Connect Discovery §4.3). */
export async function discover(issuer: string, fetcher: typeof fetch = fetch): Promise<OidcMetadata> {
	let body: unknown;
	try {
		const response = await fetcher(`${issuer}/.well-known/openid-configuration`, {
			headers: { accept: "application/json" },
			// A redirect is not followed (workerd has no "error" mode): it is not the configuration.
			redirect: "manual",
		});
		if (!response.ok) throw new Error(`status ${response.status}`);
		body = await response.json();
	} catch {
		throw new SsoFailure(
			"discovery_failed",
			`The identity provider's configuration could not be read from ${issuer}/.well-known/openid-configuration. Check the issuer URL.`,
		);
	}
	const parsed = discoverySchema.safeParse(body);
	if (!parsed.success)
		throw new SsoFailure("discovery_invalid", "The identity provider's configuration is missing endpoints.");
	if (parsed.data.issuer.replace(/\/$/, "") !== issuer)
		throw new SsoFailure(
			"issuer_mismatch",
			`The provider says its issuer is ${parsed.data.issuer}, not ${issuer}. Use the issuer URL it names.`,
		);
	return parsed.data;
}

export interface OidcClient {
	clientId: string;
	clientSecret: string;
	redirectUri: string;
	scopes: string[];
}

export function startOidc(metadata: OidcMetadata, client: OidcClient, nonce: string) {
	return codeFlowStart(client, metadata.authorization_endpoint, client.scopes, { nonce });
}

export interface OidcIdentity {
	subject: string;
	email: string | null;
	emailVerified: boolean;
	name: string | null;
	groups: string[];
	claims: Record<string, unknown>;
}

export async function finishOidc(
	metadata: OidcMetadata,
	client: OidcClient,
	input: { code: string; codeVerifier: string; nonce: string; groupsClaim: string | null },
	fetcher: typeof fetch = fetch,
): Promise<OidcIdentity> {
	let tokens: { idToken: string; accessToken: string };
	try {
		tokens = await codeFlowFinish(client, metadata.token_endpoint, input.code, input.codeVerifier);
	} catch {
		throw new SsoFailure("code_exchange_failed", "The identity provider did not accept the sign-in code.");
	}
	const identity = await verifyIdToken(metadata, client.clientId, tokens.idToken, input.nonce, input.groupsClaim);
	// The email (who this is) or the groups (their role) missing: ask userinfo. A missing name is not worth it.
	const missing = !identity.email || (input.groupsClaim && !(input.groupsClaim in identity.claims));
	if (!missing || !metadata.userinfo_endpoint) return identity;
	return withUserinfo(
		identity,
		await userinfo(metadata.userinfo_endpoint, tokens.accessToken, fetcher),
		input.groupsClaim,
	);
}

async function userinfo(
	endpoint: string,
	accessToken: string,
	fetcher: typeof fetch,
): Promise<Record<string, unknown>> {
	try {
		const response = await fetcher(endpoint, {
			headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
			redirect: "manual",
		});
		if (!response.ok) throw new Error(`status ${response.status}`);
		const body: unknown = await response.json();
		if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("not an object");
		return body as Record<string, unknown>;
	} catch {
		throw new SsoFailure("userinfo_failed", "The identity provider did not say who signed in (its userinfo answer).");
	}
}

/** The ID token's identity with what it lacked taken from userinfo, which must be about the same subject. */
export function withUserinfo(
	identity: OidcIdentity,
	info: Record<string, unknown>,
	groupsClaim: string | null,
): OidcIdentity {
	if (info.sub !== identity.subject)
		throw new SsoFailure("userinfo_subject_mismatch", "The identity provider's answers were about different people.");
	const fromInfo = identityFrom({ ...info, ...identity.claims }, groupsClaim);
	return { ...fromInfo, claims: { ...info, ...identity.claims } };
}

export async function verifyIdToken(
	metadata: OidcMetadata,
	clientId: string,
	idToken: string,
	nonce: string,
	groupsClaim: string | null,
): Promise<OidcIdentity> {
	let payload: Record<string, unknown>;
	try {
		const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));
		const verified = await jwtVerify(idToken, jwks, {
			issuer: metadata.issuer,
			audience: clientId,
			algorithms: ID_TOKEN_ALGORITHMS,
			clockTolerance: 60,
			requiredClaims: ["sub", "exp", "iat"],
		});
		payload = verified.payload as Record<string, unknown>;
	} catch (error) {
		const code = (error as { code?: string }).code ?? "";
		throw new SsoFailure(
			code === "ERR_JWT_EXPIRED"
				? "id_token_expired"
				: code === "ERR_JWT_CLAIM_VALIDATION_FAILED"
					? "id_token_claims"
					: "id_token_invalid",
			"The identity provider's answer could not be verified.",
		);
	}
	if (payload.nonce !== nonce) throw new SsoFailure("nonce_mismatch", "The sign-in answer was not for this request.");
	return identityFrom(payload, groupsClaim);
}

function identityFrom(payload: Record<string, unknown>, groupsClaim: string | null): OidcIdentity {
	const claim = groupsClaim ? payload[groupsClaim] : undefined;
	const groups = Array.isArray(claim)
		? claim.filter((g): g is string => typeof g === "string")
		: typeof claim === "string"
			? [claim]
			: [];
	return {
		subject: String(payload.sub),
		email: typeof payload.email === "string" ? payload.email.toLowerCase() : null,
		emailVerified: payload.email_verified === true || payload.email_verified === "true",
		name: typeof payload.name === "string" ? payload.name : null,
		groups,
		claims: payload,
	};
}
