// Stripe's full object shapes. The emulator models the fields Portico's billing depends on; every other
// field Stripe always returns is filled here with the value Stripe gives an account that does not use
// that feature (no tax, no Connect, no test clocks, no quotes, …), so each object has exactly the fields
// of its type in the `stripe` package (checked by test/stripe-emulator/schema.test.ts). Applied to every
// response and webhook payload by `publicView`; stored objects stay as the emulator keeps them.
// biome-ignore-all lint/suspicious/noExplicitAny: Stripe objects are JSON of many shapes

type Obj = Record<string, any>;

const liabilityFree = { enabled: false, liability: null };

function subscriptionItem(item: Obj, sub: Obj | null): Obj {
	const price = item.price ?? {};
	return {
		billing_thresholds: null,
		created: sub?.created ?? item.current_period_start,
		current_trial: null,
		discounts: [],
		metadata: {},
		plan: plan(price),
		tax_rates: [],
		...item,
	};
}

function plan(price: Obj): Obj {
	return {
		id: price.id,
		object: "plan",
		active: price.active ?? true,
		amount: price.unit_amount ?? null,
		amount_decimal: price.unit_amount === undefined ? null : String(price.unit_amount),
		billing_scheme: "per_unit",
		created: price.created,
		currency: price.currency,
		interval: price.recurring?.interval ?? "month",
		interval_count: price.recurring?.interval_count ?? 1,
		livemode: false,
		metadata: price.metadata ?? {},
		meter: null,
		nickname: price.nickname ?? null,
		product: price.product ?? null,
		tiers_mode: null,
		transform_usage: null,
		trial_period_days: null,
		usage_type: "licensed",
	};
}

const SHAPES: Record<string, (o: Obj) => Obj> = {
	subscription: (o) => ({
		application: null,
		application_fee_percent: null,
		automatic_tax: { disabled_reason: null, ...liabilityFree },
		billing_cycle_anchor_config: null,
		billing_mode: { flexible: null, type: "classic" },
		billing_schedules: [],
		billing_thresholds: null,
		cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
		collection_method: "charge_automatically",
		currency: o.items?.data?.[0]?.price?.currency ?? "usd",
		customer_account: null,
		days_until_due: null,
		default_source: null,
		description: null,
		discounts: [],
		invoice_settings: {
			account_tax_ids: null,
			custom_fields: null,
			description: null,
			footer: null,
			issuer: { type: "self" },
		},
		livemode: false,
		managed_payments: null,
		next_pending_invoice_item_invoice: null,
		on_behalf_of: null,
		pause_collection: null,
		payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: "off" },
		pending_invoice_item_interval: null,
		pending_setup_intent: null,
		pending_update: null,
		schedule: null,
		test_clock: null,
		transfer_data: null,
		trial_end: null,
		trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: "create_invoice" } },
		trial_start: null,
		...o,
		items: o.items ? { ...o.items, data: o.items.data.map((i: Obj) => subscriptionItem(i, o)) } : o.items,
	}),
	subscription_item: (o) => subscriptionItem(o, null),
	invoice: (o) => ({
		account_tax_ids: null,
		amount_overpaid: 0,
		amount_shipping: 0,
		application: null,
		attempted: (o.attempt_count ?? 0) > 0,
		automatic_tax: { disabled_reason: null, ...liabilityFree, provider: null, status: null },
		automatically_finalizes_at: null,
		collection_method: "charge_automatically",
		custom_fields: null,
		customer_account: null,
		customer_phone: null,
		customer_shipping: null,
		customer_tax_exempt: "none",
		default_payment_method: null,
		default_source: null,
		default_tax_rates: [],
		description: null,
		due_date: null,
		effective_at: o.status_transitions?.finalized_at ?? null,
		ending_balance: o.status === "draft" ? null : 0,
		footer: null,
		from_invoice: null,
		issuer: { type: "self" },
		last_finalization_error: null,
		latest_revision: null,
		next_payment_attempt: null,
		on_behalf_of: null,
		payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
		post_payment_credit_notes_amount: 0,
		pre_payment_credit_notes_amount: 0,
		receipt_number: null,
		rendering: null,
		shipping_cost: null,
		shipping_details: null,
		starting_balance: 0,
		statement_descriptor: null,
		subtotal_excluding_tax: o.subtotal ?? null,
		test_clock: null,
		total_excluding_tax: o.total ?? null,
		total_pretax_credit_amounts: [],
		total_taxes: [],
		webhooks_delivered_at: o.created ?? null,
		...o,
		parent: o.parent ? { quote_details: null, subscription_details: null, ...o.parent } : null,
		status_transitions: {
			finalized_at: null,
			marked_uncollectible_at: null,
			paid_at: null,
			voided_at: null,
			...o.status_transitions,
		},
		lines: o.lines ? { ...o.lines, data: o.lines.data.map((l: Obj) => lineItem(l, o)) } : o.lines,
	}),
	"checkout.session": (o) => ({
		adaptive_pricing: null,
		after_expiration: null,
		allow_promotion_codes: null,
		allowed_payment_method_types: null,
		amount_subtotal: null,
		amount_total: null,
		automatic_tax: { ...liabilityFree, provider: null, status: null },
		billing_address_collection: null,
		client_secret: null,
		collected_information: null,
		consent: null,
		consent_collection: null,
		currency: "usd",
		currency_conversion: null,
		custom_fields: [],
		custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
		customer_account: null,
		customer_creation: null,
		customer_details: null,
		customer_email: null,
		discounts: [],
		expires_at: (o.created ?? 0) + 24 * 60 * 60,
		integration_identifier: null,
		invoice: null,
		invoice_creation: null,
		locale: null,
		managed_payments: null,
		origin_context: null,
		payment_intent: null,
		payment_link: null,
		payment_method_collection: "always",
		payment_method_configuration_details: null,
		payment_method_options: null,
		payment_method_types: ["card"],
		permissions: null,
		recovered_from: null,
		saved_payment_method_options: null,
		setup_intent: null,
		shipping_address_collection: null,
		shipping_cost: null,
		shipping_options: [],
		submit_type: null,
		total_details: null,
		ui_mode: "hosted",
		wallet_options: null,
		...o,
	}),
	"billing_portal.session": (o) => ({
		configuration: "bpc_portico_default",
		customer_account: null,
		locale: null,
		on_behalf_of: null,
		...o,
	}),
	tax_id: (o) => ({
		customer_account: null,
		owner: o.customer ? { type: "customer", customer: o.customer, customer_account: null } : null,
		...o,
	}),
	customer: (o) => ({
		balance: 0,
		default_source: null,
		description: null,
		shipping: null,
		...o,
		invoice_settings: {
			custom_fields: null,
			default_payment_method: null,
			footer: null,
			rendering_options: null,
			...o.invoice_settings,
		},
	}),
	payment_method: (o) => ({
		customer_account: null,
		metadata: {},
		...o,
		billing_details: { address: null, email: null, name: null, phone: null, tax_id: null, ...o.billing_details },
		...(o.card
			? {
					card: {
						checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
						display_brand: o.card.brand,
						generated_from: null,
						networks: { available: [o.card.brand], preferred: null },
						regulated_status: "unregulated",
						three_d_secure_usage: { supported: true },
						wallet: null,
						...o.card,
					},
				}
			: {}),
	}),
	price: (o) => ({
		billing_scheme: "per_unit",
		custom_unit_amount: null,
		tax_behavior: "unspecified",
		tiers_mode: null,
		transform_quantity: null,
		unit_amount_decimal: o.unit_amount === undefined || o.unit_amount === null ? null : String(o.unit_amount),
		...o,
		recurring: o.recurring
			? { meter: null, trial_period_days: null, usage_type: "licensed", ...o.recurring }
			: (o.recurring ?? null),
	}),
	coupon: (o) => ({
		amount_off: null,
		currency: null,
		duration_in_months: null,
		max_redemptions: null,
		metadata: {},
		name: null,
		percent_off: null,
		redeem_by: null,
		times_redeemed: 0,
		valid: true,
		...o,
	}),
};

/** A line as Stripe (API 2025) shows it: proration under `parent`, the product beside the price. */
function lineItem(line: Obj, invoice: Obj): Obj {
	const { proration, pricing, ...rest } = line;
	const subscription = invoice.parent?.subscription_details?.subscription ?? null;
	const priceId = pricing?.price_details?.price ?? null;
	return {
		discount_amounts: [],
		discountable: !proration,
		discounts: [],
		invoice: invoice.id ?? null,
		livemode: false,
		metadata: {},
		pretax_credit_amounts: [],
		quantity_decimal: rest.quantity === undefined ? null : String(rest.quantity),
		subscription,
		subtotal: rest.amount,
		taxes: [],
		...rest,
		parent: subscription
			? {
					type: "subscription_item_details",
					invoice_item_details: null,
					subscription_item_details: {
						invoice_item: null,
						proration: Boolean(proration),
						proration_details: null,
						subscription,
						subscription_item: line.subscription_item ?? `si_${String(subscription).slice(4)}`,
					},
				}
			: null,
		pricing: priceId
			? {
					type: "price_details",
					price_details: { price: priceId, product: line.product ?? productOf(priceId) },
					unit_amount_decimal: rest.quantity ? String(Math.round(rest.amount / rest.quantity)) : null,
				}
			: null,
	};
}

/** The catalogue's products are named after their prices (price_pro_monthly → prod_pro). */
function productOf(priceId: string): string {
	return `prod_${priceId.replace(/^price_/, "").replace(/_(monthly|yearly)$/, "")}`;
}

/** The object completed to Stripe's shape (unknown kinds unchanged). */
export function stripeShape(value: Obj): Obj {
	// A deleted object is only its id, kind and the flag.
	if (value.deleted === true) return { id: value.id, object: value.object, deleted: true };
	const shape = typeof value.object === "string" ? SHAPES[value.object] : undefined;
	return shape ? shape(value) : value;
}
