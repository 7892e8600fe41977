import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships, sessions } from "../../src/db/schema.ts";
import {
	auditActions,
	cookieFrom,
	createOrg,
	createUser,
	PASSWORD,
	request,
	sessionCount,
	signIn,
	testDb,
} from "../support/worker.ts";

async function sessionIds(userId: string) {
	return (await testDb().select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId))).map(
		(s) => s.id,
	);
}

describe("sessions", () => {
	it("ignores a cookie planted before sign-in and issues a fresh token (no session fixation)", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const planted = "portico_session=attacker-chosen-value-0123456789abcdefghijklmno";
		const res = await request(`${org.origin}/sign-in`, {
			form: { email: user.email, password: PASSWORD },
			cookie: planted,
		});
		const issued = cookieFrom(res);
		expect(issued).toBeDefined();
		expect(issued).not.toBe(planted);
		expect((await request(`${org.origin}/`, { cookie: planted })).text).toContain("Sign in to");
		expect((await request(`${org.origin}/`, { cookie: issued })).text).toContain("Welcome,");
	});

	it("replaces the session on this host when signing in again", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const first = await signIn(org, user.email);
		const res = await request(`${org.origin}/sign-in`, {
			form: { email: user.email, password: PASSWORD },
			cookie: first,
		});
		expect(res.status).toBe(303);
		expect(await sessionCount(user.id)).toBe(1);
		expect((await request(`${org.origin}/`, { cookie: first })).text).toContain("Sign in to");
	});

	it("ends at the absolute lifetime however active, and after 12 idle hours", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const cookie = await signIn(org, user.email);
		await testDb()
			.update(sessions)
			.set({ absoluteExpiresAt: Date.now() - 1 })
			.where(eq(sessions.userId, user.id));
		expect((await request(`${org.origin}/`, { cookie })).text).toContain("Sign in to");
		const again = await signIn(org, user.email);
		await testDb()
			.update(sessions)
			.set({ expiresAt: Date.now() - 1 })
			.where(eq(sessions.userId, user.id));
		expect((await request(`${org.origin}/`, { cookie: again })).text).toContain("Sign in to");
	});

	it("lists sessions with device and IP, revokes another one, and signs out everywhere else", async () => {
		const a = await createOrg();
		const b = await createOrg();
		const user = await createUser(a);
		await testDb()
			.insert(memberships)
			.values({
				id: `mem_${crypto.randomUUID().replaceAll("-", "").slice(0, 26)}`,
				orgId: b.id,
				userId: user.id,
				roleId: "rol_builtin_member",
			});
		const onA = await request(`${a.origin}/sign-in`, {
			form: { email: user.email, password: PASSWORD },
			headers: { "user-agent": "Mozilla/5.0 (Windows NT 10.0) Firefox/130.0", "cf-connecting-ip": "203.0.113.9" },
		});
		const cookieA = cookieFrom(onA);
		const cookieB = await signIn(b, user.email);
		const page = await request(`${a.origin}/account`, { cookie: cookieA });
		expect(page.status).toBe(200);
		expect(page.text).toContain("Firefox on Windows");
		expect(page.text).toContain("203.0.113.9");
		const [idB] = (
			await testDb()
				.select({ id: sessions.id })
				.from(sessions)
				.where(and(eq(sessions.userId, user.id), eq(sessions.orgId, b.id)))
		).map((s) => s.id);
		const revoke = await request(`${a.origin}/account/sessions/${idB}/revoke`, { method: "POST", cookie: cookieA });
		expect(revoke.status).toBe(303);
		expect((await request(`${b.origin}/`, { cookie: cookieB })).text).toContain("Sign in to");
		expect(await auditActions(a.id)).toContain("auth.session_revoked");

		const cookieB2 = await signIn(b, user.email);
		await request(`${a.origin}/account/sessions/revoke-others`, { method: "POST", cookie: cookieA });
		expect((await request(`${b.origin}/`, { cookie: cookieB2 })).text).toContain("Sign in to");
		expect((await request(`${a.origin}/`, { cookie: cookieA })).text).toContain("Welcome,");
		expect(await sessionIds(user.id)).toHaveLength(1);
	});

	it("cannot revoke someone else's session", async () => {
		const org = await createOrg();
		const me = await createUser(org);
		const them = await createUser(org);
		const mine = await signIn(org, me.email);
		const theirs = await signIn(org, them.email);
		const [theirId] = await sessionIds(them.id);
		await request(`${org.origin}/account/sessions/${theirId}/revoke`, { method: "POST", cookie: mine });
		expect((await request(`${org.origin}/`, { cookie: theirs })).text).toContain("Welcome,");
	});

	it("takes removal from the organization into effect on the next request", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const cookie = await signIn(org, user.email);
		await testDb().delete(memberships).where(eq(memberships.userId, user.id));
		const res = await request(`${org.origin}/`, { cookie });
		expect(res.status).toBe(403);
		expect(res.text).toContain("not a member");
		expect((await request(`${org.origin}/audit`, { cookie })).status).toBe(403);
	});
});

describe("password change", () => {
	it("needs the current password, keeps this session and signs out the others", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const here = await signIn(org, user.email);
		const elsewhere = await signIn(org, user.email, PASSWORD);
		const wrong = await request(`${org.origin}/account/password`, {
			form: { currentPassword: "nope", newPassword: "another long passphrase" },
			cookie: elsewhere,
		});
		expect(wrong.status).toBe(422);
		expect(wrong.text).toContain("not your current password");
		const ok = await request(`${org.origin}/account/password`, {
			form: { currentPassword: PASSWORD, newPassword: "another long passphrase" },
			cookie: elsewhere,
		});
		expect(ok.status).toBe(303);
		expect((await request(`${org.origin}/`, { cookie: elsewhere })).text).toContain("Welcome,");
		expect((await request(`${org.origin}/`, { cookie: here })).text).toContain("Sign in to");
	});
});
