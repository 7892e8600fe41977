// Billing actions. Every Stripe call that creates or changes something carries an idempotency key derived
// from (organization, action, nonce), so a double click has one effect. After a change the cache is
// synced at once; webhooks bring the same state again, harmlessly.

import { listPlans, setScheduledPlan, setStripeCustomer } from "../db/billing.ts";
import type { Db } from "../db/client.ts";
import type { PlanRow } from "./plans.ts";
import { retentionCouponId } from "./retention.ts";
import { isStripeError, type StripeClient } from "./stripe.ts";
import { syncSubscription } from "./sync.ts";

export interface BillingOrg {
	id: string;
	name: string;
	slug: string;
	planId: string | null;
	stripeCustomerId: string | null;
	stripeSubscriptionId: string | null;
	scheduledPlanId: string | null;
	currentPeriodEndMs: number | null;
	billingEmail: string | null;
	stripeSyncedAt: number | null;
}

export async function ensureCustomer(
	stripe: StripeClient,
	main: Db,
	org: BillingOrg,
	fallbackEmail: string,
): Promise<string> {
	if (org.stripeCustomerId) return org.stripeCustomerId;
	const customer = await stripe.customers.create(
		{ name: org.name, email: org.billingEmail ?? fallbackEmail, metadata: { org_id: org.id, slug: org.slug } },
		{ idempotencyKey: `${org.id}:customer` },
	);
	await setStripeCustomer(main, org.id, customer.id);
	return customer.id;
}

export async function startCheckout(
	stripe: StripeClient,
	customerId: string,
	org: BillingOrg,
	plan: PlanRow,
	urls: { success: string; cancel: string },
	nonce: string,
): Promise<string> {
	const session = await stripe.checkout.sessions.create(
		{
			mode: "subscription",
			customer: customerId,
			line_items: [{ price: plan.stripePriceId ?? "", quantity: 1 }],
			success_url: urls.success,
			cancel_url: urls.cancel,
			client_reference_id: org.id,
			subscription_data: { metadata: { org_id: org.id } },
		},
		{ idempotencyKey: `${org.id}:checkout:${plan.key}:${nonce}` },
	);
	if (!session.url) throw new Error("Stripe returned a checkout session without a URL");
	return session.url;
}

export interface ChangePreview {
	lines: { description: string; amountMinor: number }[];
	creditMinor: number;
	chargeMinor: number;
	amountDueMinor: number;
	currency: string;
	prorationDate: number;
}

async function currentItem(stripe: StripeClient, subscriptionId: string) {
	const subscription = await stripe.subscriptions.retrieve(subscriptionId);
	const item = subscription.items.data[0];
	if (!item) throw new Error("subscription has no item");
	return { subscription, item };
}

/** Stripe's own preview of an upgrade's proration, for the exact proration date the change will use. */
export async function previewUpgrade(
	stripe: StripeClient,
	org: BillingOrg,
	plan: PlanRow,
	prorationDate: number,
): Promise<ChangePreview> {
	const { subscription, item } = await currentItem(stripe, org.stripeSubscriptionId ?? "");
	const preview = await stripe.invoices.createPreview({
		customer: typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id,
		subscription: subscription.id,
		subscription_details: {
			items: [{ id: item.id, price: plan.stripePriceId ?? "" }],
			proration_behavior: "always_invoice",
			proration_date: prorationDate,
		},
	});
	const lines = preview.lines.data.map((l) => ({ description: l.description ?? "", amountMinor: l.amount }));
	return {
		lines,
		creditMinor: lines.filter((l) => l.amountMinor < 0).reduce((n, l) => n + l.amountMinor, 0),
		chargeMinor: lines.filter((l) => l.amountMinor > 0).reduce((n, l) => n + l.amountMinor, 0),
		amountDueMinor: preview.amount_due,
		currency: preview.currency,
		prorationDate,
	};
}

export async function applyUpgrade(
	stripe: StripeClient,
	main: Db,
	org: BillingOrg,
	plan: PlanRow,
	prorationDate: number,
	nonce: string,
) {
	const { item } = await currentItem(stripe, org.stripeSubscriptionId ?? "");
	const updated = await stripe.subscriptions.update(
		org.stripeSubscriptionId ?? "",
		{
			items: [{ id: item.id, price: plan.stripePriceId ?? "" }],
			proration_behavior: "always_invoice",
			proration_date: prorationDate,
		},
		{ idempotencyKey: `${org.id}:upgrade:${plan.key}:${nonce}` },
	);
	await setScheduledPlan(main, org.id, null);
	await sync(stripe, main, { ...org, scheduledPlanId: null });
	// The proration invoice, so the page can show it at once (its webhooks bring the same state).
	const invoiceId = typeof updated.latest_invoice === "string" ? updated.latest_invoice : updated.latest_invoice?.id;
	return invoiceId ? stripe.invoices.retrieve(invoiceId) : null;
}

/** A downgrade changes the price for the next period only; the current plan stays until then. */
export async function scheduleDowngrade(stripe: StripeClient, main: Db, org: BillingOrg, plan: PlanRow, nonce: string) {
	const { item } = await currentItem(stripe, org.stripeSubscriptionId ?? "");
	await setScheduledPlan(main, org.id, plan.id);
	await stripe.subscriptions.update(
		org.stripeSubscriptionId ?? "",
		{ items: [{ id: item.id, price: plan.stripePriceId ?? "" }], proration_behavior: "none" },
		{ idempotencyKey: `${org.id}:downgrade:${plan.key}:${nonce}` },
	);
	return sync(stripe, main, { ...org, scheduledPlanId: plan.id });
}

export async function cancelScheduledDowngrade(
	stripe: StripeClient,
	main: Db,
	org: BillingOrg,
	currentPlan: PlanRow,
	nonce: string,
) {
	const { item } = await currentItem(stripe, org.stripeSubscriptionId ?? "");
	await stripe.subscriptions.update(
		org.stripeSubscriptionId ?? "",
		{ items: [{ id: item.id, price: currentPlan.stripePriceId ?? "" }], proration_behavior: "none" },
		{ idempotencyKey: `${org.id}:undo-downgrade:${nonce}` },
	);
	await setScheduledPlan(main, org.id, null);
	return sync(stripe, main, { ...org, scheduledPlanId: null });
}

export const CANCEL_REASONS = {
	too_expensive: "It costs too much",
	missing_features: "It is missing something we need",
	switched_service: "We are moving to another product",
	unused: "We do not use it enough",
	too_complex: "It is too hard to use",
	other: "Another reason",
} as const;

export type CancelReason = keyof typeof CANCEL_REASONS;

export async function cancelAtPeriodEnd(
	stripe: StripeClient,
	main: Db,
	org: BillingOrg,
	reason: CancelReason,
	comment: string,
	nonce: string,
) {
	await stripe.subscriptions.update(
		org.stripeSubscriptionId ?? "",
		{ cancel_at_period_end: true, cancellation_details: { feedback: reason, comment: comment || null } },
		{ idempotencyKey: `${org.id}:cancel:${nonce}` },
	);
	return sync(stripe, main, org);
}

export async function resume(stripe: StripeClient, main: Db, org: BillingOrg, nonce: string) {
	await stripe.subscriptions.update(
		org.stripeSubscriptionId ?? "",
		{ cancel_at_period_end: false },
		{ idempotencyKey: `${org.id}:resume:${nonce}` },
	);
	return sync(stripe, main, org);
}

/** A retention discount: the coupon (made once per terms) set on the subscription. */
export async function applyRetentionDiscount(
	stripe: StripeClient,
	main: Db,
	org: BillingOrg,
	terms: { percentOff: number; months: number },
	nonce: string,
) {
	const coupon = retentionCouponId(terms.percentOff, terms.months);
	try {
		await stripe.coupons.create({
			id: coupon,
			percent_off: terms.percentOff,
			duration: "repeating",
			duration_in_months: terms.months,
			name: `${terms.percentOff} % off for ${terms.months} months`,
		});
	} catch (error) {
		// Made by an earlier acceptance of the same terms: that coupon is the one to use.
		if (!isStripeError(error) || error.code !== "resource_already_exists") throw error;
	}
	await stripe.subscriptions.update(
		org.stripeSubscriptionId ?? "",
		{ discounts: [{ coupon }] },
		{ idempotencyKey: `${org.id}:retention:${nonce}` },
	);
	return sync(stripe, main, org);
}

export async function portalUrl(stripe: StripeClient, customerId: string, returnUrl: string): Promise<string> {
	const session = await stripe.billingPortal.sessions.create({ customer: customerId, return_url: returnUrl });
	return session.url;
}

async function sync(stripe: StripeClient, main: Db, org: BillingOrg) {
	// Never older than what a webhook already applied (the emulator's test clock may run ahead).
	const syncedAt = Math.max(Math.floor(Date.now() / 1000), org.stripeSyncedAt ?? 0);
	return syncSubscription(main, stripe, org, org.stripeSubscriptionId, await listPlans(main), syncedAt);
}

/**
 * Keeps the Stripe customer's legal name, billing email, address and tax ID in line with the
 * organization's settings, so every invoice Stripe issues carries them.
 */
export async function syncCustomerDetails(
	stripe: StripeClient,
	customerId: string,
	details: {
		name: string;
		billingEmail: string | null;
		address: { line1: string; line2: string; city: string; postalCode: string; state: string; country: string } | null;
		taxId: { type: string; value: string } | null;
	},
): Promise<void> {
	await stripe.customers.update(customerId, {
		name: details.name,
		...(details.billingEmail ? { email: details.billingEmail } : {}),
		...(details.address
			? {
					address: {
						line1: details.address.line1,
						line2: details.address.line2 || undefined,
						city: details.address.city,
						postal_code: details.address.postalCode,
						state: details.address.state || undefined,
						country: details.address.country,
					},
				}
			: {}),
	});
	// The customer's tax IDs: exactly the organization's one (Stripe keeps several; stale ones go).
	const existing = await stripe.customers.listTaxIds(customerId, { limit: 100 });
	const wanted = details.taxId;
	for (const t of existing.data)
		if (!wanted || t.type !== wanted.type || t.value !== wanted.value)
			await stripe.customers.deleteTaxId(customerId, t.id);
	if (wanted && !existing.data.some((t) => t.type === wanted.type && t.value === wanted.value))
		await stripe.customers.createTaxId(customerId, {
			type: wanted.type as Parameters<StripeClient["customers"]["createTaxId"]>[1]["type"],
			value: wanted.value,
		});
}
