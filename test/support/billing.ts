// Billing helpers for Worker tests: the real SDK against the emulator, and webhook delivery done by
// the test (the emulator signs each event; the test posts it to the Worker as Stripe would).
import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { organizations } from "../../src/db/schema.ts";
import { type TestOrg, testDb } from "./worker.ts";

export function stripe(): Stripe {
	const base = new URL(env.STRIPE_API_BASE);
	return new Stripe("sk_test_portico", {
		httpClient: Stripe.createFetchHttpClient(),
		host: base.hostname,
		port: Number(base.port),
		protocol: "http",
		maxNetworkRetries: 0,
	});
}

export interface Delivery {
	index: number;
	eventId: string;
	payload: string;
	signature: string;
}

/** The emulator's deliveries mentioning this customer, after `after`. */
export async function deliveriesFor(customerId: string, after = -1): Promise<Delivery[]> {
	const res = await fetch(`${env.STRIPE_API_BASE}/_emulator/deliveries?customer=${customerId}&after=${after}`);
	return ((await res.json()) as { deliveries: Delivery[] }).deliveries;
}

export async function postWebhook(payload: string, signature: string) {
	return exports.default.fetch(
		new Request("http://localhost/webhooks/stripe", {
			method: "POST",
			headers: { "content-type": "application/json", "stripe-signature": signature },
			body: payload,
		}),
	);
}

/** Delivers every pending event for the customer to the Worker, in order; returns the last index. */
export async function deliverAll(customerId: string, after = -1): Promise<number> {
	let last = after;
	for (const d of await deliveriesFor(customerId, after)) {
		const res = await postWebhook(d.payload, d.signature);
		if (res.status !== 200) throw new Error(`webhook ${d.eventId} answered ${res.status}: ${await res.text()}`);
		last = d.index;
	}
	return last;
}

/** Puts the organization on a paid plan the way a completed checkout would (customer, card, subscription). */
export async function subscribe(org: TestOrg, price = "price_pro_monthly", card = "pm_card_visa") {
	const s = stripe();
	const customer = await s.customers.create({
		email: `billing-${org.slug}@example.test`,
		metadata: { org_id: org.id },
	});
	await testDb().update(organizations).set({ stripeCustomerId: customer.id }).where(eq(organizations.id, org.id));
	const pm = await s.paymentMethods.attach(card, { customer: customer.id });
	await s.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
	const subscription = await s.subscriptions.create({ customer: customer.id, items: [{ price }] });
	await deliverAll(customer.id);
	return { customerId: customer.id, subscriptionId: subscription.id };
}

export async function advanceClock(seconds: number) {
	await fetch(`${env.STRIPE_API_BASE}/_emulator/clock/advance`, { method: "POST", body: JSON.stringify({ seconds }) });
}

export async function orgBilling(orgId: string) {
	const [row] = await testDb().select().from(organizations).where(eq(organizations.id, orgId));
	return row;
}
