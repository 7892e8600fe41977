// Help centre, tickets and deflection, through the Worker against the real database: search ranking,
// safe Markdown, ticket context from the requester's own organization only, attachments, visibility,
// bad input that stores nothing, and the daily figures computed from portal events.
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_ARTICLES } from "../../dev/seed-help.ts";
import {
	auditEvents,
	kbArticles,
	mailOutbox,
	portalEvents,
	ticketAttachments,
	ticketMessages,
	tickets,
} from "../../src/db/schema.ts";
import { tenantData } from "../../src/db/tenant-data.ts";
import { newId } from "../../src/lib/ids.ts";
import { computeDailyMetrics } from "../../src/metrics/daily.ts";
import { sessionFigures } from "../../src/metrics/figures.ts";
import { createOrg, createUser, request, signIn, type TestOrg, testDb } from "../support/worker.ts";

// Articles are the vendor's, shared by every organization: this file's get a suffix of their own.
const SUFFIX = `s${Date.now().toString(36)}`;
const slugOf = (slug: string) => `${slug}-${SUFFIX}`;

beforeAll(async () => {
	await testDb()
		.insert(kbArticles)
		.values(
			DEMO_ARTICLES.map((a) => ({
				id: newId("art"),
				slug: slugOf(a.slug),
				title: a.title,
				category: a.category,
				body: a.body,
				status: "published" as const,
			})),
		);
});

async function ticketsOf(orgId: string) {
	return testDb().select().from(tickets).where(eq(tickets.orgId, orgId));
}

function ticketForm(fields: Record<string, string>, files: File[] = []) {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) form.set(k, v);
	for (const f of files) form.append("attachments", f);
	return form;
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

async function fileTicket(org: TestOrg, cookie: string, fields: Record<string, string>, files: File[] = []) {
	return request(`${org.origin}/support/tickets`, { method: "POST", cookie, body: ticketForm(fields, files) });
}

const firstLink = (html: string) => /href="\/help\/articles\/([a-z0-9-]+)/.exec(html)?.[1];

describe("knowledge base search", () => {
	it.each([
		["How do I download an invoice?", "download-an-invoice"],
		["invite someone to my team", "invite-a-teammate"],
		["cancel our subscription", "cancel-your-subscription"],
		["rotate an api key", "create-and-rotate-api-keys"],
		["I forgot my password", "reset-your-password"],
		["update credit card", "update-your-payment-method"],
		["upgrading plans", "change-your-plan"],
	])("finds the obvious article for %j", async (question, slug) => {
		const org = await createOrg();
		const res = await request(`${org.origin}/help/search?q=${encodeURIComponent(question)}`, {
			headers: { "hx-request": "true" },
		});
		expect(res.status).toBe(200);
		expect(firstLink(res.text), res.text.slice(0, 600)).toBe(slugOf(slug));
		expect(res.text).toContain("<mark>");
	});

	it("treats FTS syntax in the query as words, not as a query", async () => {
		const org = await createOrg();
		const res = await request(`${org.origin}/help?q=${encodeURIComponent('invoice" OR title:* NEAR(')}`);
		expect(res.status, res.text.slice(0, 300)).toBe(200);
		expect(res.text).toContain(slugOf("download-an-invoice"));
	});

	it("renders Markdown without letting markup or script through, and hides drafts", async () => {
		const org = await createOrg();
		const slug = `unsafe-${SUFFIX}`;
		await testDb()
			.insert(kbArticles)
			.values([
				{
					id: newId("art"),
					slug,
					title: "<img src=x onerror=alert(1)> Title",
					category: "Account",
					body: "Hello <script>alert(1)</script>\n\n[click](javascript:alert(2)) and [ok](https://example.com)\n\n<iframe src=x></iframe>",
					status: "published",
				},
				{
					id: newId("art"),
					slug: `draft-${SUFFIX}`,
					title: "Secret draft",
					category: "Account",
					body: "x",
					status: "draft",
				},
			]);
		const res = await request(`${org.origin}/help/articles/${slug}`);
		expect(res.status).toBe(200);
		expect(res.text).not.toContain("<script>alert");
		expect(res.text).not.toContain("<img src=x");
		expect(res.text).not.toContain("<iframe");
		expect(res.text).not.toContain("javascript:");
		expect(res.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
		expect(res.text).toContain('href="https://example.com"');
		expect((await request(`${org.origin}/help/articles/draft-${SUFFIX}`)).status).toBe(404);
	});

	it("counts one vote per member, changeable, and asks visitors to sign in", async () => {
		const org = await createOrg();
		const member = await createUser(org, "member");
		const cookie = await signIn(org, member.email);
		const slug = slugOf("export-your-data");
		const vote = (helpful: string, c?: string) =>
			request(`${org.origin}/help/articles/${slug}/vote`, { form: { helpful }, cookie: c });
		expect((await vote("yes")).status).toBe(303);
		expect((await vote("yes", cookie)).status).toBe(303);
		expect((await vote("no", cookie)).status).toBe(303);
		expect((await vote("maybe", cookie)).status).toBe(422);
		const [article] = await testDb().select().from(kbArticles).where(eq(kbArticles.slug, slug));
		expect([article?.helpfulYes, article?.helpfulNo]).toEqual([0, 1]);
	});
});

describe("tickets", () => {
	it("suggests articles while the person types", async () => {
		const org = await createOrg();
		const cookie = await signIn(org, (await createUser(org, "member")).email);
		const res = await request(`${org.origin}/support/suggest?subject=download+invoice&description=`, {
			cookie,
			headers: { "hx-request": "true" },
		});
		expect(res.status).toBe(200);
		expect(res.text).toContain(`/help/articles/${slugOf("download-an-invoice")}?from=suggest`);
		// Snippets are plain words: the articles' Markdown marks stay out.
		expect(res.text).toContain("<mark>");
		expect(res.text).not.toContain("**");
	});

	it("files a ticket with its attachment and the context of the requester's own organization", async () => {
		const org = await createOrg({ planId: "pln_pro" });
		const other = await createOrg();
		await testDb()
			.insert(auditEvents)
			.values({
				id: newId("evt"),
				orgId: other.id,
				actorType: "system",
				actorLabel: "x",
				action: "other.secret_event",
			});
		const member = await createUser(org, "member");
		const cookie = await signIn(org, member.email);
		const res = await fileTicket(
			org,
			cookie,
			{
				subject: "Invoice <b>missing</b>",
				category: "billing",
				description: "The March invoice is not on the billing page.",
			},
			[new File([PNG], "screen.png", { type: "image/png" })],
		);
		expect(res.status, res.text.slice(0, 400)).toBe(303);
		const [ticket] = await ticketsOf(org.id);
		expect(ticket?.subject).toBe("Invoice <b>missing</b>");
		expect(ticket?.context.organization.id).toBe(org.id);
		expect(ticket?.context.plan.key).toBe("pro");
		expect(ticket?.context.requester.role).toBe("Member");
		expect(ticket?.context.usage.map((u) => u.metric)).toContain("API calls");
		expect(ticket?.context.recentEvents.map((e) => e.action)).toContain("auth.sign_in");
		expect(JSON.stringify(ticket?.context)).not.toContain("other.secret_event");
		const [attachment] = await testDb().select().from(ticketAttachments).where(eq(ticketAttachments.orgId, org.id));
		expect(attachment?.contentType).toBe("image/png");
		expect(await env.FILES?.get(attachment?.objectKey ?? "")).not.toBeNull();
		const page = await request(`${org.origin}/support/tickets/${ticket?.id}`, { cookie });
		expect(page.text).toContain("Invoice &lt;b&gt;missing&lt;/b&gt;");
		const download = await request(`${org.origin}/support/attachments/${attachment?.id}`, { cookie });
		expect(download.status).toBe(200);
		expect(download.headers.get("content-disposition")).toContain("attachment");
		const events = await testDb().select().from(portalEvents).where(eq(portalEvents.orgId, org.id));
		expect(events.map((e) => e.kind).sort()).toEqual(["sign_in", "ticket"]);
		// The vendor's support team hears of it, with a link into the console.
		const alerts = await testDb().select().from(mailOutbox).where(eq(mailOutbox.to, "support-team@portico.test"));
		const alert = alerts.find((m) => m.text.includes(`/ops/tickets/${org.id}/${ticket?.id}`));
		expect(alert?.subject).toBe(`New ticket from ${org.name}: Invoice <b>missing</b>`);
		expect(alert?.text).toContain(`http://localhost/ops/tickets/${org.id}/${ticket?.id}`);
	});

	it.each([
		[{ subject: "", category: "billing", description: "Long enough description." }, [], "Enter the subject."],
		[{ subject: "Help", category: "billing", description: "x".repeat(10_001) }, [], "at most 10,000"],
		[{ subject: "Help me", category: "nonsense", description: "Long enough description." }, [], "Choose a category."],
		[
			{ subject: "Help me", category: "other", description: "Long enough description." },
			[new File(["<html><script>alert(1)</script>"], "photo.png", { type: "image/png" })],
			"photo.png is not really a .png file.",
		],
		[
			{ subject: "Help me", category: "other", description: "Long enough description." },
			[new File(["MZ\u0000\u0001"], "tool.exe", { type: "application/octet-stream" })],
			"attach images",
		],
		[
			{ subject: "Help me", category: "other", description: "Long enough description." },
			[new File([new Uint8Array(2 * 1024 * 1024 + 1)], "big.txt", { type: "text/plain" })],
			"larger than 2 MB",
		],
	] as const)("refuses bad input %# with a clear message and stores nothing", async (fields, files, message) => {
		const org = await createOrg();
		const cookie = await signIn(org, (await createUser(org, "member")).email);
		const res = await fileTicket(org, cookie, { ...fields }, [...files]);
		expect(res.status).toBe(422);
		expect(res.text).toContain(message);
		expect(await ticketsOf(org.id)).toEqual([]);
	});

	it("shows a ticket to its requester and to support:manage, and 404 to everyone else", async () => {
		const org = await createOrg();
		const other = await createOrg();
		const requester = await createUser(org, "member");
		const colleague = await createUser(org, "member");
		const admin = await createUser(org, "admin");
		const outsider = await createUser(other, "owner");
		const cookie = await signIn(org, requester.email);
		await fileTicket(org, cookie, { subject: "Mine", category: "account", description: "A description here." });
		const [ticket] = await ticketsOf(org.id);
		const path = `/support/tickets/${ticket?.id}`;
		expect((await request(`${org.origin}${path}`, { cookie })).status).toBe(200);
		expect((await request(`${org.origin}${path}`, { cookie: await signIn(org, colleague.email) })).status).toBe(404);
		expect((await request(`${org.origin}${path}`, { cookie: await signIn(org, admin.email) })).status).toBe(200);
		const outsiderCookie = await signIn(other, outsider.email);
		expect((await request(`${other.origin}${path}`, { cookie: outsiderCookie })).status).toBe(404);
		const reply = await request(`${other.origin}${path}/reply`, {
			cookie: outsiderCookie,
			body: ticketForm({ body: "hi" }),
		});
		expect(reply.status).toBe(404);
		const all = await request(`${org.origin}/support?scope=all`, { cookie: await signIn(org, admin.email) });
		expect(all.text).toContain("Mine");
	});

	it("pages the ticket list by cursor, 25 at a time", async () => {
		const org = await createOrg();
		const member = await createUser(org, "member");
		const cookie = await signIn(org, member.email);
		const base = Date.now() - 100_000;
		await testDb()
			.insert(tickets)
			.values(
				Array.from({ length: 26 }, (_, i) => ({
					id: newId("tix", base + i * 1000),
					orgId: org.id,
					requesterId: member.id,
					requesterLabel: member.name,
					requesterEmail: member.email,
					subject: `Paged ticket ${i}`,
					category: "other" as const,
					context: {} as never,
					lastActivityAt: base + i * 1000,
				})),
			);
		const first = await request(`${org.origin}/support`, { cookie });
		expect(first.text.match(/Paged ticket \d+</g)).toHaveLength(25);
		expect(first.text).toContain("Paged ticket 25<");
		const older = /href="(\/support\?scope=mine&amp;before=tix_[0-9a-z]+)"/
			.exec(first.text)?.[1]
			?.replaceAll("&amp;", "&");
		const second = await request(`${org.origin}${older}`, { cookie });
		expect(second.text.match(/Paged ticket \d+</g)).toEqual(["Paged ticket 0<"]);
		expect(second.text).not.toContain("Older tickets");
		expect((await request(`${org.origin}/support?before=nonsense`, { cookie })).status).toBe(422);
	});

	it("refuses replies to a resolved ticket until it is reopened", async () => {
		const org = await createOrg();
		const cookie = await signIn(org, (await createUser(org, "member")).email);
		await fileTicket(org, cookie, { subject: "Closing", category: "other", description: "Will be resolved." });
		const [ticket] = await ticketsOf(org.id);
		const base = `${org.origin}/support/tickets/${ticket?.id}`;
		expect((await request(`${base}/resolve`, { cookie, form: {} })).status).toBe(303);
		const refused = await request(`${base}/reply`, { cookie, body: ticketForm({ body: "One more thing" }) });
		expect(refused.status).toBe(409);
		expect(refused.text).toContain("Reopen it to reply");
		const messages = () =>
			testDb()
				.select()
				.from(ticketMessages)
				.where(eq(ticketMessages.ticketId, ticket?.id ?? ""));
		expect(await messages()).toHaveLength(1);
		expect((await request(`${base}/reopen`, { cookie, form: {} })).status).toBe(303);
		expect((await request(`${base}/reply`, { cookie, body: ticketForm({ body: "One more thing" }) })).status).toBe(303);
		expect(await messages()).toHaveLength(2);
		expect((await request(`${base}/reply`, { cookie, body: ticketForm({ body: "   " }) })).status).toBe(422);
		expect(await messages()).toHaveLength(2);
	});
});

describe("deflection and self-service", () => {
	it("counts a deflection only when a suggested article was opened and no ticket followed in that session", async () => {
		const org = await createOrg();
		const a = await createUser(org, "member");
		const b = await createUser(org, "member");
		const c = await createUser(org, "member");
		const article = `/help/articles/${slugOf("download-an-invoice")}`;
		// A: opens a suggestion and leaves. B: opens a suggestion, then files a ticket. C: reads without a suggestion.
		const cookieA = await signIn(org, a.email);
		await request(`${org.origin}${article}?from=suggest`, { cookie: cookieA });
		const cookieB = await signIn(org, b.email);
		await request(`${org.origin}${article}?from=suggest`, { cookie: cookieB });
		await fileTicket(org, cookieB, {
			subject: "Still no invoice",
			category: "billing",
			description: "Tried the article.",
		});
		const cookieC = await signIn(org, c.email);
		await request(`${org.origin}${article}`, { cookie: cookieC });
		// C also completes an action on their own: a profile change.
		await request(`${org.origin}/account/profile`, {
			cookie: cookieC,
			form: { name: "Cee", timeZone: "UTC", locale: "en-US" },
		});
		const dayStart = Math.floor(Date.now() / 86_400_000) * 86_400_000;
		const row = await computeDailyMetrics(testDb(), tenantData({ orgId: org.id, db: testDb() }), dayStart);
		expect(row.suggestionSessions).toBe(2);
		expect(row.deflectedSessions).toBe(1);
		expect(row.activeSessions).toBe(2);
		expect(row.selfServedSessions).toBe(1);
		expect(row.adopted).toBe(true);
		expect(row.tickets).toEqual({ billing: 1 });
	});

	it("attributes a session to the day it started and ignores tickets filed before the article was opened", () => {
		const day = Date.UTC(2026, 10, 2);
		const figures = sessionFigures(
			[
				{ sessionId: "s1", kind: "ticket", createdAt: day + 1000 },
				{ sessionId: "s1", kind: "article_open", createdAt: day + 2000 },
				{ sessionId: "s2", kind: "article_open", createdAt: day - 1000 },
				{ sessionId: "s2", kind: "ticket", createdAt: day + 5000 },
			],
			day,
			day + 86_400_000,
		);
		expect(figures).toEqual({ activeSessions: 1, selfServedSessions: 0, suggestionSessions: 1, deflectedSessions: 1 });
	});

	it("records no portal event for a visitor who is not signed in", async () => {
		const org = await createOrg();
		await request(`${org.origin}/help/articles/${slugOf("download-an-invoice")}?from=suggest`);
		expect(
			await testDb()
				.select()
				.from(portalEvents)
				.where(and(eq(portalEvents.orgId, org.id))),
		).toEqual([]);
	});
});
