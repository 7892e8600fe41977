// The operator console: a separate identity with TOTP required, out of customers' reach, replies that
// reach the customer, read-only "view as", suspend/restore, the knowledge-base editor and the metrics.
import { env } from "cloudflare:workers";
import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
	auditEvents,
	kbArticles,
	mailOutbox,
	notifications,
	operatorAuditEvents,
	operatorSessions,
	operators,
	portalEvents,
	portalMetricsDaily,
	retentionOffers,
	sessions,
	ticketMessages,
	tickets,
	users,
} from "../../src/db/schema.ts";
import { runJob } from "../../src/jobs/scheduled.ts";
import { newId } from "../../src/lib/ids.ts";
import { dayTotals, weeklyReport } from "../../src/metrics/report.ts";
import { APEX, createOperator, currentCode, opsSignIn } from "../support/ops.ts";
import {
	cookieFrom,
	createOrg,
	createUnreachableOrg,
	createUser,
	followTicket,
	PASSWORD,
	request,
	signIn,
	type TestOrg,
	testDb,
} from "../support/worker.ts";

async function memberTicket(org: TestOrg) {
	const member = await createUser(org, "member");
	const cookie = await signIn(org, member.email);
	const form = new FormData();
	form.set("subject", "Where is my invoice?");
	form.set("category", "billing");
	form.set("description", "The invoice for March is missing.");
	await request(`${org.origin}/support/tickets`, { method: "POST", cookie, body: form });
	const [ticket] = await testDb().select().from(tickets).where(eq(tickets.orgId, org.id));
	if (!ticket) throw new Error("ticket not filed");
	return { member, cookie, ticket };
}

describe("operator sign-in", () => {
	it("keeps the console away from customers", async () => {
		const org = await createOrg();
		const owner = await createUser(org, "owner");
		const cookie = await signIn(org, owner.email);
		expect((await request(`${org.origin}/ops`, { cookie })).status).toBe(404);
		expect((await request(`${org.origin}/ops/tickets`, { cookie })).status).toBe(404);
		const anonymous = await request(`${APEX}/ops`);
		expect([anonymous.status, anonymous.headers.get("location")]).toEqual([303, "/ops/sign-in"]);
		const asCustomer = await request(`${APEX}/ops/sign-in`, { form: { email: owner.email, password: PASSWORD } });
		expect(asCustomer.status).toBe(401);
		expect(cookieFrom(asCustomer)).toBeUndefined();
		// A portal session cookie is not a console session, even presented on the apex.
		const withPortalCookie = await request(`${APEX}/ops`, { cookie: cookie.replace(/^[^=]+/, "portico_ops") });
		expect(withPortalCookie.status).toBe(303);
	});

	it("requires enrolling TOTP on the first sign-in and a fresh code on every one", async () => {
		const operator = await createOperator(false);
		const res = await request(`${APEX}/ops/sign-in`, { form: { email: operator.email, password: PASSWORD } });
		const cookie = cookieFrom(res);
		expect(res.headers.get("location")).toBe("/ops/mfa");
		expect((await request(`${APEX}/ops`, { cookie })).headers.get("location")).toBe("/ops/mfa");
		const enrol = await request(`${APEX}/ops/mfa`, { cookie });
		expect(enrol.text).toContain("Set up two-step verification");
		const [stored] = await testDb().select().from(operators).where(eq(operators.id, operator.id));
		const secret = stored?.totpSecret ?? "";
		expect(enrol.text).toContain(secret);
		expect((await request(`${APEX}/ops/mfa`, { cookie, form: { code: "000000" } })).status).toBe(422);
		const code = await currentCode(secret);
		expect((await request(`${APEX}/ops/mfa`, { cookie, form: { code } })).headers.get("location")).toBe("/ops");
		expect((await request(`${APEX}/ops`, { cookie })).status).toBe(200);
		// The same code cannot be used again on another sign-in.
		const again = cookieFrom(
			await request(`${APEX}/ops/sign-in`, { form: { email: operator.email, password: PASSWORD } }),
		);
		expect((await request(`${APEX}/ops/mfa`, { cookie: again, form: { code } })).status).toBe(422);
		const log = await testDb()
			.select()
			.from(operatorAuditEvents)
			.where(eq(operatorAuditEvents.operatorId, operator.id));
		expect(log.map((e) => e.action).sort()).toEqual([
			"operator.mfa_enrolled",
			"operator.mfa_failed",
			"operator.mfa_failed",
		]);
	});
});

describe("tickets in the console", () => {
	it("delivers an operator's reply to the customer, keeps internal notes internal, and audits both", async () => {
		const org = await createOrg();
		const { member, cookie, ticket } = await memberTicket(org);
		const ops = await opsSignIn(await createOperator());
		const inbox = await request(`${APEX}/ops/tickets?status=open`, { cookie: ops });
		expect(inbox.text).toContain(`/ops/tickets/${org.id}/${ticket.id}`);
		const page = await request(`${APEX}/ops/tickets/${org.id}/${ticket.id}`, { cookie: ops });
		expect(page.text).toContain("Requester&#39;s role");
		const reads = await testDb().select().from(operatorAuditEvents).where(eq(operatorAuditEvents.orgId, org.id));
		expect(reads.map((e) => [e.action, e.targetId])).toContainEqual(["operator.ticket_viewed", ticket.id]);
		const base = `${APEX}/ops/tickets/${org.id}/${ticket.id}`;
		expect(
			(
				await request(`${base}/reply`, {
					cookie: ops,
					form: { body: "Check the customer's plan first.", internal: "on", status: "open" },
				})
			).status,
		).toBe(303);
		const reply = new FormData();
		reply.set("body", "Your March invoice is under Billing → Invoices.");
		reply.set("status", "waiting");
		reply.append("attachments", new File(["%PDF-1.4 invoice"], "march.pdf", { type: "application/pdf" }));
		expect((await request(`${base}/reply`, { method: "POST", cookie: ops, body: reply })).status).toBe(303);
		const [mail] = await testDb().select().from(mailOutbox).where(eq(mailOutbox.to, member.email));
		expect(mail?.subject).toContain("Support replied: Where is my invoice?");
		const inApp = await testDb()
			.select()
			.from(notifications)
			.where(and(eq(notifications.orgId, org.id), eq(notifications.userId, member.id)));
		expect(inApp.map((n) => n.link)).toEqual([`/support/tickets/${ticket.id}`]);
		const customerView = await request(`${org.origin}/support/tickets/${ticket.id}`, { cookie });
		expect(customerView.text).toContain("Your March invoice is under Billing");
		expect(customerView.text).not.toContain("Check the customer");
		expect(customerView.text).toContain("Waiting on customer");
		const file = /href="(\/support\/attachments\/att_[0-9a-z]+)"/.exec(customerView.text)?.[1];
		const download = await request(`${org.origin}${file}`, { cookie });
		expect([download.status, download.headers.get("content-type"), download.text]).toEqual([
			200,
			"application/pdf",
			"%PDF-1.4 invoice",
		]);
		const events = await testDb().select().from(auditEvents).where(eq(auditEvents.orgId, org.id));
		const byOperator = events.filter((e) => e.actorType === "operator").map((e) => e.action);
		expect(byOperator.sort()).toEqual(["ticket.internal_note_added", "ticket.replied_by_support"]);
	});

	it("filters the inbox by organization address and finds organizations in the directory", async () => {
		const org = await createOrg();
		const other = await createOrg();
		const mine = await memberTicket(org);
		const theirs = await memberTicket(other);
		const ops = await opsSignIn(await createOperator());
		const filtered = await request(`${APEX}/ops/tickets?org=${org.slug}`, { cookie: ops });
		expect(filtered.text).toContain(`/ops/tickets/${org.id}/${mine.ticket.id}`);
		expect(filtered.text).not.toContain(theirs.ticket.id);
		const unknown = await request(`${APEX}/ops/tickets?org=no-such-org`, { cookie: ops });
		expect(unknown.text).toContain("No organization has the address no-such-org.");
		expect((await request(`${APEX}/ops/tickets?org=${encodeURIComponent("<x>")}`, { cookie: ops })).status).toBe(422);
		const directory = await request(`${APEX}/ops/tenants?q=${org.slug}`, { cookie: ops });
		expect(directory.text).toContain(`/ops/tenants/${org.id}`);
		expect(directory.text).not.toContain(`/ops/tenants/${other.id}`);
		// Search characters are text, not patterns.
		expect((await request(`${APEX}/ops/tenants?q=%25`, { cookie: ops })).text).toContain("No organization matches.");
	});

	it("keeps the inbox working when a dedicated database cannot be read", async () => {
		const org = await createOrg();
		const { ticket } = await memberTicket(org);
		await createUnreachableOrg();
		const ops = await opsSignIn(await createOperator());
		const inbox = await request(`${APEX}/ops/tickets`, { cookie: ops });
		expect(inbox.status).toBe(200);
		expect(inbox.text).toContain(`/ops/tickets/${org.id}/${ticket.id}`);
		expect(inbox.text).toMatch(/could not be read just now/);
	});

	it("answers 404 for a ticket under the wrong organization and refuses an empty reply", async () => {
		const org = await createOrg();
		const other = await createOrg();
		const { ticket } = await memberTicket(org);
		const ops = await opsSignIn(await createOperator());
		expect((await request(`${APEX}/ops/tickets/${other.id}/${ticket.id}`, { cookie: ops })).status).toBe(404);
		const empty = await request(`${APEX}/ops/tickets/${org.id}/${ticket.id}/reply`, {
			cookie: ops,
			form: { body: "", status: "open" },
		});
		expect(empty.status).toBe(422);
		const messages = await testDb().select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticket.id));
		expect(messages).toHaveLength(1);
	});
});

describe("organizations in the console", () => {
	it("views the portal as a member, read-only, recorded in the organization's audit log", async () => {
		// The organization requires MFA and the member has none: the view shows the portal, it enrols nothing.
		const org = await createOrg({ requireMfa: true });
		const member = await createUser(org, "member");
		const ops = await opsSignIn(await createOperator());
		const start = await request(`${APEX}/ops/tenants/${org.id}/view-as`, { cookie: ops, form: { userId: member.id } });
		const location = start.headers.get("location") ?? "";
		expect(location).toMatch(new RegExp(`^${org.origin}/sign-in/ticket\\?token=`));
		const landed = await followTicket(start, ops);
		const cookie = cookieFrom(landed);
		expect(landed.headers.get("location")).toBe("/");
		const home = await request(`${org.origin}/`, { cookie });
		expect(home.status).toBe(200);
		expect(home.text).toContain("Read-only view as");
		const write = await request(`${org.origin}/account/profile`, {
			cookie,
			form: { name: "Changed", timeZone: "UTC", locale: "en-US" },
		});
		expect(write.status).toBe(403);
		const [user] = await testDb().select().from(users).where(eq(users.id, member.id));
		expect(user?.name).toBe(member.name);
		// Nor does a GET that would write for the member: opening a notification leaves it unread.
		const noteId = newId("evt");
		await testDb().insert(notifications).values({
			id: noteId,
			orgId: org.id,
			userId: member.id,
			category: "team",
			title: "Hello",
			body: "Hi",
			link: "/team",
		});
		const open = await request(`${org.origin}/notifications/${noteId}/open`, { cookie });
		expect(open.status).toBe(303);
		const [note] = await testDb().select().from(notifications).where(eq(notifications.id, noteId));
		expect(note?.readAt).toBeNull();
		const [session] = await testDb().select().from(sessions).where(eq(sessions.userId, member.id));
		expect(session?.viewAsOperatorId).not.toBeNull();
		expect((session?.absoluteExpiresAt ?? 0) - Date.now()).toBeLessThanOrEqual(30 * 60 * 1000);
		const events = await testDb().select().from(auditEvents).where(eq(auditEvents.orgId, org.id));
		expect(events.map((e) => [e.actorType, e.action])).toContainEqual(["operator", "operator.view_as_started"]);
		expect(events.map((e) => e.action)).not.toContain("auth.sign_in");
	});

	it("refuses view-as for someone who is not a member", async () => {
		const org = await createOrg();
		const outsider = await createUser(await createOrg(), "owner");
		const ops = await opsSignIn(await createOperator());
		const res = await request(`${APEX}/ops/tenants/${org.id}/view-as`, { cookie: ops, form: { userId: outsider.id } });
		expect(res.status).toBe(404);
	});

	it("suspends and restores an organization", async () => {
		const org = await createOrg();
		const ops = await opsSignIn(await createOperator());
		expect((await request(`${APEX}/ops/tenants/${org.id}/suspend`, { cookie: ops, form: {} })).status).toBe(303);
		expect((await request(`${org.origin}/sign-in`)).status).toBe(403);
		expect((await request(`${APEX}/ops/tenants/${org.id}/suspend`, { cookie: ops, form: {} })).status).toBe(409);
		expect((await request(`${APEX}/ops/tenants/${org.id}/restore`, { cookie: ops, form: {} })).status).toBe(303);
		expect((await request(`${org.origin}/sign-in`)).status).toBe(200);
		const events = await testDb().select().from(auditEvents).where(eq(auditEvents.orgId, org.id));
		expect(events.map((e) => e.action)).toEqual(["organization.suspended", "organization.unsuspended"]);
	});
});

describe("knowledge base editor", () => {
	it("publishes an article whose title and body can carry no markup, and refuses bad input", async () => {
		const ops = await opsSignIn(await createOperator());
		const slug = `editor-${Date.now().toString(36)}`;
		const form = {
			title: "<script>alert(1)</script> Quokka setup",
			slug,
			category: "Getting started",
			body: "Use the **quokka** switch.\n\n<script>alert(2)</script>",
			status: "published",
		};
		for (const bad of [{ slug: "Not A Slug" }, { title: "" }, { category: "Nope" }, { body: "" }]) {
			const res = await request(`${APEX}/ops/articles`, { cookie: ops, form: { ...form, ...bad } });
			expect(res.status, JSON.stringify(bad)).toBe(422);
		}
		expect(await testDb().select().from(kbArticles).where(eq(kbArticles.slug, slug))).toEqual([]);
		expect((await request(`${APEX}/ops/articles`, { cookie: ops, form })).status).toBe(303);
		expect((await request(`${APEX}/ops/articles`, { cookie: ops, form })).status).toBe(422);
		const org = await createOrg();
		const page = await request(`${org.origin}/help/articles/${slug}`);
		expect(page.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt; Quokka setup");
		expect(page.text).not.toContain("<script>alert");
		const search = await request(`${org.origin}/help/search?q=quokka`, { headers: { "hx-request": "true" } });
		expect(search.text).toContain(slug);
		const [article] = await testDb().select().from(kbArticles).where(eq(kbArticles.slug, slug));
		expect((await request(`${APEX}/ops/articles/${article?.id}/delete`, { cookie: ops, form: {} })).status).toBe(303);
		expect(
			(await request(`${org.origin}/help/search?q=quokka`, { headers: { "hx-request": "true" } })).text,
		).not.toContain(slug);
	});
});

describe("housekeeping", () => {
	it("removes expired console sessions and portal events past retention", async () => {
		const operator = await createOperator();
		const org = await createOrg();
		const db = testDb();
		const old = Date.now() - 401 * 86_400_000;
		await db.batch([
			db.insert(operatorSessions).values({
				id: newId("ops"),
				tokenHash: `expired-${operator.id}`,
				operatorId: operator.id,
				expiresAt: Date.now() - 1000,
				absoluteExpiresAt: Date.now() + 1000,
			}),
			db.insert(portalEvents).values([
				{ id: newId("pev"), orgId: org.id, sessionId: "s", userId: "u", kind: "sign_in", createdAt: old },
				{ id: newId("pev"), orgId: org.id, sessionId: "s", userId: "u", kind: "sign_in", createdAt: Date.now() },
			]),
		]);
		await runJob("housekeeping", env, Date.now(), [org.id]);
		expect(await db.select().from(operatorSessions).where(eq(operatorSessions.operatorId, operator.id))).toEqual([]);
		const left = await db.select().from(portalEvents).where(eq(portalEvents.orgId, org.id));
		expect(left.map((e) => e.createdAt > old)).toEqual([true]);
	});
});

describe("portal metrics", () => {
	it("adds day totals into weekly shares against the targets", () => {
		const day = (
			d: string,
			orgs: number,
			adopted: number,
			active: number,
			self: number,
			sugg: number,
			defl: number,
		) => ({
			day: d,
			organizations: orgs,
			adopted,
			activeSessions: active,
			selfServedSessions: self,
			suggestionSessions: sugg,
			deflectedSessions: defl,
		});
		const weeks = weeklyReport(
			dayTotals(
				[
					day("2026-11-16", 1, 1, 10, 9, 4, 3),
					day("2026-11-17", 2, 1, 10, 8, 0, 0),
					day("2026-11-23", 1, 1, 0, 0, 0, 0),
				],
				[
					{ day: "2026-11-16", category: "billing", count: 1 },
					{ day: "2026-11-17", category: "billing", count: 2 },
					{ day: "2026-11-23", category: "billing", count: 1 },
					{ day: "2026-12-01", category: "billing", count: 9 },
				],
			),
		);
		expect(weeks.map((w) => w.week)).toEqual(["2026-11-16", "2026-11-23"]);
		expect(weeks[0]).toMatchObject({ adoption: 50, selfService: 85, deflection: 75, ticketTotal: 3 });
		expect(weeks[1]).toMatchObject({ adoption: 100, selfService: null, deflection: null });
	});

	it("shows the metrics computed by the daily job and exports them as CSV", async () => {
		const org = await createOrg();
		const member = await createUser(org, "member");
		await signIn(org, member.email);
		await runJob("housekeeping", env, Date.now(), [org.id]);
		const [row] = await testDb()
			.select()
			.from(portalMetricsDaily)
			.where(eq(portalMetricsDaily.orgId, org.id))
			.orderBy(desc(portalMetricsDaily.day));
		expect(row?.adopted).toBe(true);
		const ops = await opsSignIn(await createOperator());
		const page = await request(`${APEX}/ops`, { cookie: ops });
		expect(page.status).toBe(200);
		expect(page.text).toContain("Self-service completion");
		expect(page.text).toMatch(/aria-label="Tickets per week: /);
		const csv = await request(`${APEX}/ops/metrics.csv`, { cookie: ops });
		expect(csv.headers.get("content-type")).toContain("text/csv");
		expect(csv.text.split("\r\n")[0]).toContain("week,adoption_percent,self_service_percent,deflection_percent");
		expect(csv.text.split("\r\n").length).toBeGreaterThan(2);
	});
});

describe("retention offers in the console", () => {
	it("saves an offer per reason in the operator log, refuses incomplete ones, and counts offers on the metrics page", async () => {
		const ops = await opsSignIn(await createOperator());
		const incomplete = await request(`${APEX}/ops/retention/missing_features`, {
			cookie: ops,
			form: { kind: "discount", percentOff: "30", months: "", planId: "" },
		});
		expect(incomplete.status).toBe(422);
		expect(incomplete.text).toContain("A discount needs its percent off and its number of months.");
		expect(await testDb().select().from(retentionOffers).where(eq(retentionOffers.reason, "missing_features"))).toEqual(
			[],
		);
		const saved = await request(`${APEX}/ops/retention/missing_features`, {
			cookie: ops,
			form: { kind: "discount", percentOff: "30", months: "3", planId: "" },
		});
		expect(saved.status).toBe(303);
		const [row] = await testDb().select().from(retentionOffers).where(eq(retentionOffers.reason, "missing_features"));
		expect(row).toMatchObject({ kind: "discount", percentOff: 30, months: 3, planId: null });
		const page = await request(`${APEX}/ops/retention`, { cookie: ops });
		expect(page.text).toContain("It is missing something we need");
		const log = await request(`${APEX}/ops/audit`, { cookie: ops });
		expect(log.text).toContain("operator.retention_offer_saved");
		const metrics = await request(`${APEX}/ops`, { cookie: ops });
		expect(metrics.text).toContain("Retention offers");
		await request(`${APEX}/ops/retention/missing_features`, { cookie: ops, form: { kind: "none" } });
		expect(await testDb().select().from(retentionOffers).where(eq(retentionOffers.reason, "missing_features"))).toEqual(
			[],
		);
		expect((await request(`${APEX}/ops/retention/not_a_reason`, { cookie: ops, form: { kind: "none" } })).status).toBe(
			422,
		);
	});
});
