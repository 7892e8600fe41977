import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
	auditEvents,
	dataExports,
	deletionRecords,
	memberships,
	organizations,
	sessions,
	ticketMessages,
	tickets,
	users,
} from "../../src/db/schema.ts";
import { runJob } from "../../src/jobs/scheduled.ts";
import { newId } from "../../src/lib/ids.ts";
import {
	auditActions,
	createOrg,
	createUser,
	lastMailTo,
	linkIn,
	PASSWORD,
	request,
	signIn,
	testDb,
} from "../support/worker.ts";
import { unzip } from "../support/zip.ts";

const PNG = Uint8Array.from(
	atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/jVYhNAAAAABJRU5ErkJggg=="),
	(c) => c.charCodeAt(0),
);

function upload(field: string, bytes: Uint8Array, type: string, name: string) {
	const form = new FormData();
	form.set(field, new File([bytes as Uint8Array<ArrayBuffer>], name, { type }));
	return form;
}

async function orgRow(id: string) {
	const [row] = await testDb().select().from(organizations).where(eq(organizations.id, id));
	return row;
}

const details = {
	name: "Acme Holdings",
	billingEmail: "billing@acme.test",
	line1: "1 Main St",
	line2: "",
	city: "Berlin",
	postalCode: "10115",
	state: "",
	country: "de",
	taxIdType: "eu_vat",
	taxIdValue: "de 123 456 789",
};

describe("organization settings", () => {
	it("saves details with a normalised tax ID and audits what changed; a Member gets 403 and nothing is written", async () => {
		const org = await createOrg();
		const admin = await createUser(org, "admin");
		const member = await createUser(org, "member");
		const denied = await request(`${org.origin}/settings`, { form: details, cookie: await signIn(org, member.email) });
		expect(denied.status).toBe(403);
		expect((await orgRow(org.id))?.billingEmail).toBeNull();

		const res = await request(`${org.origin}/settings`, { form: details, cookie: await signIn(org, admin.email) });
		expect(res.status, res.text).toBe(303);
		const row = await orgRow(org.id);
		expect(row).toMatchObject({
			name: "Acme Holdings",
			billingEmail: "billing@acme.test",
			taxIdType: "eu_vat",
			taxIdValue: "DE123456789",
		});
		expect(row?.billingAddress).toMatchObject({ line1: "1 Main St", city: "Berlin", country: "DE" });
		const [event] = await testDb()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.orgId, org.id), eq(auditEvents.action, "organization.settings_changed")));
		expect(event?.metadata).toMatchObject({ name: { before: org.name, after: "Acme Holdings" } });
	});

	it.each([
		[{ taxIdType: "eu_vat", taxIdValue: "DE12345" }, "not a valid EU VAT number"],
		[{ taxIdType: "au_abn", taxIdValue: "51824753557" }, "not a valid Australian ABN"],
		[{ taxIdType: "gb_vat", taxIdValue: "123456789" }, "not a valid UK VAT number"],
		[{ taxIdType: "us_ein", taxIdValue: "12-34567" }, "not a valid US EIN"],
		[{ taxIdType: "mars_tax", taxIdValue: "1" }, "Choose a tax ID type"],
		[{ name: "x".repeat(81) }, "at most 80 characters"],
		[{ name: "Bad\u0007Name" }, "cannot contain control characters"],
		[{ billingEmail: "nope" }, "valid email address"],
		[{ city: "" }, "needs line 1, city, postal code and country"],
	])("refuses %o with a clear message and writes nothing", async (change, message) => {
		const org = await createOrg();
		const admin = await createUser(org, "admin");
		const res = await request(`${org.origin}/settings`, {
			form: { ...details, ...change },
			cookie: await signIn(org, admin.email),
		});
		expect(res.status).toBe(422);
		expect(res.text).toContain(message);
		expect((await orgRow(org.id))?.name).toBe(org.name);
	});

	it("accepts the valid forms of other schemes", async () => {
		const org = await createOrg();
		const cookie = await signIn(org, (await createUser(org, "admin")).email);
		for (const [taxIdType, taxIdValue] of [
			["au_abn", "51 824 753 556"],
			["us_ein", "12-3456789"],
			["gb_vat", "GB123456789"],
			["ca_bn", "123456789"],
		]) {
			const res = await request(`${org.origin}/settings`, {
				form: { ...details, taxIdType: taxIdType ?? "", taxIdValue: taxIdValue ?? "" },
				cookie,
			});
			expect(res.status, `${taxIdType} ${taxIdValue}`).toBe(303);
		}
	});

	it("renders HTML in a name as text, never as markup", async () => {
		const org = await createOrg();
		const cookie = await signIn(org, (await createUser(org, "admin")).email);
		await request(`${org.origin}/settings`, { form: { ...details, name: "<b>Bold</b> & Co" }, cookie });
		const page = await request(`${org.origin}/`, { cookie });
		expect(page.text).toContain("&lt;b&gt;Bold&lt;/b&gt; &amp; Co");
		expect(page.text).not.toContain("<b>Bold</b>");
	});
});

describe("logo", () => {
	it("stores a real image in the bucket, shows it in the layout, and refuses other files", async () => {
		const org = await createOrg();
		const other = await createOrg();
		const cookie = await signIn(org, (await createUser(org, "admin")).email);
		const text = await request(`${org.origin}/settings/logo`, {
			body: upload("logo", new TextEncoder().encode("just text"), "image/png", "fake.png"),
			cookie,
		});
		expect(text.status).toBe(422);
		expect(text.text).toContain("Use a PNG, JPEG, GIF or WebP image");
		const svg = await request(`${org.origin}/settings/logo`, {
			body: upload("logo", new TextEncoder().encode("<svg onload=alert(1)>"), "image/svg+xml", "x.svg"),
			cookie,
		});
		expect(svg.status).toBe(422);
		const big = new Uint8Array(300 * 1024);
		big.set(PNG);
		const huge = await request(`${org.origin}/settings/logo`, {
			body: upload("logo", big, "image/png", "big.png"),
			cookie,
		});
		expect(huge.status).toBe(422);
		expect(huge.text).toContain("larger than 256 KB");
		expect((await orgRow(org.id))?.logoUrl).toBeNull();

		const ok = await request(`${org.origin}/settings/logo`, {
			body: upload("logo", PNG, "image/png", "logo.png"),
			cookie,
		});
		expect(ok.status, ok.text).toBe(303);
		const logoUrl = (await orgRow(org.id))?.logoUrl ?? "";
		expect(logoUrl).toMatch(new RegExp(`^/files/logos/${org.id}/[A-Za-z0-9_-]+\\.png$`));
		expect((await request(`${org.origin}/sign-in`)).text).toContain(`<img src="${logoUrl}"`);
		const served = await request(`${org.origin}${logoUrl}`);
		expect(served.status).toBe(200);
		expect(served.headers.get("content-type")).toBe("image/png");
		expect((await request(`${other.origin}${logoUrl}`)).status).toBe(404);
	});
});

describe("personal settings", () => {
	it("changes name, time zone and language, shown in the header, and refuses unknown zones", async () => {
		const org = await createOrg();
		const user = await createUser(org, "member");
		const cookie = await signIn(org, user.email);
		const bad = await request(`${org.origin}/account/profile`, {
			form: { name: "New Name", timeZone: "Mars/Olympus", locale: "en-US" },
			cookie,
		});
		expect(bad.status).toBe(422);
		expect(bad.text).toContain("Choose a time zone");
		const ok = await request(`${org.origin}/account/profile`, {
			form: { name: "New Name", timeZone: "Europe/Berlin", locale: "de-DE" },
			cookie,
		});
		expect(ok.status).toBe(303);
		const [row] = await testDb().select().from(users).where(eq(users.id, user.id));
		expect(row).toMatchObject({ name: "New Name", timeZone: "Europe/Berlin", locale: "de-DE" });
		expect((await request(`${org.origin}/`, { cookie })).text).toContain("New Name");
	});

	it("uploads a picture shown to members of the organization", async () => {
		const org = await createOrg();
		const user = await createUser(org, "member");
		const cookie = await signIn(org, user.email);
		expect(
			(await request(`${org.origin}/account/avatar`, { body: upload("avatar", PNG, "image/png", "me.png"), cookie }))
				.status,
		).toBe(303);
		const home = await request(`${org.origin}/`, { cookie });
		const src = /<img src="(\/files\/avatars\/[^"]+)"/.exec(home.text)?.[1] ?? "";
		expect(src).toContain(user.id);
		expect((await request(`${org.origin}${src}`, { cookie })).status).toBe(200);
		expect((await request(`${org.origin}${src}`)).status).toBe(404);
	});

	it("refuses to delete the account of the last Owner, with the way out; deletes a member's", async () => {
		const org = await createOrg();
		const owner = await createUser(org, "owner");
		const member = await createUser(org, "member");
		const ownerCookie = await signIn(org, owner.email);
		const refused = await request(`${org.origin}/account/delete`, {
			form: { confirm: owner.email },
			cookie: ownerCookie,
		});
		expect(refused.status).toBe(409);
		expect(refused.text).toContain("only Owner");
		expect(refused.text).toContain("Make another member an Owner");

		const memberCookie = await signIn(org, member.email);
		expect(
			(await request(`${org.origin}/account/delete`, { form: { confirm: "wrong@example.test" }, cookie: memberCookie }))
				.status,
		).toBe(422);
		const done = await request(`${org.origin}/account/delete`, {
			form: { confirm: member.email },
			cookie: memberCookie,
		});
		expect(done.status).toBe(200);
		expect(await testDb().select().from(users).where(eq(users.id, member.id))).toEqual([]);
		expect(await testDb().select().from(sessions).where(eq(sessions.userId, member.id))).toEqual([]);
		expect(await auditActions(org.id)).toContain("user.deleted");
	});
});

describe("data export", () => {
	it("exports exactly this organization's rows, announced by email with a signed link", async () => {
		const org = await createOrg({ name: "Exporting Co" });
		const other = await createOrg({ name: "Other Co" });
		const admin = await createUser(org, "admin");
		const stranger = await createUser(other, "owner");
		await signIn(other, stranger.email);
		const cookie = await signIn(org, admin.email);
		const ticketId = newId("tix");
		const message = (body: string, internal: boolean) => ({
			id: newId("msg"),
			orgId: org.id,
			ticketId,
			authorType: internal ? ("operator" as const) : ("customer" as const),
			authorId: admin.id,
			authorLabel: "x",
			body,
			internal,
		});
		await testDb().batch([
			testDb()
				.insert(tickets)
				.values({
					id: ticketId,
					orgId: org.id,
					requesterId: admin.id,
					requesterLabel: admin.name,
					requesterEmail: admin.email,
					subject: "Exported ticket",
					category: "other",
					context: {} as never,
					lastActivityAt: Date.now(),
				}),
			testDb()
				.insert(ticketMessages)
				.values([message("customer words", false), message("internal words", true)]),
		]);
		const res = await request(`${org.origin}/settings/export`, { method: "POST", cookie });
		expect(res.status).toBe(303);
		const [record] = await testDb().select().from(dataExports).where(eq(dataExports.orgId, org.id));
		expect(record?.status).toBe("ready");
		const link = linkIn((await lastMailTo(admin.email))?.text, "/download?");
		const download = await exportsFetch(link);
		expect(download.status).toBe(200);
		expect(download.headers.get("content-type")).toBe("application/zip");
		const files = await unzip(new Uint8Array(await download.arrayBuffer()));
		expect(Object.keys(files).sort()).toEqual([
			"README.txt",
			"api_keys.json",
			"audit_log.csv",
			"audit_log.json",
			"domains.json",
			"invitations.csv",
			"members.csv",
			"members.json",
			"organization.json",
			"roles.json",
			"tickets.json",
		]);
		const exported = JSON.parse(files["tickets.json"] ?? "[]");
		expect(exported.map((t: { subject: string }) => t.subject)).toEqual(["Exported ticket"]);
		expect(JSON.stringify(exported)).toContain("customer words");
		expect(JSON.stringify(exported)).not.toContain("internal words");
		expect(JSON.parse(files["organization.json"] ?? "null")).toMatchObject({ id: org.id, name: "Exporting Co" });
		expect(files["members.csv"]).toContain(admin.email);
		const everything = Object.values(files).join("\n");
		expect(everything).not.toContain(stranger.email);
		expect(everything).not.toContain(other.id);
		expect(everything).not.toMatch(/scrypt\$|passwordHash|tokenHash/);
		expect(await auditActions(org.id)).toContain("export.requested");

		const tampered = new URL(link);
		tampered.searchParams.set("sig", "x".repeat(43));
		expect((await exportsFetch(tampered.toString())).status).toBe(404);
		expect((await exportsFetch(link.replace(org.origin, other.origin))).status).toBe(404);
	});

	it("lets any member export their own data, and not the organization's", async () => {
		const org = await createOrg();
		const member = await createUser(org, "member");
		const cookie = await signIn(org, member.email);
		expect((await request(`${org.origin}/settings/export`, { method: "POST", cookie })).status).toBe(403);
		expect((await request(`${org.origin}/account/export`, { method: "POST", cookie })).status).toBe(303);
		const files = await unzip(
			new Uint8Array(
				await (await exportsFetch(linkIn((await lastMailTo(member.email))?.text, "/download?"))).arrayBuffer(),
			),
		);
		expect(Object.keys(files)).toContain("profile.json");
		expect(JSON.parse(files["profile.json"] ?? "null")).toMatchObject({ email: member.email });
	});
});

async function exportsFetch(url: string) {
	const { exports } = await import("cloudflare:workers");
	return exports.default.fetch(new Request(url));
}

describe("danger zone", () => {
	it("schedules deletion with a recent sign-in and the slug, can be restored, and is purged after 30 days", async () => {
		const org = await createOrg();
		const owner = await createUser(org, "owner");
		const admin = await createUser(org, "admin");
		const adminCookie = await signIn(org, admin.email);
		expect(
			(await request(`${org.origin}/settings/danger/delete`, { form: { confirm: org.slug }, cookie: adminCookie }))
				.status,
		).toBe(403);

		const cookie = await signIn(org, owner.email);
		const wrong = await request(`${org.origin}/settings/danger/delete`, { form: { confirm: "nope" }, cookie });
		expect(wrong.status).toBe(422);
		expect((await orgRow(org.id))?.status).toBe("active");
		await testDb().update(sessions).set({ authenticatedAt: 0 }).where(eq(sessions.userId, owner.id));
		expect(
			(await request(`${org.origin}/settings/danger/delete`, { form: { confirm: org.slug }, cookie })).headers.get(
				"location",
			),
		).toBe("/account/confirm?next=%2Fsettings%2Fdanger");
		// The password step returns to the danger zone, not to the account page.
		const confirmPage = await request(`${org.origin}/account/confirm?next=%2Fsettings%2Fdanger`, { cookie });
		expect(confirmPage.text).toContain('name="next" value="/settings/danger"');
		const confirmed = await request(`${org.origin}/account/confirm`, {
			form: { password: PASSWORD, next: "/settings/danger" },
			cookie,
		});
		expect(confirmed.headers.get("location")).toBe("/settings/danger");
		expect((await request(`${org.origin}/settings/danger`, { cookie })).text).toContain(org.slug);

		const fresh = await signIn(org, owner.email);
		const deleted = await request(`${org.origin}/settings/danger/delete`, {
			form: { confirm: org.slug },
			cookie: fresh,
		});
		expect(deleted.status).toBe(303);
		expect(await testDb().select().from(sessions).where(eq(sessions.orgId, org.id))).toEqual([]);
		const closed = await request(`${org.origin}/`);
		expect(closed.status).toBe(410);
		expect(closed.text).toContain("restore the organization");

		const back = await signIn(org, owner.email);
		expect((await request(`${org.origin}/settings/danger/restore`, { method: "POST", cookie: back })).status).toBe(303);
		expect((await orgRow(org.id))?.status).toBe("active");
		expect(await auditActions(org.id)).toEqual(
			expect.arrayContaining(["organization.deletion_scheduled", "organization.restored"]),
		);

		// Delete again and let the grace period pass: housekeeping purges it.
		await request(`${org.origin}/settings/danger/delete`, { form: { confirm: org.slug }, cookie: back });
		await runJob("housekeeping", env, Date.now() + 29 * 86_400_000, [org.id]);
		expect(await orgRow(org.id)).toBeDefined();
		await runJob("housekeeping", env, Date.now() + 31 * 86_400_000, [org.id]);
		expect(await orgRow(org.id)).toBeUndefined();
		expect(await testDb().select().from(memberships).where(eq(memberships.orgId, org.id))).toEqual([]);
		expect(await testDb().select().from(auditEvents).where(eq(auditEvents.orgId, org.id))).toEqual([]);
		const [record] = await testDb().select().from(deletionRecords).where(eq(deletionRecords.orgId, org.id));
		expect(Object.keys(record ?? {}).sort()).toEqual(["orgId", "purgedAt", "requestedAt"]);
		expect((await request(`${org.origin}/`)).status).toBe(404);
		// Users themselves remain: they may belong to other organizations.
		expect(await testDb().select().from(users).where(eq(users.id, owner.id))).toHaveLength(1);
		void PASSWORD;
	});
});
