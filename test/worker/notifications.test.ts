import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
	mailOutbox,
	memberships,
	notificationPreferences,
	notifications,
	organizations,
	users,
} from "../../src/db/schema.ts";
import { tenantData } from "../../src/db/tenant-data.ts";
import { runJob } from "../../src/jobs/scheduled.ts";
import { newId } from "../../src/lib/ids.ts";
import { notify } from "../../src/notifications/notify.ts";
import { PORTICO_BRAND } from "../../src/views/brand.ts";
import { createOrg, createUser, PASSWORD, request, signIn, type TestOrg, testDb } from "../support/worker.ts";

function ctx(org: TestOrg) {
	return {
		main: testDb(),
		tenant: tenantData({ orgId: org.id, db: testDb() }),
		bindings: env,
		brand: { ...PORTICO_BRAND, name: org.name },
		origin: org.origin,
	};
}

async function inbox(orgId: string, userId: string) {
	return testDb()
		.select()
		.from(notifications)
		.where(and(eq(notifications.orgId, orgId), eq(notifications.userId, userId)));
}

async function mailsTo(email: string) {
	return testDb().select().from(mailOutbox).where(eq(mailOutbox.to, email));
}

describe("notify()", () => {
	it("reaches exactly the holders of a permission in that organization, by their channels", async () => {
		const org = await createOrg({ planId: "pln_pro" });
		const other = await createOrg();
		const owner = await createUser(org, "owner");
		const admin = await createUser(org, "admin");
		const member = await createUser(org, "member");
		const outsider = await createUser(other, "owner");
		const sent = await notify(
			ctx(org),
			{ permission: "members:manage" },
			{ category: "team", title: "Someone joined", body: "Welcome them.", link: "/team" },
		);
		expect(sent).toEqual({ inApp: 2, email: 2 });
		expect((await inbox(org.id, owner.id)).map((n) => n.title)).toEqual(["Someone joined"]);
		expect(await inbox(org.id, admin.id)).toHaveLength(1);
		expect(await inbox(org.id, member.id)).toEqual([]);
		expect(await inbox(other.id, outsider.id)).toEqual([]);
		expect((await mailsTo(owner.email)).map((m) => m.subject)).toEqual(["Someone joined"]);
		expect(await mailsTo(member.email)).toEqual([]);
	});

	it("respects each person's category × channel choices, except for security notices", async () => {
		const org = await createOrg({ planId: "pln_pro" });
		const admin = await createUser(org, "admin");
		const cookie = await signIn(org, admin.email);
		// Everything off (the form sends no checkbox at all).
		expect((await request(`${org.origin}/account/notifications`, { form: { submitted: "1" }, cookie })).status).toBe(
			303,
		);
		const prefs = await testDb()
			.select()
			.from(notificationPreferences)
			.where(eq(notificationPreferences.userId, admin.id));
		expect(prefs.map((p) => p.category).sort()).toEqual(["billing", "keys", "product", "support", "team", "usage"]);

		expect(await notify(ctx(org), { userIds: [admin.id] }, { category: "team", title: "Quiet", body: "x" })).toEqual({
			inApp: 0,
			email: 0,
		});
		const changed = await request(`${org.origin}/account/password`, {
			form: { currentPassword: PASSWORD, newPassword: "a different passphrase" },
			cookie,
		});
		expect(changed.status).toBe(303);
		expect((await inbox(org.id, admin.id)).map((n) => n.category)).toEqual(["security"]);
		expect((await mailsTo(admin.email)).map((m) => m.subject)).toEqual(["Your password was changed"]);

		// Turning team notices back on in the portal only.
		await request(`${org.origin}/account/notifications`, { form: { submitted: "1", "team.inApp": "on" }, cookie });
		expect(await notify(ctx(org), { userIds: [admin.id] }, { category: "team", title: "Loud", body: "x" })).toEqual({
			inApp: 1,
			email: 0,
		});
	});

	it("refuses a malformed settings form and changes nothing", async () => {
		const org = await createOrg();
		const user = await createUser(org, "member");
		const cookie = await signIn(org, user.email);
		const bad = await request(`${org.origin}/account/notifications`, {
			form: { submitted: "1", "security.email": "off", "team.email": "yes" },
			cookie,
		});
		expect(bad.status).toBe(422);
		expect(bad.text).toContain("Nothing was changed");
		expect(
			await testDb().select().from(notificationPreferences).where(eq(notificationPreferences.userId, user.id)),
		).toEqual([]);
	});
});

describe("inbox and bell", () => {
	it("counts unread in the bell, marks read (twice is harmless) and all read, and hides others' notifications", async () => {
		const org = await createOrg();
		const other = await createOrg();
		const user = await createUser(org, "member");
		const colleague = await createUser(org, "member");
		const stranger = await createUser(other, "member");
		await notify(
			ctx(org),
			{ userIds: [user.id] },
			{ category: "support", title: "First", body: "a", link: "/account" },
		);
		await notify(ctx(org), { userIds: [user.id] }, { category: "support", title: "Second", body: "b" });
		await notify(ctx(org), { userIds: [colleague.id] }, { category: "support", title: "Colleague's", body: "c" });
		await notify(ctx(other), { userIds: [stranger.id] }, { category: "support", title: "Stranger's", body: "d" });
		const cookie = await signIn(org, user.email);
		const home = await request(`${org.origin}/`, { cookie });
		expect(home.text).toContain('aria-label="Notifications, 2 unread"');
		const page = await request(`${org.origin}/notifications`, { cookie });
		expect(page.text).toContain("2 unread.");
		expect(page.text).not.toContain("Colleague's");

		const [first] = (await inbox(org.id, user.id)).filter((n) => n.title === "First");
		const open = await request(`${org.origin}/notifications/${first?.id}/open`, { cookie });
		expect(open.headers.get("location")).toBe("/account");
		expect((await request(`${org.origin}/notifications/${first?.id}/read`, { method: "POST", cookie })).status).toBe(
			303,
		);
		expect((await request(`${org.origin}/notifications/badge`, { cookie })).text).toContain("1 unread");

		const [theirs] = await inbox(org.id, colleague.id);
		const [foreign] = await inbox(other.id, stranger.id);
		expect((await request(`${org.origin}/notifications/${theirs?.id}/read`, { method: "POST", cookie })).status).toBe(
			404,
		);
		expect((await request(`${org.origin}/notifications/${foreign?.id}/read`, { method: "POST", cookie })).status).toBe(
			404,
		);
		expect((await inbox(org.id, colleague.id))[0]?.readAt).toBeNull();

		await request(`${org.origin}/notifications/read-all`, { method: "POST", cookie });
		expect((await inbox(org.id, user.id)).every((n) => n.readAt !== null)).toBe(true);
		expect((await request(`${org.origin}/notifications/badge`, { cookie })).text).toContain("none unread");
	});

	it("are written by the features that exist: an accepted invitation tells the team's admins", async () => {
		const org = await createOrg({ planId: "pln_pro" });
		const admin = await createUser(org, "admin");
		const cookie = await signIn(org, admin.email);
		const email = `joiner-${org.slug}@example.test`;
		await request(`${org.origin}/team/invitations`, { form: { emails: email, roleId: "rol_builtin_member" }, cookie });
		const [mail] = await mailsTo(email);
		const token = /token=([A-Za-z0-9_-]+)/.exec(mail?.text ?? "")?.[1] ?? "";
		await request(`${org.origin}/invitation/accept`, {
			form: { token, name: "Joiner", password: "a long enough passphrase" },
		});
		expect((await inbox(org.id, admin.id)).map((n) => n.title)).toEqual([`Joiner joined ${org.name}`]);
	});

	it("are pruned by housekeeping after 90 days", async () => {
		const org = await createOrg();
		const user = await createUser(org, "member");
		const old = newId("evt");
		await testDb()
			.insert(notifications)
			.values({
				id: old,
				orgId: org.id,
				userId: user.id,
				category: "product",
				title: "Old",
				body: "x",
				createdAt: Date.now() - 91 * 86_400_000,
			});
		await notify(ctx(org), { userIds: [user.id] }, { category: "support", title: "New", body: "y" });
		await runJob("housekeeping", env, Date.now(), [org.id]);
		expect((await inbox(org.id, user.id)).map((n) => n.title)).toEqual(["New"]);
	});
});

describe("first-run guide", () => {
	it("tours a new member once, and ticks the Owner's checklist off from real state", async () => {
		const org = await createOrg({ planId: "pln_pro" });
		const owner = await createUser(org, "owner");
		await testDb().update(users).set({ emailVerifiedAt: null }).where(eq(users.id, owner.id));
		const cookie = await signIn(org, owner.email);
		let home = await request(`${org.origin}/`, { cookie });
		expect(home.text).toContain("A quick tour");
		expect(home.text).toContain("Getting started");
		expect(home.text).toContain("4 of 5 left");

		await testDb().update(users).set({ emailVerifiedAt: Date.now() }).where(eq(users.id, owner.id));
		await request(`${org.origin}/team/invitations`, {
			form: { emails: `mate-${org.slug}@example.test`, roleId: "rol_builtin_member" },
			cookie,
		});
		home = await request(`${org.origin}/`, { cookie });
		expect(home.text).toContain("2 of 5 left");
		await testDb().update(organizations).set({ brandPrimary: "#1d4ed8" }).where(eq(organizations.id, org.id));
		home = await request(`${org.origin}/`, { cookie });
		expect(home.text).toContain("1 of 5 left");

		expect((await request(`${org.origin}/onboarding/tour/done`, { method: "POST", cookie })).status).toBe(303);
		home = await request(`${org.origin}/`, { cookie });
		expect(home.text).not.toContain("A quick tour");
		await request(`${org.origin}/onboarding/checklist/dismiss`, { method: "POST", cookie });
		expect((await request(`${org.origin}/`, { cookie })).text).not.toContain("Getting started");
		const [m] = await testDb().select().from(memberships).where(eq(memberships.userId, owner.id));
		expect(m?.tourDoneAt).toEqual(expect.any(Number));
	});

	it("shows a Member the tour of their own places and no checklist", async () => {
		const org = await createOrg();
		const member = await createUser(org, "member");
		const home = await request(`${org.origin}/`, { cookie: await signIn(org, member.email) });
		expect(home.text).toContain("A quick tour");
		expect(home.text).toContain('data-target="/team"');
		expect(home.text).not.toContain('data-target="/audit"');
		expect(home.text).not.toContain("Getting started");
	});
});
