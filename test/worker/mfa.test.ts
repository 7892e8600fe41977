import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { TOTP_STEP_MS, totpCode } from "../../src/auth/mfa.ts";
import { organizations, sessions, users } from "../../src/db/schema.ts";
import {
	auditActions,
	cookieFrom,
	createOrg,
	createUser,
	PASSWORD,
	request,
	signIn,
	type TestOrg,
	testDb,
} from "../support/worker.ts";

const now = () => Math.floor(Date.now() / TOTP_STEP_MS);

async function enrol(org: TestOrg, cookie: string) {
	const page = await request(`${org.origin}/account/mfa`, { cookie });
	expect(page.status, page.text).toBe(200);
	const secret = /<code class="secret">([A-Z2-7]+)<\/code>/.exec(page.text)?.[1] ?? "";
	expect(page.text).toContain('src="data:image/svg+xml;base64,');
	const wrong = await request(`${org.origin}/account/mfa`, { form: { code: "000000" }, cookie });
	expect(wrong.status).toBe(422);
	const res = await request(`${org.origin}/account/mfa`, { form: { code: await totpCode(secret, now()) }, cookie });
	expect(res.status, res.text).toBe(200);
	const codes = [...res.text.matchAll(/<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{2})<\/code>/g)].map((m) => m[1] ?? "");
	expect(codes).toHaveLength(10);
	return { secret, codes, cookie: cookieFrom(res) ?? "" };
}

describe("two-step verification", () => {
	it("enrols with a TOTP code, rotates the session and shows ten recovery codes once", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const before = await signIn(org, user.email);
		const { cookie } = await enrol(org, before);
		expect(cookie).not.toBe(before);
		expect((await request(`${org.origin}/`, { cookie: before })).text).toContain("Sign in to");
		expect((await request(`${org.origin}/`, { cookie })).text).toContain("Welcome,");
		const [row] = await testDb().select({ mfa: users.mfaEnabled }).from(users).where(eq(users.id, user.id));
		expect(row?.mfa).toBe(true);
		expect(await auditActions(org.id)).toContain("auth.mfa_enabled");
	});

	it("asks for the code at sign-in, refuses a replayed code, and accepts each recovery code once", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const { secret, codes } = await enrol(org, await signIn(org, user.email));

		const pw = await request(`${org.origin}/sign-in`, { form: { email: user.email, password: PASSWORD } });
		expect(pw.headers.get("location")).toBe("/sign-in/mfa");
		const pending = cookieFrom(pw);
		// Password alone opens nothing.
		expect((await request(`${org.origin}/`, { cookie: pending })).headers.get("location")).toBe("/sign-in/mfa");
		expect((await request(`${org.origin}/audit`, { cookie: pending })).status).toBe(303);

		const next = await totpCode(secret, now() + 1);
		const ok = await request(`${org.origin}/sign-in/mfa`, { form: { code: next }, cookie: pending });
		expect(ok.headers.get("location")).toBe("/");
		expect((await request(`${org.origin}/`, { cookie: cookieFrom(ok) })).text).toContain("Welcome,");

		const pw2 = cookieFrom(await request(`${org.origin}/sign-in`, { form: { email: user.email, password: PASSWORD } }));
		const replay = await request(`${org.origin}/sign-in/mfa`, { form: { code: next }, cookie: pw2 });
		expect(replay.status).toBe(422);

		const recovery = await request(`${org.origin}/sign-in/mfa`, {
			form: { code: codes[0]?.toUpperCase() ?? "" },
			cookie: pw2,
		});
		expect(recovery.headers.get("location")).toBe("/");
		const pw3 = cookieFrom(await request(`${org.origin}/sign-in`, { form: { email: user.email, password: PASSWORD } }));
		expect((await request(`${org.origin}/sign-in/mfa`, { form: { code: codes[0] ?? "" }, cookie: pw3 })).status).toBe(
			422,
		);
		expect(await auditActions(org.id)).toContain("auth.mfa_recovery_code_used");
	});

	it("sends members of an organization that requires MFA to enrol before anything else", async () => {
		const org = await createOrg();
		await testDb().update(organizations).set({ requireMfa: true }).where(eq(organizations.id, org.id));
		const user = await createUser(org, "owner");
		const res = await request(`${org.origin}/sign-in`, { form: { email: user.email, password: PASSWORD } });
		expect(res.headers.get("location")).toBe("/account/mfa");
		const cookie = cookieFrom(res);
		expect((await request(`${org.origin}/`, { cookie })).headers.get("location")).toBe("/account/mfa");
		expect((await request(`${org.origin}/audit`, { cookie })).headers.get("location")).toBe("/account/mfa");
		const { cookie: enrolled } = await enrol(org, cookie ?? "");
		expect((await request(`${org.origin}/audit`, { cookie: enrolled })).status).toBe(200);
		const off = await request(`${org.origin}/account/mfa/disable`, { method: "POST", cookie: enrolled });
		expect(off.status).toBe(403);
	});

	it("asks for the password again before MFA changes when the sign-in is older than 10 minutes", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const cookie = await signIn(org, user.email);
		await testDb()
			.update(sessions)
			.set({ authenticatedAt: Date.now() - 11 * 60_000 })
			.where(eq(sessions.userId, user.id));
		const res = await request(`${org.origin}/account/mfa`, { cookie });
		expect(res.headers.get("location")).toBe("/account/confirm?next=%2Faccount%2Fmfa");
		const bad = await request(`${org.origin}/account/confirm`, {
			form: { password: "nope", next: "/account/mfa" },
			cookie,
		});
		expect(bad.status).toBe(422);
		const good = await request(`${org.origin}/account/confirm`, {
			form: { password: PASSWORD, next: "/account/mfa" },
			cookie,
		});
		expect(good.headers.get("location")).toBe("/account/mfa");
		expect((await request(`${org.origin}/account/mfa`, { cookie })).status).toBe(200);
		const offsite = await request(`${org.origin}/account/confirm`, {
			form: { password: PASSWORD, next: "https://evil.example.com" },
			cookie,
		});
		expect(offsite.status).toBe(422);
	});
});

describe("MFA brute force", () => {
	it("locks the code step after 10 wrong codes", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const { secret } = await enrol(org, await signIn(org, user.email));
		const pending = cookieFrom(
			await request(`${org.origin}/sign-in`, { form: { email: user.email, password: PASSWORD } }),
		);
		const valid = new Set(await Promise.all([-1, 0, 1, 2].map((d) => totpCode(secret, now() + d))));
		const wrong = Array.from({ length: 20 }, (_, i) => String(100000 + i))
			.filter((code) => !valid.has(code))
			.slice(0, 10);
		for (const code of wrong) {
			expect((await request(`${org.origin}/sign-in/mfa`, { form: { code }, cookie: pending })).status).toBe(422);
		}
		const locked = await request(`${org.origin}/sign-in/mfa`, {
			form: { code: await totpCode(secret, now() + 1) },
			cookie: pending,
		});
		expect(locked.status).toBe(429);
	});
});

describe("requiring MFA for the organization", () => {
	it("lets an owner with MFA require it, audited; refuses an owner without MFA and a member", async () => {
		const org = await createOrg();
		const owner = await createUser(org, "owner");
		const member = await createUser(org, "member");
		const ownerCookie = await signIn(org, owner.email);
		const early = await request(`${org.origin}/settings/security`, {
			form: { requireMfa: "true" },
			cookie: ownerCookie,
		});
		expect(early.status).toBe(422);
		expect(early.text).toContain("Set up two-step verification for your own account first");

		const memberCookie = await signIn(org, member.email);
		expect(
			(await request(`${org.origin}/settings/security`, { form: { requireMfa: "true" }, cookie: memberCookie })).status,
		).toBe(403);
		expect((await request(`${org.origin}/`, { cookie: memberCookie })).text).not.toContain('href="/settings/security"');

		const { cookie } = await enrol(org, ownerCookie);
		const ok = await request(`${org.origin}/settings/security`, { form: { requireMfa: "true" }, cookie });
		expect(ok.status).toBe(303);
		const [row] = await testDb()
			.select({ r: organizations.requireMfa })
			.from(organizations)
			.where(eq(organizations.id, org.id));
		expect(row?.r).toBe(true);
		expect(await auditActions(org.id)).toContain("organization.mfa_requirement_changed");
		expect((await request(`${org.origin}/`, { cookie: memberCookie })).headers.get("location")).toBe("/account/mfa");
	});
});

describe("MFA codes under concurrency", () => {
	it("lets one fresh code pass once when three sessions send it at the same moment", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const { secret } = await enrol(org, await signIn(org, user.email));
		const pending = await Promise.all(
			[1, 2, 3].map(async () =>
				cookieFrom(await request(`${org.origin}/sign-in`, { form: { email: user.email, password: PASSWORD } })),
			),
		);
		const code = await totpCode(secret, now() + 1);
		const results = await Promise.all(
			pending.map((cookie) => request(`${org.origin}/sign-in/mfa`, { form: { code }, cookie })),
		);
		expect(results.map((r) => r.status).sort()).toEqual([303, 422, 422]);
	});
});
