// The emulator driven by the real `stripe` SDK, as Portico drives it.
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeEmulator } from "../support/stripe.ts";

let emulator: Awaited<ReturnType<typeof startStripeEmulator>>;
let stripe: Stripe;

beforeAll(async () => {
	emulator = await startStripeEmulator();
	stripe = new Stripe("sk_test_portico", {
		host: "127.0.0.1",
		port: emulator.port,
		protocol: "http",
		maxNetworkRetries: 0,
	});
});
afterAll(() => emulator.stop());

async function subscribedCustomer(card = "pm_card_visa", price = "price_pro_monthly") {
	const customer = await stripe.customers.create({
		email: "billing@example.test",
		name: "Example",
		metadata: { org_id: "org_test" },
	});
	const pm = await stripe.paymentMethods.attach(card, { customer: customer.id });
	await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
	const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price }] });
	return { customer, subscription };
}

async function advance(seconds: number) {
	await fetch(`${emulator.url}/_emulator/clock/advance`, { method: "POST", body: JSON.stringify({ seconds }) });
}

describe("Stripe emulator", () => {
	it("creates customers and subscriptions with Stripe's shapes, paying the first invoice", async () => {
		const { customer, subscription } = await subscribedCustomer();
		expect(customer.id).toMatch(/^cus_/);
		expect(subscription.status).toBe("active");
		const item = subscription.items.data[0];
		expect(item?.price.id).toBe("price_pro_monthly");
		expect(item?.current_period_end).toBeGreaterThan(item?.current_period_start ?? 0);
		const invoices = await stripe.invoices.list({ customer: customer.id });
		expect(invoices.data).toHaveLength(1);
		expect(invoices.data[0]).toMatchObject({ status: "paid", amount_paid: 4900, currency: "usd" });
		expect(invoices.data[0]?.parent?.subscription_details?.subscription).toBe(subscription.id);
		const pdf = await fetch(String(invoices.data[0]?.invoice_pdf));
		expect(pdf.headers.get("content-type")).toBe("application/pdf");
		expect((await pdf.text()).startsWith("%PDF-1.4")).toBe(true);
	});

	it("previews an upgrade's proration and charges exactly that with the same proration_date", async () => {
		const { subscription } = await subscribedCustomer();
		const item = subscription.items.data[0];
		if (!item) throw new Error("no item");
		const prorationDate =
			item.current_period_start + Math.floor((item.current_period_end - item.current_period_start) / 3);
		const preview = await stripe.invoices.createPreview({
			customer: String(subscription.customer),
			subscription: subscription.id,
			subscription_details: {
				items: [{ id: item.id, price: "price_business_monthly" }],
				proration_behavior: "always_invoice",
				proration_date: prorationDate,
			},
		});
		const remaining = (item.current_period_end - prorationDate) / (item.current_period_end - item.current_period_start);
		expect(preview.amount_due).toBe(Math.round(19900 * remaining) - Math.round(4900 * remaining));
		expect(preview.lines.data.map((l) => l.amount)).toEqual([
			-Math.round(4900 * remaining),
			Math.round(19900 * remaining),
		]);
		const updated = await stripe.subscriptions.update(subscription.id, {
			items: [{ id: item.id, price: "price_business_monthly" }],
			proration_behavior: "always_invoice",
			proration_date: prorationDate,
		});
		expect(updated.items.data[0]?.price.id).toBe("price_business_monthly");
		const latest = await stripe.invoices.retrieve(String(updated.latest_invoice));
		expect(latest.amount_paid).toBe(preview.amount_due);
		expect(latest.status).toBe("paid");
	});

	it("renews at the period end on the test clock, and cancels at period end when asked", async () => {
		const { customer, subscription } = await subscribedCustomer();
		await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
		const resumed = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: false });
		expect(resumed.cancel_at_period_end).toBe(false);
		await advance(32 * 86_400);
		expect(
			(await stripe.invoices.list({ customer: customer.id })).data.filter((i) => i.status === "paid"),
		).toHaveLength(2);
		await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
		await advance(32 * 86_400);
		expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("canceled");
	});

	it("makes a declined renewal past due until a new card pays it", async () => {
		const { customer, subscription } = await subscribedCustomer();
		const declined = await stripe.paymentMethods.attach("pm_card_chargeDeclined", { customer: customer.id });
		await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: declined.id } });
		await advance(32 * 86_400);
		expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("past_due");
		const portal = await stripe.billingPortal.sessions.create({
			customer: customer.id,
			return_url: "http://example.test/billing",
		});
		const res = await fetch(`${portal.url}/card`, {
			method: "POST",
			body: new URLSearchParams({ card: "pm_card_visa" }),
		});
		expect(await res.text()).toContain("Card updated");
		expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("active");
	});

	it("answers Stripe-style errors, refuses unknown parameters and replays idempotent requests", async () => {
		await expect(stripe.customers.retrieve("cus_missing")).rejects.toMatchObject({
			type: "StripeInvalidRequestError",
			code: "resource_missing",
			statusCode: 404,
		});
		// biome-ignore lint/suspicious/noExplicitAny: an unknown parameter, on purpose.
		await expect(stripe.customers.create({ colour: "red" } as any)).rejects.toMatchObject({
			code: "parameter_unknown",
			param: "colour",
		});
		const first = await stripe.customers.create({ email: "once@example.test" }, { idempotencyKey: "same-key" });
		const again = await stripe.customers.create({ email: "once@example.test" }, { idempotencyKey: "same-key" });
		expect(again.id).toBe(first.id);
		await expect(
			stripe.customers.create({ email: "other@example.test" }, { idempotencyKey: "same-key" }),
		).rejects.toMatchObject({ type: "StripeIdempotencyError" });
	});

	it("pages lists with limit, starting_after and has_more", async () => {
		const customer = await stripe.customers.create({ email: "pages@example.test" });
		const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
		await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
		await stripe.subscriptions.create({ customer: customer.id, items: [{ price: "price_pro_monthly" }] });
		await advance(32 * 86_400);
		await advance(32 * 86_400);
		const first = await stripe.invoices.list({ customer: customer.id, limit: 2 });
		expect(first.data).toHaveLength(2);
		expect(first.has_more).toBe(true);
		const next = await stripe.invoices.list({ customer: customer.id, limit: 2, starting_after: first.data[1]?.id });
		expect(next.data.length).toBeGreaterThanOrEqual(1);
		expect(next.data[0]?.id).not.toBe(first.data[0]?.id);
	});

	it("signs every event as Stripe does", async () => {
		await stripe.customers.create({ email: "signed@example.test" });
		const { deliveries } = (await (await fetch(`${emulator.url}/_emulator/deliveries`)).json()) as {
			deliveries: { payload: string; signature: string }[];
		};
		const last = deliveries.at(-1);
		if (!last) throw new Error("no delivery");
		const event = await stripe.webhooks.constructEventAsync(
			last.payload,
			last.signature,
			"whsec_test_portico_0123456789",
		);
		expect(event.type).toBe("customer.created");
	});

	it("creates coupons as Stripe does, refuses a second with the same id, and discounts the subscription's invoices while it lasts", async () => {
		const coupon = await stripe.coupons.create({
			id: "half-for-two",
			percent_off: 50,
			duration: "repeating",
			duration_in_months: 2,
			name: "50 % off for 2 months",
		});
		expect(coupon).toMatchObject({ id: "half-for-two", percent_off: 50, duration: "repeating", duration_in_months: 2 });
		await expect(
			stripe.coupons.create({ id: "half-for-two", percent_off: 10, duration: "once" }),
		).rejects.toMatchObject({
			code: "resource_already_exists",
		});
		await expect(stripe.coupons.create({ percent_off: 10, duration: "repeating" })).rejects.toMatchObject({
			code: "parameter_missing",
		});
		await expect(stripe.coupons.create({ percent_off: 10, amount_off: 100, currency: "usd" })).rejects.toThrow(
			/either percent_off or amount_off/,
		);
		const { customer, subscription } = await subscribedCustomer();
		const updated = await stripe.subscriptions.update(subscription.id, { discounts: [{ coupon: "half-for-two" }] });
		expect(updated.discounts).toHaveLength(1);
		await expect(
			stripe.subscriptions.update(subscription.id, { discounts: [{ coupon: "nope" }] }),
		).rejects.toMatchObject({
			code: "resource_missing",
		});
		await advance(31 * 86_400);
		const [renewal] = (await stripe.invoices.list({ customer: customer.id, limit: 1 })).data;
		expect(renewal).toMatchObject({ subtotal: 4900, total: 2450, amount_paid: 2450 });
		expect(renewal?.total_discount_amounts?.[0]?.amount).toBe(2450);
		// Two months later the discount has ended: full price again.
		await advance(31 * 86_400);
		await advance(31 * 86_400);
		const [later] = (await stripe.invoices.list({ customer: customer.id, limit: 1 })).data;
		expect(later).toMatchObject({ subtotal: 4900, total: 4900 });
	});

	it("refuses unknown parameters at any depth and in query strings, as Stripe does", async () => {
		const { customer, subscription } = await subscribedCustomer();
		const item = subscription.items.data[0]?.id ?? "";
		const refused = async (call: Promise<unknown>) => {
			const error = (await call.then(
				() => null,
				(e: unknown) => e,
			)) as Stripe.errors.StripeError | null;
			return error ? { code: error.code, param: error.param } : null;
		};
		expect(
			await refused(
				stripe.subscriptions.update(subscription.id, {
					items: [{ id: item, price: "price_business_monthly", bogus: "x" } as never],
				}),
			),
		).toEqual({ code: "parameter_unknown", param: "items[0][bogus]" });
		expect(
			await refused(
				stripe.invoices.createPreview({
					customer: customer.id,
					subscription: subscription.id,
					subscription_details: { items: [{ id: item, bogus: 1 } as never] },
				}),
			),
		).toEqual({ code: "parameter_unknown", param: "subscription_details[items][0][bogus]" });
		expect(await refused(stripe.invoices.list({ customer: customer.id, bogus: 1 } as never))).toEqual({
			code: "parameter_unknown",
			param: "bogus",
		});
		expect(await refused(stripe.subscriptions.retrieve(subscription.id, { bogus: 1 } as never))).toEqual({
			code: "parameter_unknown",
			param: "bogus",
		});
		// What Stripe takes is taken.
		const updated = await stripe.subscriptions.update(subscription.id, {
			payment_behavior: "pending_if_incomplete",
			metadata: { any_key: "ok" },
		});
		expect(updated.metadata.any_key).toBe("ok");
	});

	it("saves no idempotent result for a request refused by validation, so the corrected retry runs", async () => {
		const key = `idem-${Math.random().toString(36).slice(2)}`;
		const bad = await fetch(`${emulator.url}/v1/customers`, {
			method: "POST",
			headers: {
				authorization: "Bearer sk_test_portico",
				"idempotency-key": key,
				"content-type": "application/x-www-form-urlencoded",
			},
			body: "email=a%40example.test&bogus=1",
		});
		expect(bad.status).toBe(400);
		const fixed = await stripe.customers.create({ email: "a@example.test" }, { idempotencyKey: key });
		expect(fixed.id).toMatch(/^cus_/);
		const replay = await stripe.customers.create({ email: "a@example.test" }, { idempotencyKey: key });
		expect(replay.id).toBe(fixed.id);
	});

	it("pages backwards with ending_before, expands nested paths, refuses unknown expansions, keeps its bookkeeping to itself", async () => {
		const customers = [];
		for (let i = 0; i < 4; i++) customers.push(await stripe.customers.create({ email: `page${i}@example.test` }));
		const { subscription } = await subscribedCustomer();
		const events = await stripe.events.list({ limit: 3 });
		const last = events.data[events.data.length - 1]?.id ?? "";
		const before = await stripe.events.list({ limit: 2, ending_before: last });
		expect(before.data.map((e) => e.id)).toEqual(events.data.slice(0, 2).map((e) => e.id));
		const deep = await stripe.subscriptions.retrieve(subscription.id, { expand: ["latest_invoice.customer"] });
		const invoice = deep.latest_invoice as Stripe.Invoice;
		expect(typeof invoice).toBe("object");
		expect((invoice.customer as Stripe.Customer).object).toBe("customer");
		const unknown = await stripe.subscriptions.retrieve(subscription.id, { expand: ["nonsense"] }).catch((e) => e);
		expect((unknown as Stripe.errors.StripeError).message).toMatch(/cannot be expanded/);
		const raw = JSON.stringify(await stripe.subscriptions.retrieve(subscription.id));
		for (const field of ["test_token", "pending_invoice_items", "line_items_internal", "subscription_metadata"])
			expect(raw).not.toContain(field);
	});

	it("activates an incomplete subscription when its first invoice is paid, and expires one left unpaid for 23 hours", async () => {
		const { customer, subscription } = await subscribedCustomer("pm_card_chargeDeclined");
		expect(subscription.status).toBe("incomplete");
		const visa = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
		await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: visa.id } });
		await stripe.invoices.pay(String(subscription.latest_invoice));
		expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("active");

		const unpaid = await subscribedCustomer("pm_card_chargeDeclined");
		expect(unpaid.subscription.status).toBe("incomplete");
		await advance(23 * 60 * 60);
		expect((await stripe.subscriptions.retrieve(unpaid.subscription.id)).status).toBe("incomplete_expired");
	});

	it("a declined card on Checkout's page creates nothing and emits nothing; another card completes it", async () => {
		const customer = await stripe.customers.create({ email: "checkout@example.test" });
		const session = await stripe.checkout.sessions.create({
			mode: "subscription",
			customer: customer.id,
			line_items: [{ price: "price_pro_monthly", quantity: 1 }],
			success_url: "http://example.test/ok",
			cancel_url: "http://example.test/cancel",
		});
		const newestEvent = async () => (await stripe.events.list({ limit: 1 })).data[0]?.id;
		const before = await newestEvent();
		const pay = (card: string) =>
			fetch(`${emulator.url}/checkout/${session.id}/complete`, {
				method: "POST",
				body: new URLSearchParams({ card }),
				redirect: "manual",
			});
		const declined = await pay("pm_card_chargeDeclined");
		expect(declined.status).toBe(402);
		expect(await declined.text()).toContain("declined");
		expect(await newestEvent()).toBe(before);
		expect((await stripe.subscriptions.list({ customer: customer.id, status: "all" })).data).toEqual([]);
		expect((await pay("pm_card_visa")).status).toBe(303);
		expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("complete");
	});
});
