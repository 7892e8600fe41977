import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships, organizations, users } from "../../src/db/schema.ts";
import {
	auditActions,
	cookieFrom,
	cookiesFrom,
	createOrg,
	createUser,
	followTicket,
	lastMailTo,
	linkIn,
	PASSWORD,
	request,
	signIn,
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

/** Sends the form, then opens the emailed link and presses its button, as the person does. */
async function signUpAndConfirm(form: Record<string, string>) {
	const sent = await request("http://localhost/sign-up", { form });
	expect(sent.status, sent.text).toBe(200);
	expect(sent.text).toContain("Check your email");
	const link = linkIn((await lastMailTo(form.email ?? ""))?.text, "/sign-up/confirm?token=");
	const page = await request(link);
	expect(page.status).toBe(200);
	const token = String(new URL(link).searchParams.get("token"));
	const confirmed = await request("http://localhost/sign-up/confirm", { form: { token } });
	return { sent, link, token, confirmed };
}

describe("sign-up on the apex", () => {
	it("creates the organization on the Free plan from the emailed link, and lands its Owner signed in on its host", async () => {
		const s = slug();
		const email = `${s}@example.test`;
		const { link, token, confirmed } = await signUpAndConfirm(valid(s, email));
		// Nothing exists until the link is used; opening it (a mail scanner does) changes nothing.
		expect(confirmed.status, confirmed.text).toBe(303);
		expect(String(confirmed.headers.get("location"))).toMatch(
			new RegExp(`^http://${s}\\.localhost/sign-in/ticket\\?token=`),
		);
		const landing = await followTicket(confirmed);
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
		// The link proved the address.
		const [user] = await testDb().select().from(users).where(eq(users.email, email));
		expect(user?.emailVerifiedAt).toEqual(expect.any(Number));
		// The link works once.
		expect((await request(link)).status).toBe(400);
		expect((await request("http://localhost/sign-up/confirm", { form: { token } })).status).toBe(400);
	});

	it("answers an address that has an account exactly as a new one, checks no password, and mails that person instead", async () => {
		const org = await createOrg();
		const user = await createUser(org);
		const fresh = `fresh-${slug()}@example.test`;
		const normalize = (html: string, email: string) =>
			html
				.replaceAll(email, "EMAIL")
				.replace(/req_[\w-]+/g, "")
				.replace(/nonce="[^"]+"/g, "");
		const s1 = slug();
		const existing = await request("http://localhost/sign-up", {
			form: { ...valid(s1, user.email), password: "not the right one at all" },
		});
		const s2 = slug();
		const newcomer = await request("http://localhost/sign-up", { form: valid(s2, fresh) });
		expect(existing.status).toBe(200);
		expect(normalize(existing.text, user.email)).toBe(normalize(newcomer.text, fresh));
		const mail = await lastMailTo(user.email);
		expect(mail?.subject).toContain("Add Newco Ltd");
		expect(mail?.text).toContain("already has an account");

		// The link adds the organization to the existing account, whose own password still signs in.
		const token = String(new URL(linkIn(mail?.text, "/sign-up/confirm?token=")).searchParams.get("token"));
		const confirmed = await request("http://localhost/sign-up/confirm", { form: { token } });
		expect(confirmed.status).toBe(303);
		expect(confirmed.headers.get("location")).toBe(`http://${s1}.localhost/sign-in?notice=organization-created`);
		const rows = await testDb().select().from(memberships).where(eq(memberships.userId, user.id));
		expect(rows).toHaveLength(2);
		const newOrg = { id: "", slug: s1, origin: `http://${s1}.localhost` } as Parameters<typeof signIn>[0];
		expect(await signIn(newOrg, user.email, PASSWORD)).toMatch(/portico_session=/);
	});

	it("limits sign-ups per address, whoever asks", async () => {
		const email = `busy-${slug()}@example.test`;
		const statuses = [];
		for (let i = 0; i < 6; i++)
			statuses.push((await request("http://localhost/sign-up", { form: valid(slug(), email) })).status);
		expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
	});

	it("refuses control characters in names (they would reach email headers)", async () => {
		const res = await request("http://localhost/sign-up", {
			form: { ...valid(slug(), `cr-${slug()}@example.test`), orgName: "Evil\r\nBcc: x@example.test" },
		});
		expect(res.status).toBe(422);
		expect(res.text).toContain("cannot contain control characters");
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

	it("checks an address while it is typed", async () => {
		const taken = await createOrg();
		expect((await request(`http://localhost/sign-up/slug?slug=${taken.slug}`)).text).toContain("taken");
		expect((await request("http://localhost/sign-up/slug?slug=www")).text).toContain("reserved");
		expect((await request(`http://localhost/sign-up/slug?slug=${slug()}`)).text).toContain("is available");
	});
});

/** Someone who owns Alpha and is a Member of Beta: two organizations to switch between. */
async function ownerOfAlphaMemberOfBeta() {
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
	return { a, b, user };
}

describe("login tickets and the organization switcher", () => {
	it("switches to another organization's host already signed in; a ticket works once and on its own host only", async () => {
		const { a, b, user } = await ownerOfAlphaMemberOfBeta();
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
		const landed = await followTicket(sw, cookie);
		expect(landed.status).toBe(303);
		const onB = await request(`${b.origin}/`, { cookie: cookieFrom(landed) });
		expect(onB.text).toContain("Welcome,");
		expect(onB.text).toContain("Member");
		expect((await followTicket(sw, cookie)).status).toBe(400);

		const stranger = await createOrg();
		expect((await request(`${a.origin}/switch`, { form: { slug: stranger.slug }, cookie })).status).toBe(404);
	});
});

describe("a login ticket completes only in the browser that asked for it (no login CSRF)", () => {
	async function switchTicket() {
		const { a, b, user } = await ownerOfAlphaMemberOfBeta();
		const cookie = await signIn(a, user.email);
		const sw = await request(`${a.origin}/switch`, { form: { slug: b.slug }, cookie });
		return { a, b, cookie, sw, ticketUrl: String(sw.headers.get("location")) };
	}

	it("a ticket link opened in another person's browser signs nobody in", async () => {
		const { a, b, sw, ticketUrl } = await switchTicket();
		// The victim's browser: signed in on the issuing host as someone else, without the hand-off cookie.
		const victim = await createUser(a, "member");
		const victimCookie = await signIn(a, victim.email);
		const start = await request(ticketUrl);
		expect(start.status).toBe(303);
		const vouch = await request(String(start.headers.get("location")), { cookie: victimCookie });
		expect(vouch.status).toBe(400);
		// Nor can the attacker bind it for their own browser and then hand over the completion link.
		const attacker = await request(String(start.headers.get("location")), { cookie: cookiesFrom(sw) });
		expect(attacker.status).toBe(303);
		const stolen = await request(String(attacker.headers.get("location")));
		expect(stolen.status).toBe(400);
		expect(stolen.headers.get("set-cookie") ?? "").not.toContain("portico_session=");
		void b;
	});

	it("several completions of one ticket at once sign in once", async () => {
		const { sw, cookie } = await switchTicket();
		const start = await request(String(sw.headers.get("location")));
		const vouch = await request(String(start.headers.get("location")), { cookie: cookiesFrom(sw, cookie) });
		const results = await Promise.all(
			Array.from({ length: 5 }, () => request(String(vouch.headers.get("location")), { cookie: cookiesFrom(start) })),
		);
		expect(results.filter((r) => r.status === 303)).toHaveLength(1);
	});
});
