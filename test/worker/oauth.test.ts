// OAuth with the providers mocked at the fetch boundary (their endpoints are fixed inside arctic).

import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { users } from "../../src/db/schema.ts";
import {
	addVerifiedDomain,
	auditActions,
	cookieFrom,
	createOrg,
	createUser,
	followTicket,
	request,
	testDb,
} from "../support/worker.ts";

const realFetch = globalThis.fetch;

function unsignedJwt(claims: Record<string, unknown>): string {
	const part = (o: unknown) => btoa(JSON.stringify(o)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
	return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.sig`;
}

/** Answers Google's token endpoint; each code works once, like the real one. */
function mockGoogle(claims: Record<string, unknown>) {
	const used = new Set<string>();
	return vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
		const url = input instanceof Request ? input.url : String(input);
		if (url === "https://oauth2.googleapis.com/token") {
			const req = new Request(input as RequestInfo, init);
			const code = new URLSearchParams(await req.text()).get("code") ?? "";
			if (used.has(code)) return Response.json({ error: "invalid_grant" }, { status: 400 });
			used.add(code);
			return Response.json({
				access_token: "at",
				token_type: "Bearer",
				expires_in: 3600,
				id_token: unsignedJwt(claims),
			});
		}
		return realFetch(input as RequestInfo, init);
	});
}

afterEach(() => vi.restoreAllMocks());

async function startOAuth(orgOrigin: string) {
	const toApex = await request(`${orgOrigin}/sign-in/oauth/google`);
	expect(toApex.status).toBe(303);
	const start = await request(String(toApex.headers.get("location")));
	expect(start.status, start.text).toBe(302);
	const authorize = new URL(String(start.headers.get("location")));
	expect(authorize.origin).toBe("https://accounts.google.com");
	expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
	expect(authorize.searchParams.get("redirect_uri")).toBe("http://localhost/oauth/google/callback");
	return { state: String(authorize.searchParams.get("state")), cookie: String(cookieFrom(start)) };
}

describe("OAuth sign-in through the apex", () => {
	it("links a verified Google email to the verified account, hands back a ticket and signs in on the tenant host", async () => {
		const org = await createOrg();
		const user = await createUser(org, "member");
		mockGoogle({ sub: "google-123", email: user.email, email_verified: true, name: "G User" });
		const { state, cookie } = await startOAuth(org.origin);
		const callback = await request(`http://localhost/oauth/google/callback?code=c1&state=${state}`, { cookie });
		expect(callback.status, callback.text).toBe(303);
		const ticketUrl = String(callback.headers.get("location"));
		expect(ticketUrl).toMatch(new RegExp(`^${org.origin}/sign-in/ticket\\?token=`));
		const signedIn = await followTicket(callback, cookie);
		expect(signedIn.status).toBe(303);
		const home = await request(`${org.origin}/`, { cookie: cookieFrom(signedIn) });
		expect(home.text).toContain(`Welcome, ${user.name}`);
		expect(await auditActions(org.id)).toEqual(["auth.oauth_linked", "auth.sign_in"]);
		// The ticket was used once.
		expect((await followTicket(callback, cookie)).status).toBe(400);
	});

	it("hands a person who started on a verified custom domain back to that domain", async () => {
		const org = await createOrg();
		const user = await createUser(org, "member");
		const hostname = `portal-${org.slug}.customer.example`;
		await addVerifiedDomain({ ...org }, hostname);
		mockGoogle({ sub: `google-${org.slug}`, email: user.email, email_verified: true });
		const { state, cookie } = await startOAuth(`http://${hostname}`);
		const callback = await request(`http://localhost/oauth/google/callback?code=c-${org.slug}&state=${state}`, {
			cookie,
		});
		const ticketUrl = String(callback.headers.get("location"));
		expect(ticketUrl).toMatch(new RegExp(`^http://${hostname}/sign-in/ticket\\?token=`));
		const signedIn = await followTicket(callback, cookie);
		const home = await request(`http://${hostname}/`, { cookie: cookieFrom(signedIn) });
		expect(home.text).toContain(`Welcome, ${user.name}`);
		// An unverified domain is not a host Portico serves: OAuth does not start for it.
		await addVerifiedDomain(org, `pending-${org.slug}.customer.example`, false);
		const refused = await request(`http://localhost/oauth/google/start?host=pending-${org.slug}.customer.example`);
		expect(refused.status).toBe(400);
	});

	it("refuses a callback whose state does not match the cookie", async () => {
		const org = await createOrg();
		await createUser(org);
		mockGoogle({ sub: "x", email: "x@example.test", email_verified: true });
		const { cookie } = await startOAuth(org.origin);
		const res = await request("http://localhost/oauth/google/callback?code=c1&state=forged", { cookie });
		expect(res.status).toBe(400);
		expect(res.text).toContain("did not start in this browser");
		const noCookie = await request("http://localhost/oauth/google/callback?code=c1&state=whatever");
		expect(noCookie.status).toBe(400);
	});

	it("refuses a reused authorization code", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		mockGoogle({ sub: "google-reuse", email: user.email, email_verified: true });
		const first = await startOAuth(org.origin);
		expect(
			(await request(`http://localhost/oauth/google/callback?code=same&state=${first.state}`, { cookie: first.cookie }))
				.status,
		).toBe(303);
		const second = await startOAuth(org.origin);
		const replay = await request(`http://localhost/oauth/google/callback?code=same&state=${second.state}`, {
			cookie: second.cookie,
		});
		expect(replay.status).toBe(400);
		expect(replay.text).toContain("did not confirm the sign-in");
	});

	it("does not link by email when the account's own email is unverified", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		await testDb().update(users).set({ emailVerifiedAt: null }).where(eq(users.id, user.id));
		mockGoogle({ sub: "google-unverified", email: user.email, email_verified: true });
		const { state, cookie } = await startOAuth(org.origin);
		const res = await request(`http://localhost/oauth/google/callback?code=c&state=${state}`, { cookie });
		expect(res.status).toBe(403);
		expect(res.text).toContain("has no access");
	});

	it("refuses to start for a host Portico does not serve", async () => {
		const res = await request("http://localhost/oauth/google/start?host=evil.example.com");
		expect(res.status).toBe(400);
		expect(res.headers.get("location")).toBeNull();
	});
});

describe("GitHub sign-in", () => {
	it("reads the verified primary email from the API and signs in a member (no PKCE at GitHub)", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
			const url = input instanceof Request ? input.url : String(input);
			if (url === "https://github.com/login/oauth/access_token")
				return Response.json({ access_token: "gh", token_type: "bearer", scope: "read:user" });
			if (url === "https://api.github.com/user") return Response.json({ id: 4242, login: "octo", name: "Octo Cat" });
			if (url === "https://api.github.com/user/emails")
				return Response.json([{ email: user.email, primary: true, verified: true }]);
			return realFetch(input as RequestInfo, init);
		});
		const toApex = await request(`${org.origin}/sign-in/oauth/github`);
		const start = await request(String(toApex.headers.get("location")));
		const authorize = new URL(String(start.headers.get("location")));
		expect(authorize.origin).toBe("https://github.com");
		expect(authorize.searchParams.has("code_challenge")).toBe(false);
		const callback = await request(
			`http://localhost/oauth/github/callback?code=g1&state=${authorize.searchParams.get("state")}`,
			{ cookie: cookieFrom(start) },
		);
		expect(callback.status, callback.text).toBe(303);
		const landed = await followTicket(callback, cookieFrom(start));
		expect((await request(`${org.origin}/`, { cookie: cookieFrom(landed) })).text).toContain(`Welcome, ${user.name}`);
	});
});
