// Single sign-on with a real OpenID provider (oidc-provider, started by the global setup): the admin's
// setup (domain proven by DNS, connection, test sign-in, switch on), a member's and a new person's SSO
// sign-in with just-in-time provisioning, and the refusals: a replayed or unknown state, an unverified
// domain, a domain claimed by a second organization, an ID token with alg "none" or HS256, a wrong nonce.

import { eq } from "drizzle-orm";
import { SignJWT } from "jose";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { memberships, sessions, ssoDomains, users } from "../../src/db/schema.ts";
import { SsoFailure, verifyIdToken, withUserinfo } from "../../src/sso/oidc.ts";
import { mockDns as dnsFor } from "../support/dns.ts";
import { OIDC_CLIENT } from "../support/oidc-client.ts";
import {
	auditActions,
	cookiesFrom,
	createOrg,
	createUser,
	followTicket,
	lastMailTo,
	PASSWORD,
	request,
	signIn,
	type TestOrg,
	testDb,
} from "../support/worker.ts";

const realFetch = globalThis.fetch;
afterEach(() => vi.restoreAllMocks());
const issuer = inject("oidcIssuer");

/** DNS for this file's domains (…sso-test.example). */
function mockDns() {
	const dns = dnsFor((name) => name.endsWith(".sso-test.example"));
	return { set: (name: string, value: string) => dns.set("TXT", name, [value]) };
}

const unique = () => crypto.randomUUID().slice(0, 8);

async function ownerOf(org: TestOrg) {
	const user = await createUser(org, "owner");
	return { user, cookie: await signIn(org, user.email) };
}

/** An organization on a paid plan with a verified SSO domain and a tested, enabled OIDC connection. */
async function withSso(options: { enable?: boolean; issuer?: string } = {}) {
	const org = await createOrg({ planId: "pln_pro" });
	const { user, cookie } = await ownerOf(org);
	const dns = mockDns();
	const domain = `${unique()}.sso-test.example`;
	expect((await request(`${org.origin}/settings/sso/domains`, { cookie, form: { domain } })).status).toBe(303);
	const [row] = await testDb().select().from(ssoDomains).where(eq(ssoDomains.domain, domain));
	dns.set(`_portico-sso.${domain}`, `portico-sso=${row?.verificationToken}`);
	const checked = await request(`${org.origin}/settings/sso/domains/${row?.id}/check`, { cookie, form: {} });
	expect(checked.status, checked.text).toBe(303);
	const saved = await request(`${org.origin}/settings/sso/oidc`, {
		cookie,
		form: {
			issuer: options.issuer ?? issuer,
			clientId: OIDC_CLIENT.id,
			clientSecret: OIDC_CLIENT.secret,
			scopes: "openid email profile groups",
			defaultRoleId: "rol_builtin_member",
			groupsClaim: "groups",
			groupRoles: "admins = Admin",
		},
	});
	expect(saved.status, saved.text).toBe(303);
	if (options.enable !== false) {
		const test = await request(`${org.origin}/settings/sso/test`, { cookie, form: {} });
		expect(test.status, test.text).toBe(200);
		const back = await idpSignIn(providerUrl(test), `${user.email.split("@")[0]}@${domain}`);
		const tested = await request(back, {});
		expect(tested.status, tested.text).toBe(303);
		const page = await request(String(tested.headers.get("location")), { cookie });
		const status = /<div role="status">.*?<\/div>/s.exec(page.text)?.[0] ?? page.text.slice(-600);
		expect(status.replace(/<[^>]+>/g, " ")).toContain("The test sign-in worked");
		const on = await request(`${org.origin}/settings/sso/enabled`, { cookie, form: { on: "true" } });
		expect(on.status, on.text).toBe(303);
	}
	return { org, owner: user, cookie, domain, dns };
}

/** Where the hand-off page sends the browser: its Refresh header, and the same URL as its button. */
function providerUrl(res: { headers: Headers; text: string }): string {
	const url = /^0; url=(.+)$/.exec(res.headers.get("refresh") ?? "")?.[1] ?? "";
	expect(res.text).toContain(url.replaceAll("&", "&amp;"));
	return url;
}

/** Signs in at the provider as `login` and returns the URL it sends the browser back to. */
async function idpSignIn(authorizeUrl: string, login: string): Promise<string> {
	let cookies = "";
	let next = authorizeUrl;
	for (let i = 0; i < 10; i++) {
		const res = await realFetch(next, { redirect: "manual", headers: cookies ? { cookie: cookies } : {} });
		cookies = cookiesFrom(res, cookies);
		const location = res.headers.get("location");
		if (location?.startsWith("http://localhost/")) return location;
		if (location) {
			next = new URL(location, next).toString();
			continue;
		}
		const html = await res.text();
		const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
		if (!action) throw new Error(`the provider showed no form: ${res.status} ${html.slice(0, 300)}`);
		const posted = await realFetch(new URL(action, next), {
			method: "POST",
			redirect: "manual",
			headers: { cookie: cookies, "content-type": "application/x-www-form-urlencoded" },
			body: new URLSearchParams({ prompt: "login", login, password: "any" }).toString(),
		});
		cookies = cookiesFrom(posted, cookies);
		next = new URL(String(posted.headers.get("location")), next).toString();
	}
	throw new Error("the provider did not send the browser back");
}

async function ssoSignIn(org: TestOrg, email: string, login = email, provider = issuer) {
	const start = await request(`${org.origin}/sign-in/sso`, { form: { email } });
	expect(start.status, start.text).toBe(200);
	const authorize = new URL(providerUrl(start));
	expect(authorize.origin).toBe(provider);
	expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
	expect(authorize.searchParams.get("nonce")).toBeTruthy();
	const back = await idpSignIn(authorize.toString(), login);
	return { back, callback: await request(back) };
}

describe("SSO setup", () => {
	it("is an upgrade on the Free plan and refuses every change there", async () => {
		const org = await createOrg();
		const { cookie } = await ownerOf(org);
		const page = await request(`${org.origin}/settings/sso`, { cookie });
		expect(page.text).toContain("comes with the paid plans");
		const refused = await request(`${org.origin}/settings/sso/domains`, {
			cookie,
			form: { domain: "x.sso-test.example" },
		});
		expect(refused.status).toBe(402);
	});

	it("is for Owners (sso:manage): an Admin gets 403", async () => {
		const org = await createOrg({ planId: "pln_pro" });
		const admin = await createUser(org, "admin");
		const cookie = await signIn(org, admin.email);
		expect((await request(`${org.origin}/settings/sso`, { cookie })).status).toBe(403);
	});

	it("proves a domain by DNS, saves the connection with its secret sealed, tests it and switches it on", async () => {
		const { org } = await withSso();
		const actions = await auditActions(org.id);
		for (const a of [
			"sso.domain_added",
			"sso.domain_verified",
			"sso.connection_saved",
			"sso.test_succeeded",
			"sso.enabled",
		])
			expect(actions).toContain(a);
		const rows = await testDb().select().from(ssoDomains).where(eq(ssoDomains.orgId, org.id));
		expect(rows[0]?.verifiedAt).toBeTruthy();
	});

	it("lets one organization only verify a domain", async () => {
		const first = await withSso({ enable: false });
		const other = await createOrg({ planId: "pln_pro" });
		const { cookie } = await ownerOf(other);
		await request(`${other.origin}/settings/sso/domains`, { cookie, form: { domain: first.domain } });
		const [row] = await testDb().select().from(ssoDomains).where(eq(ssoDomains.orgId, other.id));
		first.dns.set(`_portico-sso.${first.domain}`, `portico-sso=${row?.verificationToken}`);
		const refused = await request(`${other.origin}/settings/sso/domains/${row?.id}/check`, { cookie, form: {} });
		expect(refused.status).toBe(422);
		expect(refused.text).toContain("Another organization has already verified this domain");
	});

	it("refuses a bad connection form with the reason next to what was sent, saving nothing", async () => {
		const org = await createOrg({ planId: "pln_pro" });
		const { cookie } = await ownerOf(org);
		const form = {
			issuer: "ftp://idp.sso-test.example",
			clientId: "client-kept",
			clientSecret: "secret-not-echoed",
			scopes: "openid email",
			defaultRoleId: "rol_builtin_member",
			groupsClaim: "groups",
			groupRoles: "admins = Admin",
		};
		const badIssuer = await request(`${org.origin}/settings/sso/oidc`, { cookie, form });
		expect(badIssuer.status).toBe(422);
		expect(badIssuer.text).toContain("Enter the issuer as an https:// URL");
		for (const kept of ['value="ftp://idp.sso-test.example"', 'value="client-kept"', "admins = Admin"])
			expect(badIssuer.text).toContain(kept);
		expect(badIssuer.text).not.toContain("secret-not-echoed");
		// A field zod refuses (no client id) re-renders the same way, not as an error page.
		const noClient = await request(`${org.origin}/settings/sso/oidc`, { cookie, form: { ...form, clientId: "" } });
		expect(noClient.status).toBe(422);
		expect(noClient.text).toContain("Enter the client ID.");
		expect(noClient.text).toContain('value="ftp://idp.sso-test.example"');
		const badMapping = await request(`${org.origin}/settings/sso/saml`, {
			cookie,
			form: {
				metadataUrl: "https://idp.sso-test.example/metadata",
				signed: "response",
				defaultRoleId: "rol_builtin_member",
				groupRoles: "admins = Nobody",
			},
		});
		expect(badMapping.status).toBe(422);
		expect(badMapping.text).toContain("is not &quot;group = role name&quot;");
		expect(badMapping.text).toContain('value="https://idp.sso-test.example/metadata"');
		expect(badMapping.text).toMatch(/value="response" checked/);
		expect(await auditActions(org.id)).not.toContain("sso.connection_saved");
	});

	it("does not switch SSO on before a test sign-in passed", async () => {
		const { org, cookie } = await withSso({ enable: false });
		const on = await request(`${org.origin}/settings/sso/enabled`, { cookie, form: { on: "true" } });
		expect(on.status).toBe(409);
	});
});

describe("SSO sign-in", () => {
	it("signs a member in through the provider, and the session says SSO", async () => {
		const { org, domain } = await withSso();
		const member = await createUser(org, "member");
		const email = `${member.email.split("@")[0]}@${domain}`;
		await testDb().update(users).set({ email }).where(eq(users.id, member.id));
		const { callback } = await ssoSignIn(org, email);
		expect(callback.status, callback.text).toBe(303);
		const done = await followTicket(callback);
		expect(done.status, done.text).toBe(303);
		const [session] = await testDb().select().from(sessions).where(eq(sessions.userId, member.id));
		expect(session?.signInMethod).toBe("sso");
		expect(await auditActions(org.id)).toContain("sso.sign_in");
	});

	it("creates a new person with the role their group maps to", async () => {
		const { org, domain } = await withSso();
		const { callback } = await ssoSignIn(org, `ana@${domain}`, `ana+admins@${domain}`);
		expect(callback.status, callback.text).toBe(303);
		const [user] = await testDb()
			.select()
			.from(users)
			.where(eq(users.email, `ana@${domain}`));
		const [membership] = await testDb()
			.select()
			.from(memberships)
			.where(eq(memberships.userId, user?.id ?? ""));
		expect(membership?.roleId).toBe("rol_builtin_admin");
		expect(await auditActions(org.id)).toContain("sso.member_provisioned");
	});

	it("asks the userinfo endpoint for the email and groups an ID token leaves out", async () => {
		const userinfoIssuer = inject("oidcUserinfoIssuer");
		const { org, domain } = await withSso({ issuer: userinfoIssuer });
		const { callback } = await ssoSignIn(org, `uma@${domain}`, `uma+admins@${domain}`, userinfoIssuer);
		expect(callback.status, callback.text).toBe(303);
		const [user] = await testDb()
			.select()
			.from(users)
			.where(eq(users.email, `uma@${domain}`));
		const [membership] = await testDb()
			.select()
			.from(memberships)
			.where(eq(memberships.userId, user?.id ?? ""));
		expect(membership?.roleId).toBe("rol_builtin_admin");
	});

	it("refuses userinfo about someone other than the ID token's subject", () => {
		const identity = {
			subject: "alice",
			email: null,
			emailVerified: false,
			name: null,
			groups: [],
			claims: { sub: "alice" },
		};
		expect(() => withUserinfo(identity, { sub: "mallory", email: "mallory@x.example" }, null)).toThrow(SsoFailure);
		expect(withUserinfo(identity, { sub: "alice", email: "Alice@X.example", groups: ["a"] }, "groups")).toMatchObject({
			email: "alice@x.example",
			groups: ["a"],
		});
	});

	it("takes each answer once: the same callback again is refused", async () => {
		const { org, domain } = await withSso();
		const { back, callback } = await ssoSignIn(org, `bo@${domain}`);
		expect(callback.status).toBe(303);
		const again = await request(back);
		expect(again.status).toBe(400);
		expect(again.text).toContain("already used or has expired");
		const unknown = await request("http://localhost/sso/oidc/callback?state=made-up&code=x");
		expect(unknown.status).toBe(400);
	});

	it("refuses an address outside the verified domains, at the start and in the answer", async () => {
		const { org, domain } = await withSso();
		const start = await request(`${org.origin}/sign-in/sso`, { form: { email: "someone@elsewhere.example" } });
		expect(start.status).toBe(404);
		const { callback } = await ssoSignIn(org, `cy@${domain}`, "cy@not-ours.example");
		// The refusal is shown on the organization's own host (its brand), with a reference.
		expect(callback.status).toBe(303);
		const failed = new URL(String(callback.headers.get("location")));
		expect(failed.origin).toBe(org.origin);
		expect(failed.searchParams.get("reason")).toBe("domain_not_verified");
		const page = await request(failed.toString());
		expect(page.status).toBe(403);
		expect(page.text).toContain("not in one of this organization");
		expect(page.text).toContain(`Reference: <code>${failed.searchParams.get("ref")}</code>`);
	});
});

describe("SSO and directory sync", () => {
	it("refuses a member the directory deprovisioned, and creates no second membership", async () => {
		const { org, domain } = await withSso();
		const email = `dee@${domain}`;
		const first = await ssoSignIn(org, email);
		expect(first.callback.status).toBe(303);
		const [user] = await testDb().select().from(users).where(eq(users.email, email));
		await testDb()
			.update(memberships)
			.set({ directoryManaged: true, deprovisionedAt: Date.now() })
			.where(eq(memberships.userId, user?.id ?? ""));
		await testDb()
			.delete(sessions)
			.where(eq(sessions.userId, user?.id ?? ""));
		const { callback } = await ssoSignIn(org, email);
		const failed = new URL(String(callback.headers.get("location")));
		expect(failed.searchParams.get("reason")).toBe("deprovisioned");
		expect((await request(failed.toString())).text).toContain("removed your access here");
		expect(
			await testDb()
				.select()
				.from(sessions)
				.where(eq(sessions.userId, user?.id ?? "")),
		).toHaveLength(0);
		expect(
			await testDb()
				.select()
				.from(memberships)
				.where(eq(memberships.userId, user?.id ?? "")),
		).toHaveLength(1);
	});
});

describe("ID token verification", () => {
	const metadata = {
		issuer: "https://idp.example",
		authorization_endpoint: "https://idp.example/a",
		token_endpoint: "https://idp.example/t",
		jwks_uri: "https://idp.example/jwks",
	};

	async function keys() {
		const pair = (await crypto.subtle.generateKey(
			{ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
			true,
			["sign", "verify"],
		)) as CryptoKeyPair;
		const jwk = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey;
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
			const url = input instanceof Request ? input.url : String(input);
			if (url === metadata.jwks_uri) return Response.json({ keys: [{ ...jwk, kid: "k1", alg: "RS256", use: "sig" }] });
			return new Response("no", { status: 404 });
		});
		return { pair, jwk };
	}

	const claims = { sub: "s1", email: "a@b.example", email_verified: true, nonce: "n1" };

	it("accepts an RS256 token for us with our nonce", async () => {
		const { pair } = await keys();
		const token = await new SignJWT(claims)
			.setProtectedHeader({ alg: "RS256", kid: "k1" })
			.setIssuer(metadata.issuer)
			.setAudience("client")
			.setIssuedAt()
			.setExpirationTime("5m")
			.sign(pair.privateKey);
		expect((await verifyIdToken(metadata, "client", token, "n1", null)).email).toBe("a@b.example");
		await expect(verifyIdToken(metadata, "client", token, "other-nonce", null)).rejects.toMatchObject({
			reason: "nonce_mismatch",
		});
		await expect(verifyIdToken(metadata, "other-client", token, "n1", null)).rejects.toMatchObject({
			reason: "id_token_claims",
		});
	});

	it("refuses alg none and an HS256 token keyed with the public key", async () => {
		const { jwk } = await keys();
		const b64 = (o: unknown) => btoa(JSON.stringify(o)).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");
		const body = {
			...claims,
			iss: metadata.issuer,
			aud: "client",
			iat: Math.floor(Date.now() / 1000),
			exp: Math.floor(Date.now() / 1000) + 300,
		};
		const none = `${b64({ alg: "none" })}.${b64(body)}.`;
		await expect(verifyIdToken(metadata, "client", none, "n1", null)).rejects.toMatchObject({
			reason: "id_token_invalid",
		});
		const hmacKey = new TextEncoder().encode(JSON.stringify(jwk));
		const hs = await new SignJWT(body).setProtectedHeader({ alg: "HS256", kid: "k1" }).sign(hmacKey);
		await expect(verifyIdToken(metadata, "client", hs, "n1", null)).rejects.toMatchObject({
			reason: "id_token_invalid",
		});
	});

	it("refuses an expired token", async () => {
		const { pair } = await keys();
		const token = await new SignJWT(claims)
			.setProtectedHeader({ alg: "RS256", kid: "k1" })
			.setIssuer(metadata.issuer)
			.setAudience("client")
			.setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
			.setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
			.sign(pair.privateKey);
		await expect(verifyIdToken(metadata, "client", token, "n1", null)).rejects.toMatchObject({
			reason: "id_token_expired",
		});
	});
});

describe("Require SSO", () => {
	it("refuses the right password and email links for members of the domain; an Owner keeps a break-glass password", async () => {
		const { org, cookie, domain, owner } = await withSso();
		const member = await createUser(org, "member");
		const memberEmail = `${member.email.split("@")[0]}@${domain}`;
		const ownerEmail = `${owner.email.split("@")[0]}@${domain}`;
		await testDb().update(users).set({ email: memberEmail }).where(eq(users.id, member.id));
		await testDb().update(users).set({ email: ownerEmail }).where(eq(users.id, owner.id));
		const required = await request(`${org.origin}/settings/sso/required`, { cookie, form: { on: "true" } });
		expect(required.status, required.text).toBe(303);
		const refused = await request(`${org.origin}/sign-in`, { form: { email: memberEmail, password: PASSWORD } });
		expect(refused.status).toBe(403);
		expect(refused.text).toContain("single sign-on");
		// A wrong password gets the usual answer: the policy shows only to someone who knows the password.
		const wrong = await request(`${org.origin}/sign-in`, { form: { email: memberEmail, password: "not it at all" } });
		expect(wrong.status).toBe(401);
		const link = await request(`${org.origin}/sign-in/link`, { form: { email: memberEmail } });
		expect(link.status).toBe(303);
		expect((await lastMailTo(memberEmail))?.subject).toContain("Signing in to");
		const breakGlass = await request(`${org.origin}/sign-in`, { form: { email: ownerEmail, password: PASSWORD } });
		expect(breakGlass.status).toBe(303);
		const actions = await auditActions(org.id);
		expect(actions).toContain("sso.required");
		expect(actions).toContain("auth.sign_in_refused_sso_required");
		expect(actions).toContain("auth.break_glass_sign_in");
		// SSO itself still works for the member.
		const { callback } = await ssoSignIn(org, memberEmail);
		expect(callback.status, callback.text).toBe(303);
	});
});
