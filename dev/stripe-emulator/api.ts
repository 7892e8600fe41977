// The /v1 endpoints Portico uses, with Stripe's shapes, pagination, expansion and errors.
import { int, list, type Params, type Route } from "./api-kit.ts";
import { subscriptionRoutes } from "./api-subscriptions.ts";
import { attachTestCard, BASE, TEST_CARDS } from "./billing.ts";
import { couponRoutes } from "./coupons.ts";
import { missing, onlyParams, type ParamSpec, StripeApiError } from "./errors.ts";
import { type Obj, publicView, type Store } from "./store.ts";
import { taxIdRoutes } from "./tax-ids.ts";

const PREFIX_KIND: Record<string, string> = {
	cus: "customer",
	sub: "subscription",
	in: "invoice",
	pm: "payment_method",
	price: "price",
	prod: "product",
	cs: "checkout.session",
};

/**
 * Stripe's `expand`: each path names an id field, at any depth (`latest_invoice.customer` expands the
 * invoice, then its customer; `data.` applies to every list item). A path that names no expandable id
 * field is refused, as Stripe refuses it.
 */
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
			if (!(key in node)) {
				throw new StripeApiError(400, `This property cannot be expanded (${parts.slice(0, i + 1).join(".")}).`, {
					param: "expand",
				});
			}
			if (typeof node[key] === "string") {
				const target = store.find(node[key]);
				if (!target)
					throw new StripeApiError(400, `This property cannot be expanded (${parts.slice(0, i + 1).join(".")}).`, {
						param: "expand",
					});
				node[key] = structuredClone(target);
			}
			if (i < parts.length - 1) node[key] = walk(node[key], i + 1);
			return node;
		};
		walk(out, 0);
	}
	return out;
}

/** A retrieve takes `expand` and nothing else. */
function retrieve(store: Store, params: Params, id: string, kind: string): Obj {
	onlyParams(params, ["expand"]);
	return store.get(id, kind);
}

const ADDRESS: ParamSpec = { line1: true, line2: true, city: true, postal_code: true, state: true, country: true };
const CUSTOMER_FIELDS: ParamSpec = {
	email: true,
	name: true,
	metadata: true,
	address: ADDRESS,
	invoice_settings: { default_payment_method: true, custom_fields: true, footer: true, rendering_options: true },
	description: true,
	phone: true,
	expand: true,
};

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

export const routes: Route[] = [
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
	["GET", /^\/v1\/customers\/(cus_\w+)$/, (store, p, m) => retrieve(store, p, m[1] ?? "", "customer")],
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
	...taxIdRoutes,
	[
		"GET",
		/^\/v1\/customers\/(cus_\w+)\/payment_methods$/,
		(store, p, m) =>
			list(
				store,
				store.all("payment_method").filter((pm) => pm.customer === m[1]),
				p,
				`/v1/customers/${m[1]}/payment_methods`,
				["type"],
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
				["lookup_keys", "active", "product"],
			),
	],
	["GET", /^\/v1\/prices\/(\w+)$/, (store, p, m) => retrieve(store, p, m[1] ?? "", "price")],
	// Payment methods
	["GET", /^\/v1\/payment_methods\/(\w+)$/, (store, p, m) => retrieve(store, p, m[1] ?? "", "payment method")],
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
	...subscriptionRoutes,
	...couponRoutes,
	// Checkout and the billing portal
	[
		"POST",
		/^\/v1\/checkout\/sessions$/,
		(store, p) => {
			onlyParams(p, {
				mode: true,
				customer: true,
				line_items: [{ price: true, quantity: true }],
				success_url: true,
				cancel_url: true,
				client_reference_id: true,
				metadata: true,
				subscription_data: { metadata: true, description: true },
				expand: true,
			});
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
	["GET", /^\/v1\/checkout\/sessions\/(cs_\w+)$/, (store, p, m) => retrieve(store, p, m[1] ?? "", "checkout session")],
	[
		"POST",
		/^\/v1\/billing_portal\/sessions$/,
		(store, p) => {
			onlyParams(p, {
				customer: true,
				return_url: true,
				flow_data: {
					type: true,
					after_completion: {
						type: true,
						redirect: { return_url: true },
						hosted_confirmation: { custom_message: true },
					},
					subscription_cancel: { subscription: true },
					subscription_update: { subscription: true },
					subscription_update_confirm: { subscription: true, items: [{ id: true, price: true, quantity: true }] },
				},
				expand: true,
			});
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
				["type"],
			),
	],
	["GET", /^\/v1\/events\/(evt_\w+)$/, (store, p, m) => retrieve(store, p, m[1] ?? "", "event")],
];

export function handle(store: Store, method: string, path: string, params: Params): Obj {
	for (const [m, pattern, handler] of routes) {
		const match = m === method ? pattern.exec(path) : null;
		if (!match) continue;
		const expandPaths: string[] = params.expand ?? [];
		const result = handler(store, params, match as unknown as string[]);
		return publicView(
			result.object === "list"
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
				: expand(store, result, expandPaths),
		);
	}
	throw new StripeApiError(404, `Unrecognized request URL (${method}: ${path}).`);
}

export { PREFIX_KIND, TEST_CARDS };
