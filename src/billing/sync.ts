// Turning Stripe's state into Portico's cache. Stripe is the source of truth: amounts, statuses and dates
// are copied, never computed here.

import { type InvoiceInput, type SubscriptionCache, upsertInvoice, writeSubscriptionCache } from "../db/billing.ts";
import type { Db } from "../db/client.ts";
import type { TenantData } from "../db/tenant-data.ts";
import type { PlanRow } from "./plans.ts";
import type { StripeClient, StripeInvoice, StripeSubscription } from "./stripe.ts";

export function invoiceInput(invoice: StripeInvoice): InvoiceInput | null {
	if (!invoice.id) return null;
	return {
		id: invoice.id,
		number: invoice.number ?? null,
		status: invoice.status ?? "draft",
		totalMinor: invoice.total,
		amountDueMinor: invoice.amount_due,
		amountPaidMinor: invoice.amount_paid,
		currency: invoice.currency,
		createdMs: invoice.created * 1000,
		hostedUrl: invoice.hosted_invoice_url ?? null,
		pdfUrl: invoice.invoice_pdf ?? null,
		billingReason: invoice.billing_reason ?? null,
	};
}

export async function cacheInvoice(tenant: TenantData, invoice: StripeInvoice): Promise<void> {
	const input = invoiceInput(invoice);
	if (input) await upsertInvoice(tenant, input);
}

/** Many invoices in one batch: one round trip, however many Stripe returned. */
export async function cacheInvoices(tenant: TenantData, invoices: StripeInvoice[]): Promise<void> {
	const writes = invoices.flatMap((invoice) => {
		const input = invoiceInput(invoice);
		return input ? [upsertInvoice(tenant, input)] : [];
	});
	const [first, ...rest] = writes;
	if (first) await tenant.batch([first, ...rest]);
}

interface OrgForSync {
	id: string;
	planId: string | null;
	scheduledPlanId: string | null;
	/** The period end cached before this sync: a scheduled downgrade waits for the period after it. */
	currentPeriodEndMs: number | null;
}

/**
 * The cache for a subscription as Stripe has it now. A scheduled downgrade keeps the current plan (and
 * its limits) until the period it was scheduled in has ended.
 */
export async function subscriptionCache(
	stripe: StripeClient,
	org: OrgForSync,
	subscription: StripeSubscription | null,
	plans: PlanRow[],
	syncedAt: number,
): Promise<SubscriptionCache> {
	const free = plans.find((p) => p.priceMinor === 0);
	if (!subscription || subscription.status === "canceled" || subscription.status === "incomplete_expired") {
		return {
			planId: free?.id ?? org.planId ?? "pln_free",
			stripeSubscriptionId: null,
			subscriptionStatus: subscription ? "canceled" : null,
			currentPeriodEndMs: null,
			cancelAtPeriodEnd: false,
			nextAmountMinor: null,
			scheduledPlanId: null,
			paymentMethodSummary: null,
			stripeSyncedAt: syncedAt,
		};
	}
	const item = subscription.items.data[0];
	const pricePlan = plans.find((p) => p.stripePriceId === item?.price.id);
	const periodStartMs = (item?.current_period_start ?? 0) * 1000;
	const stillInScheduledPeriod = org.currentPeriodEndMs !== null && periodStartMs < org.currentPeriodEndMs;
	const scheduled = Boolean(
		org.scheduledPlanId &&
			org.scheduledPlanId === pricePlan?.id &&
			org.planId !== pricePlan?.id &&
			stillInScheduledPeriod,
	);
	let paymentMethodSummary: string | null = null;
	const customerId = typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id;
	const customer = await stripe.customers.retrieve(customerId, { expand: ["invoice_settings.default_payment_method"] });
	if (!("deleted" in customer && customer.deleted)) {
		const pm = customer.invoice_settings?.default_payment_method;
		if (pm && typeof pm !== "string" && pm.card) paymentMethodSummary = `${pm.card.brand} ${pm.card.last4}`;
	}
	return {
		planId: scheduled ? (org.planId ?? pricePlan?.id ?? "pln_free") : (pricePlan?.id ?? org.planId ?? "pln_free"),
		stripeSubscriptionId: subscription.id,
		subscriptionStatus: subscription.status,
		currentPeriodEndMs: item ? item.current_period_end * 1000 : null,
		cancelAtPeriodEnd: subscription.cancel_at_period_end,
		nextAmountMinor: subscription.cancel_at_period_end
			? null
			: item
				? (item.price.unit_amount ?? 0) * (item.quantity ?? 1)
				: null,
		scheduledPlanId: scheduled ? (org.scheduledPlanId ?? null) : null,
		paymentMethodSummary,
		stripeSyncedAt: syncedAt,
	};
}

export async function syncSubscription(
	main: Db,
	stripe: StripeClient,
	org: OrgForSync,
	subscriptionId: string | null,
	plans: PlanRow[],
	syncedAt: number,
) {
	// Re-fetch rather than trust the event's copy: whatever order events arrive in, this is the newest state.
	const subscription = subscriptionId ? await stripe.subscriptions.retrieve(subscriptionId) : null;
	const cache = await subscriptionCache(stripe, org, subscription, plans, syncedAt);
	await writeSubscriptionCache(main, org.id, cache);
	return cache;
}
