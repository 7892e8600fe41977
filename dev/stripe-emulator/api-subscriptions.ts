// /v1/subscriptions and /v1/invoices: creating, changing (with proration), cancelling and previewing.
import { int, list, type Params, type Route } from "./api-kit.ts";
import { addInterval, collect, createSubscription, newInvoice, prorationLines } from "./billing.ts";
import { applyDiscounts } from "./coupons.ts";
import { missing, onlyParams, StripeApiError } from "./errors.ts";
import type { Obj, Store } from "./store.ts";

function subscriptionChange(store: Store, sub: Obj, params: Params) {
	const item = sub.items.data[0];
	const change = (params.items ?? [])[0];
	if (!change) return null;
	if (change.id && change.id !== item.id)
		throw new StripeApiError(400, `No such subscription item: '${change.id}'`, { param: "items[0][id]" });
	const price = store.get(change.price ?? item.price.id, "price");
	const quantity = change.quantity !== undefined ? int(change.quantity, "items[0][quantity]") : item.quantity;
	return { item, price, quantity };
}

/** Stripe's `payment_behavior` values for creating and updating subscriptions. */
const PAYMENT_BEHAVIORS = ["allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete"];

export const subscriptionRoutes: Route[] = [
	// Subscriptions
	[
		"POST",
		/^\/v1\/subscriptions$/,
		(store, p) => {
			onlyParams(p, {
				customer: true,
				items: [{ price: true, quantity: true, metadata: true }],
				default_payment_method: true,
				payment_behavior: true,
				metadata: true,
				expand: true,
			});
			if (p.payment_behavior && !PAYMENT_BEHAVIORS.includes(p.payment_behavior))
				throw new StripeApiError(400, `Invalid payment_behavior: ${p.payment_behavior}`, { param: "payment_behavior" });
			if (!p.customer) throw missing("customer");
			if (!p.items?.length) throw missing("items");
			return createSubscription(
				store,
				store.get(p.customer, "customer"),
				p.items.map((i: Params) => ({
					price: i.price,
					quantity: i.quantity ? int(i.quantity, "items[0][quantity]") : 1,
				})),
				{ defaultPaymentMethod: p.default_payment_method, metadata: p.metadata },
			);
		},
	],
	[
		"GET",
		/^\/v1\/subscriptions$/,
		(store, p) =>
			list(
				store,
				store
					.all("subscription")
					.filter(
						(s) =>
							(!p.customer || s.customer === p.customer) &&
							(p.status === "all" || !p.status ? s.status !== "canceled" || p.status === "all" : s.status === p.status),
					),
				p,
				"/v1/subscriptions",
				["customer", "status", "price"],
			),
	],
	[
		"GET",
		/^\/v1\/subscriptions\/(sub_\w+)$/,
		(store, p, m) => {
			onlyParams(p, ["expand"]);
			return store.get(m[1] ?? "", "subscription");
		},
	],
	[
		"POST",
		/^\/v1\/subscriptions\/(sub_\w+)$/,
		(store, p, m) => {
			onlyParams(p, {
				items: [{ id: true, price: true, quantity: true, metadata: true, deleted: true }],
				proration_behavior: true,
				proration_date: true,
				payment_behavior: true,
				cancel_at_period_end: true,
				default_payment_method: true,
				metadata: true,
				expand: true,
				cancellation_details: { comment: true, feedback: true },
				discounts: [{ coupon: true, discount: true, promotion_code: true }],
			});
			if (p.payment_behavior && !PAYMENT_BEHAVIORS.includes(p.payment_behavior))
				throw new StripeApiError(400, `Invalid payment_behavior: ${p.payment_behavior}`, { param: "payment_behavior" });
			const sub = store.get(m[1] ?? "", "subscription");
			if (sub.status === "canceled")
				throw new StripeApiError(
					400,
					"A canceled subscription can only update its cancellation_details and metadata.",
					{ code: "resource_missing" },
				);
			const previous = structuredClone({
				items: sub.items,
				cancel_at_period_end: sub.cancel_at_period_end,
				metadata: sub.metadata,
				status: sub.status,
			});
			if (p.metadata) sub.metadata = { ...sub.metadata, ...p.metadata };
			if (p.default_payment_method)
				sub.default_payment_method = store.get(p.default_payment_method, "payment method").id;
			if (p.cancellation_details) sub.cancellation_details = p.cancellation_details;
			if ("discounts" in p) applyDiscounts(store, sub, p.discounts);
			if ("cancel_at_period_end" in p) {
				sub.cancel_at_period_end = p.cancel_at_period_end === "true";
				sub.cancel_at = sub.cancel_at_period_end ? sub.items.data[0].current_period_end : null;
				sub.canceled_at = sub.cancel_at_period_end ? store.now() : null;
			}
			const change = subscriptionChange(store, sub, p);
			if (change) {
				const behavior = p.proration_behavior ?? "create_prorations";
				if (!["create_prorations", "always_invoice", "none"].includes(behavior))
					throw new StripeApiError(400, `Invalid proration_behavior: ${behavior}`, { param: "proration_behavior" });
				const at = p.proration_date ? int(p.proration_date, "proration_date") : store.now();
				const lines = behavior === "none" ? [] : prorationLines(store, change.item, change.price, change.quantity, at);
				change.item.price = change.price;
				change.item.quantity = change.quantity;
				if (behavior === "create_prorations") sub.pending_invoice_items.push(...lines);
				if (behavior === "always_invoice" && lines.length) {
					const invoice = newInvoice(store, store.get(sub.customer, "customer"), sub, lines, "subscription_update");
					sub.latest_invoice = invoice.id;
					collect(store, invoice);
				}
			}
			store.emit("customer.subscription.updated", sub, previous);
			return sub;
		},
	],
	[
		"DELETE",
		/^\/v1\/subscriptions\/(sub_\w+)$/,
		(store, p, m) => {
			onlyParams(p, {
				expand: true,
				cancellation_details: { comment: true, feedback: true },
				prorate: true,
				invoice_now: true,
			});
			const sub = store.get(m[1] ?? "", "subscription");
			sub.status = "canceled";
			sub.canceled_at = store.now();
			sub.ended_at = store.now();
			store.emit("customer.subscription.deleted", sub);
			return sub;
		},
	],
	// Invoices
	[
		"GET",
		/^\/v1\/invoices$/,
		(store, p) =>
			list(
				store,
				store
					.all("invoice")
					.filter(
						(i) =>
							(!p.customer || i.customer === p.customer) &&
							(!p.subscription || i.parent?.subscription_details?.subscription === p.subscription) &&
							(!p.status || i.status === p.status),
					),
				p,
				"/v1/invoices",
				["customer", "subscription", "status"],
			),
	],
	[
		"GET",
		/^\/v1\/invoices\/(in_\w+)$/,
		(store, p, m) => {
			onlyParams(p, ["expand"]);
			return store.get(m[1] ?? "", "invoice");
		},
	],
	[
		"POST",
		/^\/v1\/invoices\/(in_\w+)\/pay$/,
		(store, p, m) => {
			onlyParams(p, ["expand"]);
			const invoice = store.get(m[1] ?? "", "invoice");
			if (invoice.status !== "open")
				throw new StripeApiError(400, "Invoice is already paid or void.", { code: "invoice_not_open" });
			if (!collect(store, invoice))
				throw new StripeApiError(402, "Your card was declined.", { type: "card_error", code: "card_declined" });
			return invoice;
		},
	],
	[
		"POST",
		/^\/v1\/invoices\/create_preview$/,
		(store, p) => {
			onlyParams(p, {
				customer: true,
				subscription: true,
				subscription_details: {
					items: [{ id: true, price: true, quantity: true, deleted: true }],
					proration_behavior: true,
					proration_date: true,
				},
				expand: true,
			});
			if (!p.customer) throw missing("customer");
			const customer = store.get(p.customer, "customer");
			const sub = p.subscription ? store.get(p.subscription, "subscription") : null;
			const details = p.subscription_details ?? {};
			if (!sub) throw missing("subscription");
			const change = subscriptionChange(store, sub, details);
			const behavior = details.proration_behavior ?? "create_prorations";
			const at = details.proration_date
				? int(details.proration_date, "subscription_details[proration_date]")
				: store.now();
			const item = sub.items.data[0];
			const price = change?.price ?? store.get(item.price.id, "price");
			const quantity = change?.quantity ?? item.quantity;
			const prorations = change && behavior !== "none" ? prorationLines(store, item, price, quantity, at) : [];
			const lines =
				behavior === "always_invoice"
					? prorations
					: [
							...sub.pending_invoice_items,
							...prorations,
							{
								amount: price.unit_amount * quantity,
								currency: price.currency,
								description: `${quantity} × ${price.nickname ?? price.id}`,
								quantity,
								period: {
									start: item.current_period_end,
									end: addInterval(item.current_period_end, price.recurring.interval),
								},
								pricing: { price_details: { price: price.id } },
								proration: false,
							},
						];
			const total = lines.reduce((n: number, l: Obj) => n + l.amount, 0);
			// A preview is never stored: it has an id Stripe gives previews, no number and no hosted pages.
			return {
				id: `upcoming_${store.id("in")}`,
				object: "invoice",
				customer: customer.id,
				customer_email: customer.email ?? null,
				customer_name: customer.name ?? null,
				customer_address: customer.address ?? null,
				account_name: null,
				account_country: null,
				number: null,
				status: "draft",
				currency: price.currency,
				subtotal: total,
				total,
				total_discount_amounts: [],
				discounts: [],
				amount_due: Math.max(0, total),
				amount_paid: 0,
				amount_remaining: Math.max(0, total),
				attempt_count: 0,
				billing_reason: "upcoming",
				hosted_invoice_url: null,
				invoice_pdf: null,
				metadata: {},
				created: store.now(),
				period_start: at,
				period_end: item.current_period_end,
				lines: {
					object: "list",
					data: lines.map((l: Obj, i: number) => ({ id: `il_preview_${i}`, object: "line_item", ...l })),
					has_more: false,
					url: "/v1/invoices/create_preview/lines",
				},
				parent: {
					type: "subscription_details",
					subscription_details: { subscription: sub.id, metadata: sub.metadata },
				},
				livemode: false,
			};
		},
	],
];
