// OAuth sign-in with Google, GitHub and Microsoft, and the generic authorization-code flow with PKCE
// that an organization's own OIDC provider uses (src/sso/oidc.ts verifies its ID tokens with jose). The
// only file that imports arctic (3.7.0, its last release). Provider responses are validated with zod; ID tokens come straight from the provider's
// token endpoint over TLS in the code exchange, which is why their claims are read without a JWKS check.
import {
	CodeChallengeMethod,
	decodeIdToken,
	GitHub,
	Google,
	generateCodeVerifier,
	generateState,
	MicrosoftEntraId,
	OAuth2Client,
} from "arctic";
import * as z from "zod";
import type { Bindings } from "../env.ts";

export const PROVIDERS = {
	google: { label: "Google" },
	github: { label: "GitHub" },
	microsoft: { label: "Microsoft" },
} as const;

export type Provider = keyof typeof PROVIDERS;

export interface OAuthProfile {
	subject: string;
	email: string | null;
	emailVerified: boolean;
	name: string | null;
}

function client(bindings: Bindings, provider: Provider, redirectUri: string) {
	if (provider === "google" && bindings.GOOGLE_CLIENT_ID && bindings.GOOGLE_CLIENT_SECRET) {
		return {
			kind: "google" as const,
			api: new Google(bindings.GOOGLE_CLIENT_ID, bindings.GOOGLE_CLIENT_SECRET, redirectUri),
		};
	}
	if (provider === "github" && bindings.GITHUB_CLIENT_ID && bindings.GITHUB_CLIENT_SECRET) {
		return {
			kind: "github" as const,
			api: new GitHub(bindings.GITHUB_CLIENT_ID, bindings.GITHUB_CLIENT_SECRET, redirectUri),
		};
	}
	if (provider === "microsoft" && bindings.MICROSOFT_CLIENT_ID && bindings.MICROSOFT_CLIENT_SECRET) {
		const api = new MicrosoftEntraId(
			bindings.MICROSOFT_TENANT ?? "common",
			bindings.MICROSOFT_CLIENT_ID,
			bindings.MICROSOFT_CLIENT_SECRET,
			redirectUri,
		);
		return { kind: "microsoft" as const, api };
	}
	return null;
}

export function configuredProviders(bindings: Bindings): Provider[] {
	return (Object.keys(PROVIDERS) as Provider[]).filter((p) => client(bindings, p, "http://localhost/") !== null);
}

/** The provider's authorization URL plus the state and PKCE verifier to keep in a short-lived cookie. */
export function startAuthorization(bindings: Bindings, provider: Provider, redirectUri: string) {
	const c = client(bindings, provider, redirectUri);
	if (!c) return null;
	const state = generateState();
	const codeVerifier = generateCodeVerifier();
	let url: URL;
	if (c.kind === "github") url = c.api.createAuthorizationURL(state, ["read:user", "user:email"]);
	else url = c.api.createAuthorizationURL(state, codeVerifier, ["openid", "profile", "email"]);
	return { url, state, codeVerifier };
}

const googleClaims = z.object({
	sub: z.string().min(1),
	email: z.email().optional(),
	email_verified: z.boolean().optional(),
	name: z.string().optional(),
});
const microsoftClaims = z.object({
	sub: z.string().min(1),
	oid: z.string().optional(),
	email: z.email().optional(),
	preferred_username: z.string().optional(),
	name: z.string().optional(),
	/** Set when the email's domain is verified by its tenant; otherwise the email claim proves nothing. */
	xms_edov: z.union([z.boolean(), z.string()]).optional(),
});
const githubUser = z.object({ id: z.number(), login: z.string(), name: z.string().nullable().optional() });
const githubEmails = z.array(z.object({ email: z.email(), primary: z.boolean(), verified: z.boolean() }));

async function githubJson(url: string, accessToken: string): Promise<unknown> {
	const response = await fetch(url, {
		headers: { authorization: `Bearer ${accessToken}`, accept: "application/vnd.github+json", "user-agent": "Portico" },
	});
	if (!response.ok) throw new Error(`GitHub answered ${response.status}`);
	return response.json();
}

/** Exchanges the code (single use at the provider) and reads who signed in. Throws on any failure. */
export async function finishAuthorization(
	bindings: Bindings,
	provider: Provider,
	redirectUri: string,
	code: string,
	codeVerifier: string,
): Promise<OAuthProfile> {
	const c = client(bindings, provider, redirectUri);
	if (!c) throw new Error(`OAuth provider ${provider} is not configured`);
	if (c.kind === "github") {
		const tokens = await c.api.validateAuthorizationCode(code);
		const user = githubUser.parse(await githubJson("https://api.github.com/user", tokens.accessToken()));
		const emails = githubEmails.parse(await githubJson("https://api.github.com/user/emails", tokens.accessToken()));
		const primary = emails.find((e) => e.primary) ?? null;
		return {
			subject: String(user.id),
			email: primary?.email.toLowerCase() ?? null,
			emailVerified: primary?.verified ?? false,
			name: user.name ?? user.login,
		};
	}
	const tokens = await c.api.validateAuthorizationCode(code, codeVerifier);
	const raw = decodeIdToken(tokens.idToken());
	if (c.kind === "google") {
		const claims = googleClaims.parse(raw);
		return {
			subject: claims.sub,
			email: claims.email?.toLowerCase() ?? null,
			emailVerified: claims.email_verified === true,
			name: claims.name ?? null,
		};
	}
	const claims = microsoftClaims.parse(raw);
	return {
		subject: claims.oid ?? claims.sub,
		email: claims.email?.toLowerCase() ?? null,
		emailVerified: claims.xms_edov === true || claims.xms_edov === "1" || claims.xms_edov === "true",
		name: claims.name ?? null,
	};
}

/** An authorization-code + PKCE (S256) request to any OAuth 2.0 / OIDC provider's endpoints. */
export function codeFlowStart(
	client: { clientId: string; clientSecret: string; redirectUri: string },
	authorizationEndpoint: string,
	scopes: string[],
	extra: Record<string, string>,
) {
	const state = generateState();
	const codeVerifier = generateCodeVerifier();
	const api = new OAuth2Client(client.clientId, client.clientSecret, client.redirectUri);
	const url = api.createAuthorizationURLWithPKCE(
		authorizationEndpoint,
		state,
		CodeChallengeMethod.S256,
		codeVerifier,
		scopes,
	);
	for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, value);
	return { url, state, codeVerifier };
}

/** Exchanges the code (client_secret_basic): the raw ID token, unverified, and the access token. */
export async function codeFlowFinish(
	client: { clientId: string; clientSecret: string; redirectUri: string },
	tokenEndpoint: string,
	code: string,
	codeVerifier: string,
): Promise<{ idToken: string; accessToken: string }> {
	const api = new OAuth2Client(client.clientId, client.clientSecret, client.redirectUri);
	const tokens = await api.validateAuthorizationCode(tokenEndpoint, code, codeVerifier);
	return { idToken: tokens.idToken(), accessToken: tokens.accessToken() };
}
