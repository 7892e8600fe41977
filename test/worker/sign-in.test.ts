import { describe, expect, it } from "vitest";
import {
	auditActions,
	createOrg,
	createUser,
	lastMailTo,
	PASSWORD,
	request,
	sessionCount,
	signIn,
} from "../support/worker.ts";

describe("password sign-in on the tenant host", () => {
	it("signs a member in with a host-only session cookie, a stored session and an audit event", async () => {
		const org = await createOrg();
		const user = await createUser(org, "admin");
		const res = await request(`${org.origin}/sign-in`, {
			form: { email: user.email.toUpperCase(), password: PASSWORD },
		});
		expect(res.status, res.text).toBe(303);
		expect(res.headers.get("location")).toBe("/");
		const cookie = res.headers.get("set-cookie") ?? "";
		expect(cookie).toMatch(/^portico_session=[A-Za-z0-9_-]{43};/);
		expect(cookie).toContain("HttpOnly");
		expect(cookie).toContain("SameSite=Lax");
		expect(cookie).not.toMatch(/Domain=/i);
		expect(await sessionCount(user.id)).toBe(1);
		expect(await auditActions(org.id)).toEqual(["auth.sign_in"]);

		const home = await request(`${org.origin}/`, { cookie: cookie.split(";")[0] });
		expect(home.status, home.text).toBe(200);
		expect(home.text).toContain(`Welcome, ${user.name}`);
		expect(home.text).toContain("Admin");
	});

	it("answers htmx with HX-Redirect instead of a redirect to follow", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const res = await request(`${org.origin}/sign-in`, {
			form: { email: user.email, password: PASSWORD },
			headers: { "hx-request": "true" },
		});
		expect(res.status).toBe(204);
		expect(res.headers.get("hx-redirect")).toBe("/");
	});

	it("refuses a wrong password with one message, writes no session and audits the failure", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const res = await request(`${org.origin}/sign-in`, { form: { email: user.email, password: "not it" } });
		expect(res.status).toBe(401);
		expect(res.text).toContain("That email and password do not match");
		expect(res.headers.get("set-cookie")).toBeNull();
		expect(await sessionCount(user.id)).toBe(0);
		expect(await auditActions(org.id)).toEqual(["auth.sign_in_failed"]);
		const unknown = await request(`${org.origin}/sign-in`, { form: { email: "nobody@example.test", password: "x" } });
		expect(unknown.status).toBe(401);
		expect(unknown.text).toContain("That email and password do not match");
	});

	it("refuses a person who is a member of another organization only", async () => {
		const mine = await createOrg();
		const theirs = await createOrg();
		const outsider = await createUser(theirs, "owner");
		const res = await request(`${mine.origin}/sign-in`, { form: { email: outsider.email, password: PASSWORD } });
		// Answered as a wrong password (no account-and-password oracle); the person learns why by email.
		expect(res.status).toBe(401);
		expect(res.text).toContain("That email and password do not match");
		expect(res.text).not.toContain("not a member");
		expect(await sessionCount(outsider.id)).toBe(0);
		const mail = await lastMailTo(outsider.email);
		expect(mail?.subject).toBe(`Signing in to ${mine.name}`);
		// A wrong password for the same person mails nothing.
		const before = mail?.id;
		await request(`${mine.origin}/sign-in`, { form: { email: outsider.email, password: "wrong password here" } });
		expect((await lastMailTo(outsider.email))?.id).toBe(before);
	});

	it("re-renders a malformed form with 422 and messages beside the fields, writing nothing", async () => {
		const org = await createOrg();
		const res = await request(`${org.origin}/sign-in`, { form: { email: "not-an-email" } });
		expect(res.status, res.text).toBe(422);
		expect(res.text).toContain("Enter a valid email address");
		expect(res.text).toContain('aria-invalid="true"');
		expect(res.text).toContain('value="not-an-email"');
		expect(await auditActions(org.id)).toEqual([]);
	});

	it("rejects a cross-site form post (CSRF) before doing anything", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const res = await request(`${org.origin}/sign-in`, {
			form: { email: user.email, password: PASSWORD },
			headers: { origin: "http://evil.example.com" },
			sameOrigin: false,
		});
		expect(res.status).toBe(403);
		expect(await sessionCount(user.id)).toBe(0);
	});

	it("keeps a session to its own host: another tenant's host does not accept the cookie", async () => {
		const a = await createOrg();
		const b = await createOrg();
		const user = await createUser(a, "owner");
		const cookie = await signIn(a, user.email);
		const onB = await request(`${b.origin}/`, { cookie });
		expect(onB.status).toBe(200);
		expect(onB.text).toContain(`Sign in to ${b.name}`);
		expect(onB.text).not.toContain(user.name);
	});

	it("signs out: the session row is deleted, the cookie cleared and the event audited", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const cookie = await signIn(org, user.email);
		const res = await request(`${org.origin}/sign-out`, { method: "POST", cookie });
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/sign-in?notice=signed-out");
		expect(res.headers.get("set-cookie")).toMatch(/portico_session=;.*Max-Age=0/);
		expect(await sessionCount(user.id)).toBe(0);
		expect(await auditActions(org.id)).toEqual(["auth.sign_in", "auth.sign_out"]);
		const after = await request(`${org.origin}/`, { cookie });
		expect(after.text).toContain("Sign in to");
	});
});

describe("the lockout under concurrency and on every password form", () => {
	it("refuses the right password at the end of a burst of 30 sign-ins sent at once", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const attempts = [
			...Array.from({ length: 29 }, (_, i) => ({ email: user.email, password: `wrong guess ${i}` })),
			{ email: user.email, password: PASSWORD },
		];
		const results = await Promise.all(attempts.map((form) => request(`${org.origin}/sign-in`, { form })));
		const statuses = results.map((r) => r.status);
		// Ten attempts are checked (the allowance), every one after them refused without a check.
		expect(statuses.filter((s) => s === 429)).toHaveLength(20);
		expect(statuses.filter((s) => s === 401).length + statuses.filter((s) => s === 303).length).toBe(10);
		expect(await sessionCount(user.id)).toBe(statuses.includes(303) ? 1 : 0);
		const after = await request(`${org.origin}/sign-in`, { form: { email: user.email, password: PASSWORD } });
		expect(after.status).toBe(statuses.includes(303) ? 303 : 429);
	});

	it("counts step-up and password change guesses on the same lock as sign-in; sign-up checks no password at all", async () => {
		const org = await createOrg();
		const user = await createUser(org, "owner");
		const cookie = await signIn(org, user.email);
		for (let i = 0; i < 4; i++) {
			const res = await request(`${org.origin}/account/confirm`, {
				form: { password: `nope ${i}`, next: "/account" },
				cookie,
			});
			expect(res.status).toBe(422);
		}
		for (let i = 0; i < 3; i++) {
			const res = await request(`${org.origin}/account/password`, {
				form: { currentPassword: `nope ${i}`, newPassword: "a long enough new passphrase" },
				cookie,
			});
			expect(res.status).toBe(422);
		}
		for (let i = 0; i < 3; i++) {
			const res = await request(`${org.origin}/account/password`, {
				form: { currentPassword: `still nope ${i}`, newPassword: "a long enough new passphrase" },
				cookie,
			});
			expect(res.status).toBe(422);
		}
		// Ten wrong passwords through two forms: the right one is refused everywhere now, and sign-up
		// (which answers every address alike and checks no password) is no way to try it.
		const signUp = await request("http://localhost/sign-up", {
			form: {
				orgName: "Guess Co",
				slug: `guess-${crypto.randomUUID().slice(0, 8)}`,
				name: "Guesser",
				email: user.email,
				password: PASSWORD,
			},
		});
		expect(signUp.status).toBe(200);
		expect(signUp.text).toContain("Check your email");
		expect(signUp.headers.get("set-cookie")).toBeNull();
		const locked = await request(`${org.origin}/account/confirm`, {
			form: { password: PASSWORD, next: "/account" },
			cookie,
		});
		expect(locked.status).toBe(429);
		expect((await request(`${org.origin}/sign-in`, { form: { email: user.email, password: PASSWORD } })).status).toBe(
			429,
		);
	});
});
