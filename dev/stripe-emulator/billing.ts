// Subscriptions, invoices, payments and prorations — the arithmetic Portico relies on.

import { discountAmounts } from "./coupons.ts";
import { StripeApiError } from "./errors.ts";
import { ACCOUNT } from "./invoice-document.ts";
import type { Obj, Store } from "./store.ts";

export const DECLINING_CARDS = new Set(["pm_card_chargeDeclined", "pm_card_visa_chargeDeclined"]);
export const TEST_CARDS: Record<string, { brand: string; last4: string }> = {
	pm_card_visa: { brand: "visa", last4: "4242" },
	pm_card_mastercard: { brand: "mastercard", last4: "4444" },
	pm_card_chargeDeclined: { brand: "visa", last4: "0002" },
};

export function addInterval(seconds: number, interval: string, count = 1): number {
	const d = new Date(seconds * 1000);
	if (interval === "year") d.setUTCFullYear(d.getUTCFullYear() + count);
	else if (interval === "week") d.setUTCDate(d.getUTCDate() + 7 * count);
	else if (interval === "day") d.setUTCDate(d.getUTCDate() + count);
	else d.setUTCMonth(d.getUTCMonth() + count);
	return Math.floor(d.getTime() / 1000);
}

/** A payment method object for a test card token, attached to the customer. */
export function attachTestCard(store: Store, token: string, customerId: string): Obj {
	const card = TEST_CARDS[token];
	if (!card)
		throw new StripeApiError(404, `No such PaymentMethod: '${token}'`, {
			code: "resource_missing",
			param: "payment_method",
		});
	const pm = store.put({
		id: store.id("pm"),
		object: "payment_method",
		type: "card",
		card: { brand: card.brand, last4: card.last4, exp_month: 12, exp_year: 2030, country: "US", funding: "credit" },
		customer: customerId,
		created: store.now(),
		livemode: false,
		metadata: {},
		billing_details: { email: null, name: null, address: null, phone: null },
		test_token: token,
	});
	store.emit("payment_method.attached", pm);
	return pm;
}

function paymentMethodFor(store: Store, customer: Obj, subscription?: Obj): Obj | null {
	const id = subscription?.default_payment_method ?? customer.invoice_settings?.default_payment_method;
	return id ? (store.find(id) ?? null) : null;
}

export function newInvoice(
	store: Store,
	customer: Obj,
	subscription: Obj | null,
	lines: Obj[],
	billingReason: string,
): Obj {
	const subtotal = lines.reduce((n, l) => n + l.amount, 0);
	const discounts = discountAmounts(store, subscription, subtotal);
	const total = subtotal - discounts.reduce((n, d) => n + d.amount, 0);
	store.state.invoiceCounter++;
	const id = store.id("in");
	const invoice = store.put({
		id,
		object: "invoice",
		customer: customer.id,
		// Snapshots at creation, as Stripe takes them: what the invoice says stays what it said.
		customer_email: customer.email,
		customer_name: customer.name,
		customer_address: customer.address ? structuredClone(customer.address) : null,
		customer_tax_ids: store
			.all("tax_id")
			.filter((t) => t.customer === customer.id)
			.map((t) => ({ type: t.type, value: t.value })),
		account_name: ACCOUNT.name,
		account_country: ACCOUNT.country,
		number: `${customer.id.slice(4, 12).toUpperCase()}-${String(store.state.invoiceCounter).padStart(4, "0")}`,
		status: "draft",
		currency: lines[0]?.currency ?? "usd",
		subtotal,
		total,
		total_discount_amounts: discounts,
		discounts: discounts.map((d) => d.discount),
		amount_due: Math.max(0, total),
		amount_paid: 0,
		amount_remaining: Math.max(0, total),
		attempt_count: 0,
		billing_reason: billingReason,
		created: store.now(),
		period_start: lines[0]?.period?.start ?? store.now(),
		period_end: lines[0]?.period?.end ?? store.now(),
		hosted_invoice_url: `${BASE.url}/i/${id}`,
		invoice_pdf: `${BASE.url}/invoices/${id}/pdf`,
		lines: {
			object: "list",
			data: lines.map((l) => ({ id: store.id("il"), object: "line_item", ...l })),
			has_more: false,
			url: `/v1/invoices/${id}/lines`,
		},
		parent: subscription
			? {
					type: "subscription_details",
					subscription_details: { subscription: subscription.id, metadata: subscription.metadata ?? {} },
				}
			: null,
		status_transitions: { finalized_at: null as number | null, paid_at: null as number | null },
		livemode: false,
		metadata: {},
	});
	store.emit("invoice.created", invoice);
	invoice.status = "open";
	invoice.status_transitions.finalized_at = store.now();
	store.emit("invoice.finalized", invoice);
	return invoice;
}

/** Tries to collect an open invoice; returns whether it is paid. */
export function collect(store: Store, invoice: Obj): boolean {
	const customer = store.get(invoice.customer, "customer");
	const subscription = invoice.parent?.subscription_details?.subscription
		? store.find(invoice.parent.subscription_details.subscription)
		: undefined;
	invoice.attempt_count++;
	if (invoice.amount_due > 0) {
		const pm = paymentMethodFor(store, customer, subscription);
		if (!pm || DECLINING_CARDS.has(pm.test_token)) {
			store.emit("invoice.payment_failed", invoice);
			if (subscription && subscription.status === "active") {
				const previous = { status: subscription.status };
				subscription.status = "past_due";
				store.emit("customer.subscription.updated", subscription, previous);
			}
			return false;
		}
	}
	invoice.status = "paid";
	invoice.amount_paid = invoice.amount_due;
	invoice.amount_remaining = 0;
	invoice.status_transitions.paid_at = store.now();
	store.emit("invoice.paid", invoice);
	// An incomplete subscription becomes active when its first invoice is paid (later, by another card).
	if (subscription && subscription.status === "incomplete" && subscription.latest_invoice === invoice.id) {
		subscription.status = "active";
		store.emit("customer.subscription.updated", subscription, { status: "incomplete" });
	}
	if (subscription && subscription.status === "past_due") {
		const stillOpen = store
			.all("invoice")
			.some((i) => i.status === "open" && i.parent?.subscription_details?.subscription === subscription.id);
		if (!stillOpen) {
			subscription.status = "active";
			store.emit("customer.subscription.updated", subscription, { status: "past_due" });
		}
	}
	return true;
}

function periodLine(price: Obj, quantity: number, start: number, end: number, description: string): Obj {
	return {
		amount: price.unit_amount * quantity,
		currency: price.currency,
		description,
		quantity,
		period: { start, end },
		pricing: { price_details: { price: price.id } },
		proration: false,
	};
}

/**
 * Proration for changing an item's price at `at` within [start, end): a credit for the unused time on
 * the old price and a charge for the remaining time on the new one, each rounded to the cent.
 */
export function prorationLines(store: Store, item: Obj, newPrice: Obj, newQuantity: number, at: number): Obj[] {
	const start = item.current_period_start;
	const end = item.current_period_end;
	if (at < start || at > end)
		throw new StripeApiError(400, "proration_date must be within the current billing period.", {
			param: "proration_date",
		});
	const remaining = (end - at) / (end - start);
	const oldPrice = store.get(item.price.id, "price");
	return [
		{
			amount: -Math.round(oldPrice.unit_amount * item.quantity * remaining),
			currency: oldPrice.currency,
			description: `Unused time on ${oldPrice.nickname ?? oldPrice.id} after ${new Date(at * 1000).toISOString().slice(0, 10)}`,
			quantity: item.quantity,
			period: { start: at, end },
			pricing: { price_details: { price: oldPrice.id } },
			proration: true,
		},
		{
			amount: Math.round(newPrice.unit_amount * newQuantity * remaining),
			currency: newPrice.currency,
			description: `Remaining time on ${newPrice.nickname ?? newPrice.id} after ${new Date(at * 1000).toISOString().slice(0, 10)}`,
			quantity: newQuantity,
			period: { start: at, end },
			pricing: { price_details: { price: newPrice.id } },
			proration: true,
		},
	];
}

export const BASE = { url: "http://127.0.0.1:12111" };

export function createSubscription(
	store: Store,
	customer: Obj,
	items: { price: string; quantity?: number }[],
	options: { defaultPaymentMethod?: string; metadata?: Obj },
): Obj {
	const start = store.now();
	const subId = store.id("sub");
	const subItems = items.map((i) => {
		const price = store.get(i.price, "price");
		return {
			id: store.id("si"),
			object: "subscription_item",
			price,
			quantity: i.quantity ?? 1,
			current_period_start: start,
			current_period_end: addInterval(start, price.recurring.interval),
			subscription: subId,
			metadata: {},
		};
	});
	const subscription = store.put({
		id: subId,
		object: "subscription",
		customer: customer.id,
		status: "incomplete",
		items: { object: "list", data: subItems, has_more: false, url: `/v1/subscription_items?subscription=${subId}` },
		cancel_at_period_end: false,
		cancel_at: null,
		canceled_at: null,
		ended_at: null,
		created: start,
		start_date: start,
		billing_cycle_anchor: start,
		default_payment_method: options.defaultPaymentMethod ?? null,
		latest_invoice: null,
		metadata: options.metadata ?? {},
		pending_invoice_items: [],
		livemode: false,
		currency: subItems[0]?.price.currency ?? "usd",
	});
	const lines = subItems.map((i) =>
		periodLine(
			i.price,
			i.quantity,
			i.current_period_start,
			i.current_period_end,
			`${i.quantity} × ${i.price.nickname ?? i.price.id}`,
		),
	);
	const invoice = newInvoice(store, customer, subscription, lines, "subscription_create");
	subscription.latest_invoice = invoice.id;
	const paid = collect(store, invoice);
	subscription.status = paid ? "active" : "incomplete";
	store.emit("customer.subscription.created", subscription);
	return subscription;
}

/** Moves every subscription through the periods that ended by `now`: renewal invoices or cancellation. */
/** Stripe lets an incomplete subscription's first invoice be paid for 23 hours, then expires it. */
const INCOMPLETE_EXPIRES_AFTER_S = 23 * 60 * 60;

export function renewDue(store: Store): void {
	for (const sub of store.all("subscription")) {
		if (sub.status === "incomplete" && store.now() - sub.created >= INCOMPLETE_EXPIRES_AFTER_S) {
			sub.status = "incomplete_expired";
			sub.ended_at = sub.created + INCOMPLETE_EXPIRES_AFTER_S;
			const open = store.find(sub.latest_invoice ?? "");
			if (open?.status === "open") open.status = "void";
			store.emit("customer.subscription.deleted", sub, { status: "incomplete" });
			continue;
		}
		while (["active", "past_due", "trialing"].includes(sub.status)) {
			const item = sub.items.data[0];
			if (!item || item.current_period_end > store.now()) break;
			const previous = { status: sub.status, items: structuredClone(sub.items) };
			if (sub.cancel_at_period_end) {
				sub.status = "canceled";
				sub.canceled_at = sub.canceled_at ?? item.current_period_end;
				sub.ended_at = item.current_period_end;
				store.emit("customer.subscription.deleted", sub);
				break;
			}
			const customer = store.get(sub.customer, "customer");
			for (const it of sub.items.data) {
				it.current_period_start = it.current_period_end;
				it.current_period_end = addInterval(it.current_period_start, it.price.recurring.interval);
			}
			const lines = [
				...sub.pending_invoice_items.splice(0),
				...sub.items.data.map((it: Obj) =>
					periodLine(
						it.price,
						it.quantity,
						it.current_period_start,
						it.current_period_end,
						`${it.quantity} × ${it.price.nickname ?? it.price.id}`,
					),
				),
			];
			store.emit("customer.subscription.updated", sub, previous);
			const invoice = newInvoice(store, customer, sub, lines, "subscription_cycle");
			sub.latest_invoice = invoice.id;
			collect(store, invoice);
		}
	}
}
