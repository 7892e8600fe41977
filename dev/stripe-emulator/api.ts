// The /v1 endpoints Portico uses, with Stripe's shapes, pagination, expansion and errors.
import {
	addInterval,
	attachTestCard,
	BASE,
	collect,
	createSubscription,
	newInvoice,
	prorationLines,
	TEST_CARDS,
} from "./billing.ts";
import { missing, notFound, onlyParams, StripeApiError } from "./errors.ts";
import type { Obj, Store } from "./store.ts";

type Params = Record<string, any>;
type Handler = (store: Store, params: Params, match: string[]) => Obj;

const PREFIX_KIND: Record<string, string> = {
	cus: "customer",
	sub: "subscription",
	in: "invoice",
	pm: "payment_method",
	price: "price",
	prod: "product",
	cs: "checkout.session",
};

function expand(store: Store, obj: Obj, paths: string[]): Obj {
	const out = structuredClone(obj);
	for (const path of paths) {
		const parts = path.split(".");
		const walk = (node: any, i: number): any => {
			if (node === null || node === undefined) return node;
			const key = parts[i] ?? "";
			if (key === "data" && Array.isArray(node.data)) {
				node.data = node.data.map((d: any) => walk(d, i + 1));
				return node;
			}
			if (i === parts.length - 1) {
				if (typeof node[key] === "string" && store.find(node[key])) node[key] = structuredClone(store.find(node[key]));
				return node;
			}
			node[key] = walk(node[key], i + 1);
			return node;
		};
		walk(out, 0);
	}
	delete out.test_token;
	delete out.pending_invoice_items;
	return out;
}

function list(store: Store, items: Obj[], params: Params, url: string): Obj {
	const limit = Math.min(Math.max(Number(params.limit ?? 10), 1), 100);
	const sorted = [...items].sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
	let start = 0;
	if (params.starting_after) {
		const at = sorted.findIndex((o) => o.id === params.starting_after);
		if (at < 0) throw notFound("object", params.starting_after);
		start = at + 1;
	}
	const page = sorted.slice(start, start + limit);
	return { object: "list", data: page, has_more: start + limit < sorted.length, url };
}

function int(value: unknown, param: string): number {
	const n = Number(value);
	if (!Number.isInteger(n)) throw new StripeApiError(400, `Invalid integer: ${String(value)}`, { param });
	return n;
}

const CUSTOMER_FIELDS = ["email", "name", "metadata", "address", "invoice_settings", "description", "phone", "expand"];

function applyCustomer(store: Store, customer: Obj, params: Params): void {
	for (const key of ["email", "name", "description", "phone"]) if (key in params) customer[key] = params[key] || null;
	if (params.metadata) customer.metadata = { ...customer.metadata, ...params.metadata };
	if (params.address)
		customer.address = {
			line1: null,
			line2: null,
			city: null,
			postal_code: null,
			state: null,
			country: null,
			...params.address,
		};
	if (params.invoice_settings?.default_payment_method) {
		const pm = store.get(params.invoice_settings.default_payment_method, "payment method");
		if (pm.customer !== customer.id)
			throw new StripeApiError(400, "The payment method is not attached to this customer.", {
				param: "invoice_settings[default_payment_method]",
			});
		customer.invoice_settings.default_payment_method = pm.id;
	}
}

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

export const routes: [string, RegExp, Handler][] = [
	// Customers
	[
		"POST",
		/^\/v1\/customers$/,
		(store, p) => {
			onlyParams(p, CUSTOMER_FIELDS);
			const customer = store.put({
				id: store.id("cus"),
				object: "customer",
				created: store.now(),
				email: null,
				name: null,
				description: null,
				phone: null,
				address: null,
				metadata: {},
				invoice_settings: { default_payment_method: null },
				livemode: false,
				balance: 0,
				currency: "usd",
				delinquent: false,
			});
			applyCustomer(store, customer, p);
			store.emit("customer.created", customer);
			return customer;
		},
	],
	["GET", /^\/v1\/customers\/(cus_\w+)$/, (store, _p, m) => store.get(m[1] ?? "", "customer")],
	[
		"POST",
		/^\/v1\/customers\/(cus_\w+)$/,
		(store, p, m) => {
			onlyParams(p, CUSTOMER_FIELDS);
			const customer = store.get(m[1] ?? "", "customer");
			const previous = structuredClone(customer);
			applyCustomer(store, customer, p);
			store.emit("customer.updated", customer, previous);
			return customer;
		},
	],
	[
		"GET",
		/^\/v1\/customers\/(cus_\w+)\/payment_methods$/,
		(store, p, m) =>
			list(
				store,
				store.all("payment_method").filter((pm) => pm.customer === m[1]),
				p,
				`/v1/customers/${m[1]}/payment_methods`,
			),
	],
	// Products and prices
	[
		"GET",
		/^\/v1\/prices$/,
		(store, p) =>
			list(
				store,
				store.all("price").filter((pr) => !p.lookup_keys || p.lookup_keys.includes(pr.lookup_key)),
				p,
				"/v1/prices",
			),
	],
	["GET", /^\/v1\/prices\/(\w+)$/, (store, _p, m) => store.get(m[1] ?? "", "price")],
	// Payment methods
	["GET", /^\/v1\/payment_methods\/(\w+)$/, (store, _p, m) => store.get(m[1] ?? "", "payment method")],
	[
		"POST",
		/^\/v1\/payment_methods\/(\w+)\/attach$/,
		(store, p, m) => {
			onlyParams(p, ["customer", "expand"]);
			if (!p.customer) throw missing("customer");
			store.get(p.customer, "customer");
			return attachTestCard(store, m[1] ?? "", p.customer);
		},
	],
	// Subscriptions
	[
		"POST",
		/^\/v1\/subscriptions$/,
		(store, p) => {
			onlyParams(p, ["customer", "items", "default_payment_method", "metadata", "expand"]);
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
			),
	],
	["GET", /^\/v1\/subscriptions\/(sub_\w+)$/, (store, _p, m) => store.get(m[1] ?? "", "subscription")],
	[
		"POST",
		/^\/v1\/subscriptions\/(sub_\w+)$/,
		(store, p, m) => {
			onlyParams(p, [
				"items",
				"proration_behavior",
				"proration_date",
				"cancel_at_period_end",
				"default_payment_method",
				"metadata",
				"expand",
				"cancellation_details",
			]);
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
			onlyParams(p, ["expand", "cancellation_details"]);
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
			),
	],
	["GET", /^\/v1\/invoices\/(in_\w+)$/, (store, _p, m) => store.get(m[1] ?? "", "invoice")],
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
			onlyParams(p, ["customer", "subscription", "subscription_details", "expand"]);
			if (!p.customer) throw missing("customer");
			const customer = store.get(p.customer, "customer");
			const sub = p.subscription ? store.get(p.subscription, "subscription") : null;
			const details = p.subscription_details ?? {};
			onlyParams(details, ["items", "proration_behavior", "proration_date"]);
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
			return {
				id: null,
				object: "invoice",
				customer: customer.id,
				status: "draft",
				currency: price.currency,
				subtotal: total,
				total,
				amount_due: Math.max(0, total),
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
	// Checkout and the billing portal
	[
		"POST",
		/^\/v1\/checkout\/sessions$/,
		(store, p) => {
			onlyParams(p, [
				"mode",
				"customer",
				"line_items",
				"success_url",
				"cancel_url",
				"client_reference_id",
				"metadata",
				"subscription_data",
				"expand",
			]);
			if (p.mode !== "subscription")
				throw new StripeApiError(400, "Only mode=subscription is supported.", { param: "mode" });
			for (const key of ["customer", "line_items", "success_url", "cancel_url"]) if (!p[key]) throw missing(key);
			store.get(p.customer, "customer");
			const items = p.line_items.map((li: Params) => ({
				price: store.get(li.price, "price").id,
				quantity: li.quantity ? int(li.quantity, "line_items[0][quantity]") : 1,
			}));
			const id = store.id("cs");
			return store.put({
				id,
				object: "checkout.session",
				mode: "subscription",
				status: "open",
				payment_status: "unpaid",
				customer: p.customer,
				client_reference_id: p.client_reference_id ?? null,
				metadata: p.metadata ?? {},
				subscription: null,
				success_url: p.success_url,
				cancel_url: p.cancel_url,
				url: `${BASE.url}/checkout/${id}`,
				created: store.now(),
				expires_at: store.now() + 86_400,
				line_items_internal: items,
				subscription_metadata: p.subscription_data?.metadata ?? {},
				livemode: false,
			});
		},
	],
	["GET", /^\/v1\/checkout\/sessions\/(cs_\w+)$/, (store, _p, m) => store.get(m[1] ?? "", "checkout session")],
	[
		"POST",
		/^\/v1\/billing_portal\/sessions$/,
		(store, p) => {
			onlyParams(p, ["customer", "return_url", "flow_data", "expand"]);
			if (!p.customer) throw missing("customer");
			store.get(p.customer, "customer");
			const id = store.id("bps");
			return store.put({
				id,
				object: "billing_portal.session",
				customer: p.customer,
				return_url: p.return_url ?? null,
				flow: p.flow_data ?? null,
				url: `${BASE.url}/portal/${id}`,
				created: store.now(),
				livemode: false,
			});
		},
	],
	// Events
	[
		"GET",
		/^\/v1\/events$/,
		(store, p) =>
			list(
				store,
				store.all("event").filter((e) => !p.type || e.type === p.type),
				p,
				"/v1/events",
			),
	],
	["GET", /^\/v1\/events\/(evt_\w+)$/, (store, _p, m) => store.get(m[1] ?? "", "event")],
];

export function handle(store: Store, method: string, path: string, params: Params): Obj {
	for (const [m, pattern, handler] of routes) {
		const match = m === method ? pattern.exec(path) : null;
		if (!match) continue;
		const expandPaths: string[] = params.expand ?? [];
		const result = handler(store, params, match as unknown as string[]);
		return result.object === "list"
			? {
					...result,
					data: result.data.map((o: Obj) =>
						expand(
							store,
							o,
							expandPaths.map((x) => x.replace(/^data\./, "")),
						),
					),
				}
			: expand(store, result, expandPaths);
	}
	throw new StripeApiError(404, `Unrecognized request URL (${method}: ${path}).`);
}

export { PREFIX_KIND, TEST_CARDS };
