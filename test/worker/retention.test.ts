// Cancelling with a retention offer, against the Stripe emulator: the reason, the vendor's offer for it,
// one-click acceptance (a Stripe coupon on the subscription, or a cheaper plan), one offer per
// organization even when accepted twice at once, and straight to cancellation where nothing is offered.
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { retentionOfferEvents, retentionOffers } from "../../src/db/schema.ts";
import { advanceClock, deliverAll, orgBilling, stripe, subscribe } from "../support/billing.ts";
import { auditActions, createOrg, createUser, request, signIn, testDb } from "../support/worker.ts";

// Offers are the vendor's, shared by every organization: this file owns the reasons it configures.
const REASONS = ["too_complex", "switched_service"] as const;
afterAll(async () => {
	for (const reason of REASONS) await testDb().delete(retentionOffers).where(eq(retentionOffers.reason, reason));
});

async function offer(reason: (typeof REASONS)[number], values: Partial<typeof retentionOffers.$inferInsert>) {
	await testDb()
		.insert(retentionOffers)
		.values({ reason, kind: "discount", updatedAt: Date.now(), updatedBy: "test", ...values })
		.onConflictDoUpdate({ target: retentionOffers.reason, set: { kind: "discount", ...values } });
}

async function owner(planId = "pln_pro", price = "price_pro_monthly") {
	const org = await createOrg({ planId });
	const user = await createUser(org, "owner");
	const cookie = await signIn(org, user.email);
	const { customerId, subscriptionId } = await subscribe(org, price);
	return { org, cookie, customerId, subscriptionId };
}

async function events(orgId: string) {
	return testDb().select().from(retentionOfferEvents).where(eq(retentionOfferEvents.orgId, orgId));
}

describe("retention offers", () => {
	it("offers the discount configured for the reason, applies it through Stripe in one click, and lowers the next invoice", async () => {
		await offer("too_complex", { kind: "discount", percentOff: 40, months: 2, planId: null });
		const { org, cookie, customerId, subscriptionId } = await owner();
		const shown = await request(`${org.origin}/billing/cancel/reason`, {
			form: { reason: "too_complex", comment: "Hard to set up", nonce: "retain-0001" },
			cookie,
		});
		expect(shown.status).toBe(200);
		expect(shown.text).toContain("Before you go: 40 % off your invoices for the next 2 months");
		expect(shown.text).toContain('action="/billing/retention/accept"');
		expect((await orgBilling(org.id))?.cancelAtPeriodEnd).toBe(false);
		expect((await events(org.id)).map((e) => e.outcome)).toEqual(["shown"]);

		const accepted = await request(`${org.origin}/billing/retention/accept`, {
			form: { reason: "too_complex", nonce: "retain-0001" },
			cookie,
		});
		expect(accepted.status).toBe(303);
		expect(accepted.headers.get("location")).toBe("/billing?notice=offer-discount");
		const sub = await stripe().subscriptions.retrieve(subscriptionId);
		expect(sub.discounts).toHaveLength(1);
		expect(sub.cancel_at_period_end).toBe(false);
		expect(await auditActions(org.id)).toContain("billing.retention_offer_accepted");
		const last = await deliverAll(customerId);
		await advanceClock(32 * 86_400);
		await deliverAll(customerId, last);
		const [renewal] = (await stripe().invoices.list({ customer: customerId, limit: 1 })).data;
		expect(renewal).toMatchObject({ subtotal: 4900, total: 2940 });

		// One offer per organization: the next cancellation goes straight through.
		const again = await request(`${org.origin}/billing/cancel/reason`, {
			form: { reason: "too_complex", comment: "", nonce: "retain-0002" },
			cookie,
		});
		expect(again.status).toBe(303);
		expect(again.headers.get("location")).toBe("/billing?notice=cancelled");
		expect((await orgBilling(org.id))?.cancelAtPeriodEnd).toBe(true);
	});

	it("accepts an offer once when it is accepted five times at once", async () => {
		await offer("too_complex", { kind: "discount", percentOff: 40, months: 2, planId: null });
		const { org, cookie } = await owner();
		await request(`${org.origin}/billing/cancel/reason`, {
			form: { reason: "too_complex", comment: "", nonce: "retain-0003" },
			cookie,
		});
		const results = await Promise.all(
			Array.from({ length: 5 }, (_, i) =>
				request(`${org.origin}/billing/retention/accept`, {
					form: { reason: "too_complex", nonce: `retain-burst-${i}` },
					cookie,
				}),
			),
		);
		expect(results.map((r) => r.status).sort()).toEqual([303, 409, 409, 409, 409]);
		const accepted = await testDb()
			.select()
			.from(retentionOfferEvents)
			.where(and(eq(retentionOfferEvents.orgId, org.id), eq(retentionOfferEvents.outcome, "accepted")));
		expect(accepted).toHaveLength(1);
	});

	it("offers a cheaper plan instead of Free, scheduled for the period's end, and only to a more expensive plan", async () => {
		await offer("switched_service", { kind: "downgrade", planId: "pln_pro", percentOff: null, months: null });
		const business = await owner("pln_business", "price_business_monthly");
		const shown = await request(`${business.org.origin}/billing/cancel/reason`, {
			form: { reason: "switched_service", comment: "", nonce: "retain-0004" },
			cookie: business.cookie,
		});
		expect(shown.text).toContain("Before you go: Move to Pro for $49.00 a month");
		const accepted = await request(`${business.org.origin}/billing/retention/accept`, {
			form: { reason: "switched_service", nonce: "retain-0004" },
			cookie: business.cookie,
		});
		expect(accepted.headers.get("location")).toBe("/billing?notice=offer-downgrade");
		expect(await orgBilling(business.org.id)).toMatchObject({ planId: "pln_business", scheduledPlanId: "pln_pro" });

		// Already on Pro, the same reason offers nothing: straight to cancellation.
		const pro = await owner();
		const res = await request(`${pro.org.origin}/billing/cancel/reason`, {
			form: { reason: "switched_service", comment: "", nonce: "retain-0005" },
			cookie: pro.cookie,
		});
		expect(res.headers.get("location")).toBe("/billing?notice=cancelled");
		expect(await events(pro.org.id)).toEqual([]);
	});

	it("refuses an acceptance without a shown offer for the reason, changing nothing", async () => {
		const { org, cookie, subscriptionId } = await owner();
		const res = await request(`${org.origin}/billing/retention/accept`, {
			form: { reason: "other", nonce: "retain-0006" },
			cookie,
		});
		expect(res.status).toBe(409);
		expect((await stripe().subscriptions.retrieve(subscriptionId)).discounts ?? []).toEqual([]);
		expect(await events(org.id)).toEqual([]);
	});
});
