import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailTokens } from "../../src/db/schema.ts";
import {
	auditActions,
	cookieFrom,
	createOrg,
	createUser,
	lastMailTo,
	linkIn,
	PASSWORD,
	request,
	sessionCount,
	signIn,
	testDb,
} from "../support/worker.ts";

describe("magic links", () => {
	it("sends a single-use link that signs the member in on this host only", async () => {
		const org = await createOrg({ name: "Linky" });
		const other = await createOrg();
		const user = await createUser(org);
		const ask = await request(`${org.origin}/sign-in/link`, { form: { email: user.email } });
		expect(ask.status).toBe(303);
		expect(ask.headers.get("location")).toBe("/sign-in?notice=link-sent");
		const mail = await lastMailTo(user.email);
		expect(mail?.subject).toBe("Sign in to Linky");
		expect(mail?.html).toContain("Linky");
		const link = linkIn(mail?.text, "/sign-in/link?token=");
		const token = new URL(link).searchParams.get("token") ?? "";

		// Opening the link shows a button (link scanners do not use it up); another host refuses it.
		const page = await request(link);
		expect(page.status).toBe(200);
		expect(page.text).toContain('action="/sign-in/link/confirm"');
		expect((await request(`${other.origin}/sign-in/link?token=${token}`)).status).toBe(400);

		const confirm = await request(`${org.origin}/sign-in/link/confirm`, { form: { token } });
		expect(confirm.status).toBe(303);
		expect(cookieFrom(confirm)).toBeDefined();
		expect(await sessionCount(user.id)).toBe(1);
		expect(await auditActions(org.id)).toEqual(["auth.sign_in"]);

		const replay = await request(`${org.origin}/sign-in/link/confirm`, { form: { token } });
		expect(replay.status).toBe(400);
		expect(replay.text).toContain("This link no longer works");
		expect(await sessionCount(user.id)).toBe(1);
	});

	it("refuses an expired link with a way forward", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		await request(`${org.origin}/sign-in/link`, { form: { email: user.email } });
		const token =
			new URL(linkIn((await lastMailTo(user.email))?.text, "/sign-in/link?token=")).searchParams.get("token") ?? "";
		await testDb()
			.update(emailTokens)
			.set({ expiresAt: Date.now() - 1 })
			.where(eq(emailTokens.userId, user.id));
		const res = await request(`${org.origin}/sign-in/link/confirm`, { form: { token } });
		expect(res.status).toBe(400);
		expect(res.text).toContain('href="/sign-in"');
		const tampered = await request(`${org.origin}/sign-in/link?token=${"x".repeat(10)}<script>`);
		expect(tampered.status).toBe(400);
	});

	it("answers the same for an unknown address and mails it a note instead of a link", async () => {
		const org = await createOrg();
		const res = await request(`${org.origin}/sign-in/link`, { form: { email: "stranger@example.test" } });
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/sign-in?notice=link-sent");
		const mail = await lastMailTo("stranger@example.test");
		expect(mail?.subject).toMatch(/Your request at/);
		expect(mail?.text).not.toMatch(/token=/);
	});

	it("refuses a malformed address with 422 and sends nothing", async () => {
		const org = await createOrg();
		const res = await request(`${org.origin}/sign-in/link`, { form: { email: "not an email" } });
		expect(res.status).toBe(422);
		expect(res.text).toContain("Enter a valid email address");
		expect(await lastMailTo("not an email")).toBeNull();
	});
});

describe("password reset", () => {
	it("resets through the emailed link, signs out every session and refuses the link twice", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const oldCookie = await signIn(org, user.email);
		await request(`${org.origin}/forgot-password`, { form: { email: user.email } });
		const link = linkIn((await lastMailTo(user.email))?.text, "/reset-password?token=");
		const token = new URL(link).searchParams.get("token") ?? "";
		expect((await request(link)).text).toContain("Choose a new password");

		const weak = await request(`${org.origin}/reset-password`, { form: { token, password: "short" } });
		expect(weak.status).toBe(422);
		expect(weak.text).toContain("at least 10 characters");
		const common = await request(`${org.origin}/reset-password`, { form: { token, password: "password123" } });
		expect(common.status).toBe(422);
		expect(common.text).toContain("most common");

		const ok = await request(`${org.origin}/reset-password`, { form: { token, password: "a brand new passphrase ✓" } });
		expect(ok.status).toBe(303);
		expect(ok.headers.get("location")).toBe("/sign-in?notice=password-reset");
		expect(await sessionCount(user.id)).toBe(0);
		expect((await request(`${org.origin}/`, { cookie: oldCookie })).text).toContain("Sign in to");
		expect(
			(await request(`${org.origin}/reset-password`, { form: { token, password: "yet another passphrase" } })).status,
		).toBe(400);

		expect((await request(`${org.origin}/sign-in`, { form: { email: user.email, password: PASSWORD } })).status).toBe(
			401,
		);
		await signIn(org, user.email, "a brand new passphrase ✓");
		expect(await auditActions(org.id)).toContain("auth.password_reset");
	});
});

describe("brute-force protection", () => {
	it("locks an account after 10 failures: the 11th attempt is refused even with the right password", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		for (let i = 0; i < 10; i++) {
			const res = await request(`${org.origin}/sign-in`, { form: { email: user.email, password: `wrong ${i}` } });
			expect(res.status).toBe(401);
		}
		const locked = await request(`${org.origin}/sign-in`, { form: { email: user.email, password: PASSWORD } });
		expect(locked.status).toBe(429);
		expect(locked.text).toContain("Too many attempts");
		expect(locked.text).toContain('<a href="/forgot-password">reset your password by email</a>');
		expect(await sessionCount(user.id)).toBe(0);
		const actions = await auditActions(org.id);
		expect(actions.filter((a) => a === "auth.sign_in_failed")).toHaveLength(10);
		expect(actions.at(-1)).toBe("auth.sign_in_locked");

		// The owner of the address can still get in: a password reset lifts the lock.
		await request(`${org.origin}/forgot-password`, { form: { email: user.email } });
		const token =
			new URL(linkIn((await lastMailTo(user.email))?.text, "/reset-password?token=")).searchParams.get("token") ?? "";
		await request(`${org.origin}/reset-password`, { form: { token, password: "recovered passphrase here" } });
		await signIn(org, user.email, "recovered passphrase here");
	});

	it("locks unknown addresses the same way, so the answer reveals nothing", async () => {
		const org = await createOrg();
		const email = `ghost-${org.slug}@example.test`;
		for (let i = 0; i < 10; i++) await request(`${org.origin}/sign-in`, { form: { email, password: "guess" } });
		const res = await request(`${org.origin}/sign-in`, { form: { email, password: "guess" } });
		expect(res.status).toBe(429);
		expect(res.text).toContain("Too many attempts");
	});
});

describe("bad input on the identity forms", () => {
	it("answers empty, oversized, malformed and unexpected input with 422 and writes nothing", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const cases: [string, Record<string, string>][] = [
			["/sign-in", {}],
			["/sign-in", { email: user.email, password: "x".repeat(2000) }],
			["/sign-in", { email: user.email, password: PASSWORD, isAdmin: "1" }],
			["/sign-in/link", { email: "" }],
			["/sign-in/link", { email: user.email, extra: "1" }],
			["/forgot-password", { email: "@@" }],
			["/reset-password", { token: "short", password: "a long enough passphrase" }],
		];
		for (const [path, form] of cases) {
			const res = await request(`${org.origin}${path}`, { form });
			expect(res.status, `${path} ${JSON.stringify(form)}`).toBe(422);
			expect(res.text).not.toMatch(/ZodError|"issues"|stack/);
		}
		expect(await sessionCount(user.id)).toBe(0);
		expect(await lastMailTo(user.email)).toBeNull();
	});
});
