// The overview as a dashboard: problems with their way out, plan, usage, seats, tickets and recent
// activity — each card for those who may see it — in the site batch's one round trip.
import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { BUILT_IN_ROLES } from "../../src/auth/permissions.ts";
import { memberships, organizations } from "../../src/db/schema.ts";
import { tenantData } from "../../src/db/tenant-data.ts";
import { newId } from "../../src/lib/ids.ts";
import { aggregateTenant } from "../../src/usage/aggregate.ts";
import { createOrg, createUser, request, roundTrips, signIn, testDb } from "../support/worker.ts";

async function ingest(slug: string, quantity: number, key: string) {
	const res = await exports.default.fetch(
		new Request("http://localhost/api/v1/usage", {
			method: "POST",
			headers: { authorization: `Bearer ${env.VENDOR_API_SECRET}`, "content-type": "application/json" },
			body: JSON.stringify({
				organization: slug,
				events: [{ metric: "api_calls", quantity, timestamp: Date.now(), idempotency_key: key }],
			}),
		}),
	);
	expect(res.status).toBe(200);
}

describe("overview dashboard", () => {
	it("shows an Owner what needs them, with the way out, and the plan, usage, seats and activity in one round trip", async () => {
		const org = await createOrg({
			planId: "pln_pro",
			stripeCustomerId: "cus_dashboard",
			stripeSubscriptionId: "sub_dashboard",
			subscriptionStatus: "past_due",
			currentPeriodEndMs: Date.UTC(2027, 0, 1),
			nextAmountMinor: 4900,
		});
		const owner = await createUser(org, "owner");
		await ingest(org.slug, 1_200_000, "over");
		await aggregateTenant(tenantData({ orgId: org.id, db: testDb() }), Date.now());
		const cookie = await signIn(org, owner.email);
		const page = await request(`${org.origin}/`, { cookie });
		expect(page.status).toBe(200);
		expect(await roundTrips(page.headers.get("x-request-id"))).toBe(1);
		const attention = /<section class="attention"[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? "";
		expect(attention).toContain("The last payment failed");
		expect(attention).toContain('action="/billing/portal"');
		expect(attention).toContain("API calls: the Pro limit is reached (1,200,000 of 1,000,000).");
		expect(attention).toContain('<a class="button" href="/billing">Upgrade the plan</a>');
		expect(page.text).toContain("Payment failed — past due");
		expect(page.text).toContain("Next charge $49.00 on Jan 1, 2027");
		expect(page.text).toMatch(/API calls: <strong>1,200,000<\/strong> of 1,000,000 calls/);
		expect(page.text).toContain("1 of 20");
		expect(page.text).toContain("auth.sign_in");
		expect(page.text).toContain("No open tickets");
	});

	it("shows a Member only their cards: usage and tickets, no plan, no activity, no billing problems", async () => {
		const org = await createOrg({ planId: "pln_pro", subscriptionStatus: "past_due" });
		const member = await createUser(org, "member");
		const cookie = await signIn(org, member.email);
		const page = await request(`${org.origin}/`, { cookie });
		expect(page.status).toBe(200);
		expect(page.text).toContain("Usage this month");
		expect(page.text).toContain("No open tickets");
		expect(page.text).not.toContain("The last payment failed");
		expect(page.text).not.toContain("Recent activity");
		expect(page.text).not.toContain("<h2>Plan</h2>");
	});

	it("reads a dedicated organization's dashboard from its own database, never another organization's", async () => {
		const shared = await createOrg({ planId: "pln_pro" });
		await ingest(shared.slug, 777_777, "shared");
		await aggregateTenant(tenantData({ orgId: shared.id, db: testDb() }), Date.now());
		const dedicated = await createOrg({ planId: "pln_pro" });
		// Its "own" database is the test server's main one here: the point is the path, not the file.
		await testDb()
			.update(organizations)
			.set({ isolationTier: "dedicated", databaseUrl: env.DATABASE_URL })
			.where(eq(organizations.id, dedicated.id));
		const owner = await createUser(dedicated, "owner");
		const page = await request(`${dedicated.origin}/`, { cookie: await signIn(dedicated, owner.email) });
		expect(page.status).toBe(200);
		expect(page.text).toContain("Usage this month");
		expect(page.text).not.toContain("777,777");
	});
});

describe("header menus", () => {
	it("shows the user menu with the initial and name, and a switcher that searches long lists and creates organizations", async () => {
		const org = await createOrg({ name: "Home Org" });
		const user = await createUser(org, "member");
		for (let i = 0; i < 5; i++) {
			const other = await createOrg({ name: `Other ${i}` });
			await testDb()
				.insert(memberships)
				.values({ id: newId("mem"), orgId: other.id, userId: user.id, roleId: BUILT_IN_ROLES.member.id });
		}
		const page = await request(`${org.origin}/`, { cookie: await signIn(org, user.email) });
		const header = /<header[\s\S]*?<\/header>/.exec(page.text)?.[0] ?? "";
		expect(header).toContain(
			`<span class="avatar initial" aria-hidden="true">${user.name.trim()[0]?.toUpperCase()}</span>`,
		);
		expect(header).toContain('href="/account/notifications"');
		expect(header).toContain('action="/sign-out"');
		expect(header).toContain('<span class="switcher-name">Home Org</span>');
		expect(header).toContain('data-filter="switcher-list"');
		expect((header.match(/action="\/switch"/g) ?? []).length).toBe(5);
		expect(header).toContain('<a href="http://localhost/sign-up">Create an organization</a>');
	});
});
