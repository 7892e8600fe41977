// Billing through the real Stripe SDK against the emulator; webhooks signed by the emulator and
// delivered by the test.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { describe, expect, it, vi } from "vitest";
import { auditEvents, invoiceCache, stripeEvents } from "../../src/db/schema.ts";
import {
	advanceClock,
	deliverAll,
	deliveriesFor,
	orgBilling,
	postWebhook,
	stripe,
	subscribe,
} from "../support/billing.ts";
import { auditActions, createOrg, createUser, request, signIn, testDb } from "../support/worker.ts";

async function owner(planId = "pln_free") {
	const org = await createOrg({ planId });
	const user = await createUser(org, "owner");
	return { org, cookie: await signIn(org, user.email) };
}

describe("checkout", () => {
	it("takes a Free organization through Checkout to an active Pro subscription via webhooks", async () => {
		const { org, cookie } = await owner();
		const first = await request(`${org.origin}/billing/checkout`, {
			form: { plan: "pro", nonce: "click-00001" },
			cookie,
		});
		expect(first.status, first.text).toBe(303);
		const checkoutUrl = String(first.headers.get("location"));
		// A double click (same nonce) reuses the same checkout session.
		const again = await request(`${org.origin}/billing/checkout`, {
			form: { plan: "pro", nonce: "click-00001" },
			cookie,
		});
		expect(again.headers.get("location")).toBe(checkoutUrl);

		const done = await fetch(`${checkoutUrl}/complete`, {
			method: "POST",
			body: new URLSearchParams({ card: "pm_card_visa" }),
			redirect: "manual",
		});
		expect(done.status).toBe(303);
		const row = await orgBilling(org.id);
		await deliverAll(row?.stripeCustomerId ?? "");
		expect(await orgBilling(org.id)).toMatchObject({
			planId: "pln_pro",
			subscriptionStatus: "active",
			paymentMethodSummary: "visa 4242",
		});
		const invoices = await testDb().select().from(invoiceCache).where(eq(invoiceCache.orgId, org.id));
		expect(invoices.map((i) => [i.status, i.amountPaidMinor])).toEqual([["paid", 4900]]);
		const page = await request(`${org.origin}/billing`, { cookie });
		expect(page.text).toContain("Pro plan");
		expect(page.text).toContain("$49.00");
		expect(page.text).toContain("visa 4242");
	});
});

describe("changing plans", () => {
	it("upgrades now and charges exactly the previewed proration", async () => {
		const { org, cookie } = await owner("pln_pro");
		const { subscriptionId } = await subscribe(org);
		const preview = await request(`${org.origin}/billing/change?plan=business`, { cookie });
		expect(preview.status, preview.text).toBe(200);
		const prorationDate = /name="prorationDate" value="(\d+)"/.exec(preview.text)?.[1] ?? "";
		const dueNow = /Due now<\/th><td class="num"><strong>\$([\d,.]+)<\/strong>/.exec(preview.text)?.[1] ?? "";
		expect(Number(dueNow)).toBeGreaterThan(0);
		const res = await request(`${org.origin}/billing/change`, {
			form: { plan: "business", prorationDate, nonce: "upgrade-0001" },
			cookie,
		});
		expect(res.status, res.text).toBe(303);
		const sub = await stripe().subscriptions.retrieve(subscriptionId);
		const latest = await stripe().invoices.retrieve(String(sub.latest_invoice));
		expect(latest.amount_paid / 100).toBeCloseTo(Number(dueNow.replace(",", "")), 2);
		expect((await orgBilling(org.id))?.planId).toBe("pln_business");
		expect(await auditActions(org.id)).toContain("billing.plan_upgraded");
	});

	it("schedules a downgrade for the period end and applies it at renewal (test clock)", async () => {
		const { org, cookie } = await owner("pln_business");
		const { customerId } = await subscribe(org, "price_business_monthly");
		const page = await request(`${org.origin}/billing/change?plan=pro`, { cookie });
		expect(page.text).toContain("Nothing is charged now");
		expect(
			(
				await request(`${org.origin}/billing/change`, {
					form: { plan: "pro", prorationDate: "0", nonce: "down-00001" },
					cookie,
				})
			).status,
		).toBe(303);
		expect(await orgBilling(org.id)).toMatchObject({ planId: "pln_business", scheduledPlanId: "pln_pro" });
		const second = await request(`${org.origin}/billing/change?plan=free`, { cookie });
		expect(second.status).toBe(409);
		const last = await deliverAll(customerId);
		await advanceClock(32 * 86_400);
		await deliverAll(customerId, last);
		expect(await orgBilling(org.id)).toMatchObject({
			planId: "pln_pro",
			scheduledPlanId: null,
			subscriptionStatus: "active",
		});
	});

	it("cancels at the period end with a reason, resumes, and moves to Free when the period ends", async () => {
		const { org, cookie } = await owner("pln_pro");
		const { customerId, subscriptionId } = await subscribe(org);
		expect(
			(
				await request(`${org.origin}/billing/cancel`, {
					form: { reason: "too_expensive", comment: "Budget", nonce: "cancel-0001" },
					cookie,
				})
			).status,
		).toBe(303);
		expect((await orgBilling(org.id))?.cancelAtPeriodEnd).toBe(true);
		expect((await stripe().subscriptions.retrieve(subscriptionId)).cancel_at_period_end).toBe(true);
		expect((await request(`${org.origin}/billing`, { cookie })).text).toContain("Keep my subscription");
		expect((await request(`${org.origin}/billing/resume`, { form: { nonce: "resume-0001" }, cookie })).status).toBe(
			303,
		);
		expect((await orgBilling(org.id))?.cancelAtPeriodEnd).toBe(false);
		await request(`${org.origin}/billing/cancel`, {
			form: { reason: "unused", comment: "", nonce: "cancel-0002" },
			cookie,
		});
		const last = await deliverAll(customerId);
		await advanceClock(32 * 86_400);
		await deliverAll(customerId, last);
		expect(await orgBilling(org.id)).toMatchObject({ planId: "pln_free", stripeSubscriptionId: null });
	});

	it("shows a past-due banner after a failed payment, cleared by a card update", async () => {
		const { org, cookie } = await owner("pln_pro");
		const { customerId } = await subscribe(org);
		const s = stripe();
		const declined = await s.paymentMethods.attach("pm_card_chargeDeclined", { customer: customerId });
		await s.customers.update(customerId, { invoice_settings: { default_payment_method: declined.id } });
		const last = await deliverAll(customerId);
		await advanceClock(32 * 86_400);
		const afterRenewal = await deliverAll(customerId, last);
		expect((await orgBilling(org.id))?.subscriptionStatus).toBe("past_due");
		const page = await request(`${org.origin}/billing`, { cookie });
		expect(page.text).toContain("Your last payment failed");
		const portal = await request(`${org.origin}/billing/portal`, { form: { nonce: "portal-0001" }, cookie });
		const portalUrl = String(portal.headers.get("location"));
		expect(
			await (
				await fetch(`${portalUrl}/card`, { method: "POST", body: new URLSearchParams({ card: "pm_card_visa" }) })
			).text(),
		).toContain("Card updated");
		await deliverAll(customerId, afterRenewal);
		expect((await orgBilling(org.id))?.subscriptionStatus).toBe("active");
		expect((await request(`${org.origin}/billing`, { cookie })).text).not.toContain("Your last payment failed");
		expect(await auditActions(org.id)).toContain("billing.payment_failed");
	});

	it("refuses unknown plans, forbidden transitions and stale previews without calling Stripe", async () => {
		const { org, cookie } = await owner("pln_pro");
		const { subscriptionId } = await subscribe(org);
		const before = (await stripe().invoices.list({ subscription: subscriptionId })).data.length;
		expect((await request(`${org.origin}/billing/change?plan=platinum`, { cookie })).status).toBe(422);
		expect((await request(`${org.origin}/billing/change?plan=pro`, { cookie })).status).toBe(409);
		expect(
			(
				await request(`${org.origin}/billing/change`, {
					form: { plan: "business", prorationDate: "1000", nonce: "stale-00001" },
					cookie,
				})
			).status,
		).toBe(409);
		expect(
			(
				await request(`${org.origin}/billing/change`, {
					form: { plan: "business", prorationDate: "0", nonce: "x", amount: "1" },
					cookie,
				})
			).status,
		).toBe(422);
		expect((await stripe().invoices.list({ subscription: subscriptionId })).data.length).toBe(before);
		expect((await orgBilling(org.id))?.planId).toBe("pln_pro");
	});
});

/** A Free organization whose customer just subscribed to Pro in Stripe; its `created` event not yet delivered. */
async function undeliveredSubscriptionCreated(tag: string) {
	const org = await createOrg({ planId: "pln_free" });
	const s = stripe();
	const customer = await s.customers.create({ email: `${tag}-${org.slug}@example.test` });
	const { organizations } = await import("../../src/db/schema.ts");
	await testDb().update(organizations).set({ stripeCustomerId: customer.id }).where(eq(organizations.id, org.id));
	const pm = await s.paymentMethods.attach("pm_card_visa", { customer: customer.id });
	await s.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
	await s.subscriptions.create({ customer: customer.id, items: [{ price: "price_pro_monthly" }] });
	const created = (await deliveriesFor(customer.id)).find(
		(d) => JSON.parse(d.payload).type === "customer.subscription.created",
	);
	if (!created) throw new Error("no created event");
	return { org, created };
}

describe("webhooks", () => {
	it("answers 400 to a bad signature, a stale timestamp and a tampered body, writing nothing", async () => {
		const { org } = await owner("pln_pro");
		const { customerId } = await subscribe(org);
		await stripe().customers.update(customerId, { name: "Renamed" });
		const [delivery] = (await deliveriesFor(customerId)).slice(-1);
		if (!delivery) throw new Error("no delivery");
		expect((await postWebhook(delivery.payload, "t=1,v1=deadbeef")).status).toBe(400);
		expect((await postWebhook(delivery.payload.replace("Renamed", "Hacked"), delivery.signature)).status).toBe(400);
		const stale = await Stripe.webhooks.generateTestHeaderStringAsync({
			payload: delivery.payload,
			secret: "whsec_test_portico_0123456789",
			timestamp: Math.floor(Date.now() / 1000) - 3600,
		});
		expect((await postWebhook(delivery.payload, stale)).status).toBe(400);
		// Signed an hour ahead: as suspect as an hour behind.
		const ahead = await Stripe.webhooks.generateTestHeaderStringAsync({
			payload: delivery.payload,
			secret: "whsec_test_portico_0123456789",
			timestamp: Math.floor(Date.now() / 1000) + 3600,
		});
		expect((await postWebhook(delivery.payload, ahead)).status).toBe(400);
		expect(await testDb().select().from(stripeEvents).where(eq(stripeEvents.id, delivery.eventId))).toEqual([]);
	});

	it("applies an event once however often (and however concurrently) it is delivered", async () => {
		const { org, created } = await undeliveredSubscriptionCreated("dup");
		const results = await Promise.all(Array.from({ length: 5 }, () => postWebhook(created.payload, created.signature)));
		// One applies it; the others find it done (200) or still in progress (409, so Stripe retries later).
		const bodies = await Promise.all(results.map((r) => r.json() as Promise<{ result?: string }>));
		expect(bodies.filter((b) => b.result === "applied")).toHaveLength(1);
		expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
		const again = await postWebhook(created.payload, created.signature);
		expect(again.status).toBe(200);
		expect(await again.json()).toMatchObject({ result: "duplicate" });
		const changes = await testDb().select().from(auditEvents).where(eq(auditEvents.orgId, org.id));
		expect(changes.filter((e) => e.action === "billing.subscription_changed")).toHaveLength(1);
		expect((await orgBilling(org.id))?.planId).toBe("pln_pro");
	});

	it("an event whose processing failed (Stripe unreachable) is applied in full by the retry", async () => {
		const { org, created } = await undeliveredSubscriptionCreated("retry");
		const realFetch = globalThis.fetch;
		const outage = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
			const url = input instanceof Request ? input.url : String(input);
			if (url.startsWith(env.STRIPE_API_BASE)) throw new TypeError("Network connection lost.");
			return realFetch(input as RequestInfo, init);
		});
		const failed = await postWebhook(created.payload, created.signature);
		outage.mockRestore();
		expect(failed.status).toBe(503);
		expect(await failed.text()).not.toContain("Network connection lost");
		const actions = async () =>
			(await testDb().select().from(auditEvents).where(eq(auditEvents.orgId, org.id))).map((e) => e.action);
		expect(await actions()).not.toContain("billing.subscription_changed");
		const retried = await postWebhook(created.payload, created.signature);
		expect(retried.status).toBe(200);
		expect(await retried.json()).toMatchObject({ result: "applied" });
		expect((await actions()).filter((a) => a === "billing.subscription_changed")).toHaveLength(1);
		expect((await orgBilling(org.id))?.planId).toBe("pln_pro");
	});

	it("ends at the newest state when `updated` arrives before `created`", async () => {
		const { org } = await owner("pln_free");
		const s = stripe();
		const customer = await s.customers.create({ email: `order-${org.slug}@example.test` });
		const { organizations } = await import("../../src/db/schema.ts");
		await testDb().update(organizations).set({ stripeCustomerId: customer.id }).where(eq(organizations.id, org.id));
		const pm = await s.paymentMethods.attach("pm_card_visa", { customer: customer.id });
		await s.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
		const sub = await s.subscriptions.create({ customer: customer.id, items: [{ price: "price_pro_monthly" }] });
		await s.subscriptions.update(sub.id, { cancel_at_period_end: true });
		const all = await deliveriesFor(customer.id);
		const reversed = all.filter((d) => JSON.parse(d.payload).type.startsWith("customer.subscription.")).reverse();
		for (const d of reversed) expect((await postWebhook(d.payload, d.signature)).status).toBe(200);
		expect(await orgBilling(org.id)).toMatchObject({
			planId: "pln_pro",
			cancelAtPeriodEnd: true,
			stripeSubscriptionId: sub.id,
		});
	});

	it("ignores events of unknown customers with a 2xx", async () => {
		const s = stripe();
		const stranger = await s.customers.create({ email: "stranger@example.test" });
		const [d] = await deliveriesFor(stranger.id);
		if (!d) throw new Error("no delivery");
		const res = await postWebhook(d.payload, d.signature);
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ result: "ignored" });
	});
});

describe("who sees billing", () => {
	it("hides Billing from a Member (403 on its URLs) and its change controls from an Admin", async () => {
		const org = await createOrg({ planId: "pln_pro" });
		const member = await createUser(org, "member");
		const admin = await createUser(org, "admin");
		const memberCookie = await signIn(org, member.email);
		expect((await request(`${org.origin}/`, { cookie: memberCookie })).text).not.toContain('href="/billing"');
		expect((await request(`${org.origin}/billing`, { cookie: memberCookie })).status).toBe(403);
		expect(
			(
				await request(`${org.origin}/billing/checkout`, {
					form: { plan: "business", nonce: "member-001" },
					cookie: memberCookie,
				})
			).status,
		).toBe(403);
		const adminCookie = await signIn(org, admin.email);
		const page = await request(`${org.origin}/billing`, { cookie: adminCookie });
		expect(page.status).toBe(200);
		expect(page.text).not.toContain("Upgrade to Business");
		expect((await request(`${org.origin}/billing/change?plan=business`, { cookie: adminCookie })).status).toBe(403);
	});
});

describe("hourly reconciliation", () => {
	it("repairs a cache that drifted from Stripe (a missed webhook)", async () => {
		const { org } = await owner("pln_pro");
		const { customerId } = await subscribe(org, "price_business_monthly");
		const { organizations } = await import("../../src/db/schema.ts");
		// Webhooks lost: the cache still says Free, with no invoices.
		await testDb()
			.update(organizations)
			.set({ planId: "pln_free", subscriptionStatus: null, stripeSubscriptionId: null })
			.where(eq(organizations.id, org.id));
		await testDb().delete(invoiceCache).where(eq(invoiceCache.orgId, org.id));
		const { runJob } = await import("../../src/jobs/scheduled.ts");
		const { env } = await import("cloudflare:workers");
		const report = await runJob("stripeReconciliation", env, Date.now(), [org.id]);
		expect(report.failed).not.toContain(org.id);
		expect(await orgBilling(org.id)).toMatchObject({ planId: "pln_business", subscriptionStatus: "active" });
		expect((await testDb().select().from(invoiceCache).where(eq(invoiceCache.orgId, org.id))).length).toBeGreaterThan(
			0,
		);
		void customerId;
	});
});

const LEGAL = {
	name: "Acme",
	legalName: "Acme Holdings GmbH",
	billingEmail: "finance@acme.test",
	line1: "1 Main St",
	line2: "",
	city: "Berlin",
	postalCode: "10115",
	state: "",
	country: "DE",
};

describe("invoices a finance team accepts", () => {
	it("syncs the legal name, address and tax ID to the Stripe customer, and new invoices carry them", async () => {
		const { org, cookie } = await owner("pln_pro");
		const { customerId } = await subscribe(org);
		const saved = await request(`${org.origin}/settings`, {
			form: { ...LEGAL, taxIdType: "eu_vat", taxIdValue: "DE 123 456 789" },
			cookie,
		});
		expect(saved.status, saved.text.slice(0, 300)).toBe(303);
		const customer = (await stripe().customers.retrieve(customerId)) as { name: string; address: { city: string } };
		expect(customer).toMatchObject({ name: "Acme Holdings GmbH", address: { city: "Berlin" } });
		expect((await stripe().customers.listTaxIds(customerId)).data.map((t) => [t.type, t.value])).toEqual([
			["eu_vat", "DE123456789"],
		]);
		// Changing the tax ID replaces it; choosing none removes it.
		await request(`${org.origin}/settings`, {
			form: { ...LEGAL, taxIdType: "eu_vat", taxIdValue: "DE987654321" },
			cookie,
		});
		expect((await stripe().customers.listTaxIds(customerId)).data.map((t) => t.value)).toEqual(["DE987654321"]);

		const last = await deliverAll(customerId);
		await advanceClock(32 * 86_400);
		await deliverAll(customerId, last);
		const [renewal] = (await stripe().invoices.list({ customer: customerId, limit: 1 })).data;
		expect(renewal).toMatchObject({
			customer_name: "Acme Holdings GmbH",
			customer_address: { line1: "1 Main St", postal_code: "10115", country: "DE" },
			customer_tax_ids: [{ type: "eu_vat", value: "DE987654321" }],
		});
		const pdf = await fetch(String(renewal?.invoice_pdf));
		expect(pdf.headers.get("content-type")).toBe("application/pdf");
		const text = await pdf.text();
		expect(text.startsWith("%PDF-1.4")).toBe(true);
		for (const part of ["Acme Holdings GmbH", "EU VAT DE987654321", "Amount due", "PAID", "Bill to"])
			expect(text).toContain(part);

		const page = await request(`${org.origin}/billing`, { cookie });
		expect(page.text).toContain('<span class="badge invoice-paid">Paid</span>');
		expect(page.text).toMatch(/Billed to<\/h3><p>Acme Holdings GmbH<br\/>1 Main St/);
		expect(page.text).toContain("EU VAT number: DE987654321");
	});
});
