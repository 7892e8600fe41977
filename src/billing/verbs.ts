// Billing verbs: change plan (upgrade now with the previewed proration, or downgrade at the period's
// end), keep the current plan, start Checkout, cancel at the period's end, resume, accept a retention
// offer. Stripe makes the change (idempotent by the form's nonce); its refusals become clear messages;
// the audit event records what was asked. Webhooks and the hourly reconciliation keep the row current.
import { commit, type Unit } from "../audit/unit.ts";
import { claimOfferAcceptance, releaseOfferAcceptance } from "../db/retention.ts";
import { AppError } from "../lib/errors.ts";
import { type PlanRow, transition } from "./plans.ts";
import type { ApplicableOffer } from "./retention.ts";
import {
	applyRetentionDiscount,
	applyUpgrade,
	type BillingOrg,
	type CancelReason,
	cancelAtPeriodEnd,
	cancelScheduledDowngrade,
	ensureCustomer,
	resume,
	scheduleDowngrade,
	startCheckout,
} from "./service.ts";
import { stripeClient, withStripeRefusals } from "./stripe.ts";
import { cacheInvoice } from "./sync.ts";

function stripe(unit: Unit) {
	return stripeClient(unit.notices.bindings);
}

function refusals<T>(unit: Unit, fn: () => Promise<T>) {
	return withStripeRefusals(unit.requestId, fn);
}

/** A plan change waits while another is scheduled or the subscription is set to cancel. */
export function refuseWhilePending(org: { scheduledPlanId: string | null; cancelAtPeriodEnd: boolean }): void {
	if (org.scheduledPlanId)
		throw new AppError(
			"conflict",
			"A plan change is already scheduled. Keep the current plan first, then choose another.",
		);
	if (org.cancelAtPeriodEnd)
		throw new AppError(
			"conflict",
			"The subscription is set to cancel. Keep the subscription first, then change the plan.",
		);
}

/**
 * Upgrades at once (the proration invoice is cached so the page shows it before its webhooks) or
 * schedules a downgrade for the period's end. The previewed proration date must be recent and inside
 * the period, or the charge could differ from what was shown.
 */
export async function changePlan(
	unit: Unit,
	org: BillingOrg & { cancelAtPeriodEnd: boolean },
	plans: { plan: PlanRow; current: PlanRow },
	prorationDate: number,
	nonce: string,
	nowMs: number,
): Promise<"upgraded" | "scheduled"> {
	refuseWhilePending(org);
	const { plan, current } = plans;
	const t = transition(current, plan, Boolean(org.stripeSubscriptionId));
	if (t.kind !== "upgrade" && t.kind !== "downgrade")
		throw new AppError("conflict", t.kind === "none" ? t.reason : "Use the plans table for this change.");
	const nowSec = Math.max(Math.floor(nowMs / 1000), org.stripeSyncedAt ?? 0);
	if (t.kind === "upgrade" && (prorationDate > nowSec + 60 || prorationDate < nowSec - 3600)) {
		throw new AppError(
			"conflict",
			"The price preview is out of date. Open the change again to see the current amount.",
		);
	}
	if (t.kind === "upgrade") {
		const invoice = await refusals(unit, () => applyUpgrade(stripe(unit), unit.db, org, plan, prorationDate, nonce));
		if (invoice) await cacheInvoice(unit.tenant, invoice);
	} else await refusals(unit, () => scheduleDowngrade(stripe(unit), unit.db, org, plan, nonce));
	await commit(unit, {
		action: t.kind === "upgrade" ? "billing.plan_upgraded" : "billing.downgrade_scheduled",
		metadata: { from: current.key, to: plan.key },
	});
	return t.kind === "upgrade" ? "upgraded" : "scheduled";
}

export async function keepCurrentPlan(unit: Unit, org: BillingOrg, current: PlanRow, nonce: string): Promise<void> {
	await refusals(unit, () => cancelScheduledDowngrade(stripe(unit), unit.db, org, current, nonce));
	await commit(unit, { action: "billing.downgrade_cancelled" });
}

/** A Checkout session for a first paid plan; returns Stripe's URL to send the browser to. */
export async function startPlanCheckout(
	unit: Unit,
	org: BillingOrg,
	plans: { plan: PlanRow; current: PlanRow },
	urls: { success: string; cancel: string },
	nonce: string,
): Promise<string> {
	const t = transition(plans.current, plans.plan, Boolean(org.stripeSubscriptionId));
	if (t.kind !== "checkout")
		throw new AppError("conflict", t.kind === "none" ? t.reason : "Use the plans table for this change.");
	const client = stripe(unit);
	const url = await refusals(unit, async () => {
		const customer = await ensureCustomer(client, unit.db, org, unit.by.email);
		return startCheckout(client, customer, org, plans.plan, urls, nonce);
	});
	await commit(unit, {
		action: "billing.checkout_started",
		metadata: { plan: plans.plan.key },
	});
	return url;
}

/** Cancels at the end of the period (Stripe keeps the reason); the retention step ends here too. */
export async function scheduleCancellation(
	unit: Unit,
	org: BillingOrg,
	reason: CancelReason,
	comment: string,
	nonce: string,
): Promise<void> {
	if (!org.stripeSubscriptionId) throw new AppError("conflict", "There is no subscription to cancel.");
	await refusals(unit, () => cancelAtPeriodEnd(stripe(unit), unit.db, org, reason, comment, nonce));
	await commit(unit, {
		action: "billing.cancellation_scheduled",
		metadata: { reason, comment },
	});
}

export async function resumeSubscription(unit: Unit, org: BillingOrg, nonce: string): Promise<void> {
	await refusals(unit, () => resume(stripe(unit), unit.db, org, nonce));
	await commit(unit, { action: "billing.resumed" });
}

/**
 * Accepts the retention offer: one per organization, claimed by a conditional write before Stripe is
 * asked (two tabs at once cannot both take it), and released if Stripe refuses.
 */
export async function acceptRetentionOffer(
	unit: Unit,
	org: BillingOrg,
	reason: CancelReason,
	offer: ApplicableOffer,
	nonce: string,
): Promise<void> {
	const claim = await claimOfferAcceptance(unit.db, { orgId: org.id, reason, kind: offer.kind });
	if (!claim) throw new AppError("conflict", "Your organization has already used an offer. Nothing was changed.");
	try {
		await refusals(unit, () =>
			offer.kind === "discount"
				? applyRetentionDiscount(stripe(unit), unit.db, org, offer, nonce)
				: scheduleDowngrade(stripe(unit), unit.db, org, offer.plan, nonce),
		);
	} catch (error) {
		await releaseOfferAcceptance(unit.db, claim);
		throw error;
	}
	await commit(unit, {
		action: "billing.retention_offer_accepted",
		metadata:
			offer.kind === "discount"
				? { reason, offer: "discount", percentOff: offer.percentOff, months: offer.months }
				: { reason, offer: "downgrade", plan: offer.plan.key },
	});
}
