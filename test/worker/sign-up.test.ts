import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships, organizations, users } from "../../src/db/schema.ts";
import {
	auditActions,
	cookieFrom,
	createOrg,
	createUser,
	lastMailTo,
	linkIn,
	PASSWORD,
	request,
	testDb,
} from "../support/worker.ts";

function slug() {
	return `new-${crypto.getRandomValues(new Uint32Array(1))[0]?.toString(36)}`;
}

const valid = (s: string, email: string) => ({
	orgName: "Newco Ltd",
	slug: s,
	name: "Nora New",
	email,
	password: "a long enough passphrase",
});

describe("sign-up on the apex", () => {
	it("creates the organization on the Free plan with its Owner and lands them signed in on its host", async () => {
		const s = slug();
		const email = `${s}@example.test`;
		const res = await request("http://localhost/sign-up", { form: valid(s, email) });
		expect(res.status, res.text).toBe(303);
		const ticketUrl = String(res.headers.get("location"));
		expect(ticketUrl).toMatch(new RegExp(`^http://${s}\\.localhost/sign-in/ticket\\?token=`));
		const landing = await request(ticketUrl);
		expect(landing.status).toBe(303);
		const home = await request(`http://${s}.localhost/`, { cookie: cookieFrom(landing) });
		expect(home.text).toContain("Welcome, Nora New");
		expect(home.text).toContain("Free");
		expect(home.text).toContain("Owner");

		const [org] = await testDb().select().from(organizations).where(eq(organizations.slug, s));
		expect(org?.planId).toBe("pln_free");
		const [member] = await testDb()
			.select()
			.from(memberships)
			.where(eq(memberships.orgId, org?.id ?? ""));
		expect(member?.roleId).toBe("rol_builtin_owner");
		expect(await auditActions(org?.id ?? "")).toEqual(["organization.created", "auth.sign_in"]);

		// The address is not verified until the emailed link is opened on the new host.
		const [before] = await testDb().select().from(users).where(eq(users.email, email));
		expect(before?.emailVerifiedAt).toBeNull();
		const verify = await request(linkIn((await lastMailTo(email))?.text, "/verify-email?token="));
		expect(verify.status).toBe(200);
		const [after] = await testDb().select().from(users).where(eq(users.email, email));
		expect(after?.emailVerifiedAt).toEqual(expect.any(Number));
	});

	it("refuses reserved, malformed and taken addresses, weak passwords and unknown fields, writing nothing", async () => {
		const taken = await createOrg();
		const cases: [Record<string, string>, string][] = [
			[valid("admin", "a1@example.test"), "That address is reserved"],
			[valid("Bad_Slug!", "a2@example.test"), "Use lowercase letters"],
			[valid(taken.slug, "a3@example.test"), "That address is taken"],
			[{ ...valid(slug(), "a4@example.test"), password: "password123" }, "most common"],
			[{ ...valid(slug(), "not-an-email"), email: "not-an-email" }, "valid email"],
			[{ ...valid(slug(), "a5@example.test"), role: "owner" }, "does not accept the field role"],
			[{ ...valid(slug(), "a6@example.test"), orgName: "x".repeat(500) }, "at most 80"],
		];
		for (const [form, message] of cases) {
			const res = await request("http://localhost/sign-up", { form });
			expect(res.status, message).toBe(422);
			expect(res.text).toContain(message);
			expect(res.text).not.toContain(form.password);
		}
		const rows = await testDb().select().from(users).where(eq(users.email, "a1@example.test"));
		expect(rows).toEqual([]);
	});

	it("lets an existing user add an organization only with their password", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const wrong = await request("http://localhost/sign-up", {
			form: { ...valid(slug(), user.email), password: "not the right one" },
		});
		expect(wrong.status).toBe(422);
		expect(wrong.text).toContain("already has an account");
		const s = slug();
		const ok = await request("http://localhost/sign-up", { form: { ...valid(s, user.email), password: PASSWORD } });
		expect(ok.status).toBe(303);
		const rows = await testDb().select().from(memberships).where(eq(memberships.userId, user.id));
		expect(rows).toHaveLength(2);
	});

	it("checks an address while it is typed", async () => {
		const taken = await createOrg();
		expect((await request(`http://localhost/sign-up/slug?slug=${taken.slug}`)).text).toContain("taken");
		expect((await request("http://localhost/sign-up/slug?slug=www")).text).toContain("reserved");
		expect((await request(`http://localhost/sign-up/slug?slug=${slug()}`)).text).toContain("is available");
	});
});

describe("login tickets and the organization switcher", () => {
	it("switches to another organization's host already signed in; a ticket works once and on its own host only", async () => {
		const a = await createOrg({ name: "Alpha" });
		const b = await createOrg({ name: "Beta" });
		const user = await createUser(a, "owner");
		await testDb()
			.insert(memberships)
			.values({
				id: `mem_${crypto.randomUUID().replaceAll("-", "").slice(0, 26)}`,
				orgId: b.id,
				userId: user.id,
				roleId: "rol_builtin_member",
			});
		const signedIn = await request(`${a.origin}/sign-in`, { form: { email: user.email, password: PASSWORD } });
		const cookie = cookieFrom(signedIn);
		const home = await request(`${a.origin}/`, { cookie });
		expect(home.text).toContain("Switch organization");
		expect(home.text).toContain("Beta");

		const sw = await request(`${a.origin}/switch`, { form: { slug: b.slug }, cookie });
		expect(sw.status).toBe(303);
		const ticketUrl = String(sw.headers.get("location"));
		expect(ticketUrl).toMatch(new RegExp(`^${b.origin}/sign-in/ticket\\?token=`));
		const token = new URL(ticketUrl).searchParams.get("token");
		// Presented on another host, the ticket is refused (and stays unused for its own host).
		expect((await request(`${a.origin}/sign-in/ticket?token=${token}`)).status).toBe(400);
		const landed = await request(ticketUrl);
		expect(landed.status).toBe(303);
		const onB = await request(`${b.origin}/`, { cookie: cookieFrom(landed) });
		expect(onB.text).toContain("Welcome,");
		expect(onB.text).toContain("Member");
		expect((await request(ticketUrl)).status).toBe(400);

		const stranger = await createOrg();
		expect((await request(`${a.origin}/switch`, { form: { slug: stranger.slug }, cookie })).status).toBe(404);
	});
});
