// The demo's support side: the knowledge base, a ticket answered by support, and eight weeks of portal
// activity with its daily figures computed by the same code the daily cron runs.
import type { Db } from "../src/db/client.ts";
import { countOrganizationsOn } from "../src/db/metrics.ts";
import { kbArticles, operators, portalEvents, ticketMessages, tickets } from "../src/db/schema.ts";
import { tenantData } from "../src/db/tenant-data.ts";
import { newId } from "../src/lib/ids.ts";
import { computeDailyMetrics } from "../src/metrics/daily.ts";
import { DAY_MS, dayKey, startOfDay } from "../src/metrics/figures.ts";
import { DEMO_ARTICLES } from "./seed-help.ts";

export async function seedSupport(
	db: Db,
	input: {
		passwordHash: string;
		orgs: { id: string; name: string; slug: string; people: { id: string; name: string; email: string }[] }[];
	},
) {
	const ids = new Map(DEMO_ARTICLES.map((a) => [a.slug, newId("art")]));
	await db
		.insert(operators)
		.values({ id: newId("opr"), email: "ops@portico.test", name: "Otto Operator", passwordHash: input.passwordHash });
	await db.insert(kbArticles).values(
		DEMO_ARTICLES.map((a) => ({
			id: ids.get(a.slug) ?? "",
			slug: a.slug,
			title: a.title,
			category: a.category,
			body: a.body,
			status: "published" as const,
			relatedIds: a.related.map((r) => ids.get(r) ?? "").filter(Boolean),
		})),
	);
	const [acme] = input.orgs;
	const requester = acme?.people[2];
	if (acme && requester) {
		const id = newId("tix");
		const nowMs = Date.now();
		await db.batch([
			db.insert(tickets).values({
				id,
				orgId: acme.id,
				requesterId: requester.id,
				requesterLabel: requester.name,
				requesterEmail: requester.email,
				subject: "API calls rejected with 429 since this morning",
				category: "technical",
				status: "waiting",
				context: {
					organization: { id: acme.id, name: acme.name, slug: acme.slug },
					plan: { key: "pro", name: "Pro", subscriptionStatus: "active" },
					requester: { role: "Member" },
					usage: [],
					recentEvents: [],
					recentErrors: [],
				},
				lastActivityAt: nowMs - 3_600_000,
				createdAt: nowMs - 5 * 3_600_000,
			}),
			db.insert(ticketMessages).values([
				{
					id: newId("msg", nowMs - 5 * 3_600_000),
					orgId: acme.id,
					ticketId: id,
					authorType: "customer",
					authorId: requester.id,
					authorLabel: requester.name,
					body: "Our nightly sync gets 429 responses for every call since 06:00 UTC. Nothing changed on our side.",
					createdAt: nowMs - 5 * 3_600_000,
				},
				{
					id: newId("msg", nowMs - 3_600_000),
					orgId: acme.id,
					ticketId: id,
					authorType: "operator",
					authorId: "demo",
					authorLabel: "Support",
					body: "Thanks — the key used by the sync has a limit of 60 requests per minute. You can raise it under API keys → Edit. Does that solve it?",
					createdAt: nowMs - 3_600_000,
				},
			]),
		]);
	}
	await seedActivity(db, input.orgs);
}

/** Eight weeks of sessions: sign-ins, self-service actions, suggestion opens and a few tickets. */
async function seedActivity(
	db: Db,
	orgs: { id: string; name: string; slug: string; people: { id: string; name: string; email: string }[] }[],
) {
	const today = startOfDay(Date.now());
	const actions = ["billing.subscription_changed", "team.invited", "keys.created", "keys.rotated", "export.requested"];
	const asked = [
		["billing", "Charged twice this month?"],
		["technical", "Webhook deliveries failing with 500"],
		["account", "Cannot change the owner of our organization"],
		["usage", "Usage numbers look higher than our logs"],
		["other", "Do you offer an on-premises version?"],
	] as const;
	let n = 0;
	const rows: (typeof portalEvents.$inferInsert)[] = [];
	const past: (typeof tickets.$inferInsert)[] = [];
	const said: (typeof ticketMessages.$inferInsert)[] = [];
	for (let day = 56; day >= 1; day--) {
		for (const [index, org] of orgs.entries()) {
			// Globex is quieter: a session every third day.
			if (index > 0 && day % 3 !== 0) continue;
			for (const person of org.people) {
				n++;
				const at = today - day * DAY_MS + 9 * 3_600_000 + (n % 7) * 600_000;
				const sessionId = newId("ses", at);
				const event = (kind: "sign_in" | "action" | "ticket" | "article_open", subject: string, offsetMs: number) =>
					rows.push({
						id: newId("pev", at + offsetMs),
						orgId: org.id,
						sessionId,
						userId: person.id,
						kind,
						subject,
						createdAt: at + offsetMs,
					});
				event("sign_in", "", 0);
				// Most sessions finish something; some open a suggested article; a few still file a ticket.
				if (n % 10 !== 0) event("action", actions[n % actions.length] ?? "keys.created", 120_000);
				if (n % 4 === 0) event("article_open", "", 60_000);
				if (n % 9 === 0) {
					// The tickets those sessions filed, answered and resolved since.
					const [category, subject] = asked[(n / 9) % asked.length] ?? asked[0];
					const id = newId("tix", at + 300_000);
					event("ticket", id, 300_000);
					past.push({
						id,
						orgId: org.id,
						requesterId: person.id,
						requesterLabel: person.name,
						requesterEmail: person.email,
						subject,
						category,
						status: "resolved",
						context: {
							organization: { id: org.id, name: org.name, slug: org.slug },
							plan: { key: null, name: null, subscriptionStatus: null },
							requester: { role: "Member" },
							usage: [],
							recentEvents: [],
							recentErrors: [],
						},
						lastActivityAt: at + 3_600_000,
						resolvedAt: at + 3_600_000,
						createdAt: at + 300_000,
					});
					said.push(
						{
							id: newId("msg", at + 300_000),
							orgId: org.id,
							ticketId: id,
							authorType: "customer",
							authorId: person.id,
							authorLabel: person.name,
							body: `${subject} Could you take a look?`,
							createdAt: at + 300_000,
						},
						{
							id: newId("msg", at + 3_600_000),
							orgId: org.id,
							ticketId: id,
							authorType: "operator",
							authorId: "demo",
							authorLabel: "Support",
							body: "Thanks for writing — this is sorted now. The help centre has the details for next time.",
							createdAt: at + 3_600_000,
						},
					);
				}
			}
		}
	}
	for (let i = 0; i < rows.length; i += 200) await db.insert(portalEvents).values(rows.slice(i, i + 200));
	if (past.length > 0) await db.batch([db.insert(tickets).values(past), db.insert(ticketMessages).values(said)]);
	for (const org of orgs) {
		const tenant = tenantData({ orgId: org.id, db });
		for (let day = 56; day >= 0; day--) await computeDailyMetrics(db, tenant, today - day * DAY_MS);
	}
	const days = Array.from({ length: 57 }, (_, i) => dayKey(today - i * DAY_MS));
	await countOrganizationsOn(db, days, Date.now());
}
