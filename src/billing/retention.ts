// Retention offers: which of the vendor's offers applies to this organization and reason, and how it
// reads. A discount applies to any paid subscription; a downgrade only to a more expensive plan than the
// one offered. An organization that accepted an offer once is offered nothing again.
import type { RetentionOffer } from "../db/retention.ts";
import { formatMoney, type PlanRow } from "./plans.ts";

export type ApplicableOffer =
	| { reason: string; kind: "discount"; percentOff: number; months: number }
	| { reason: string; kind: "downgrade"; plan: PlanRow };

export function applicableOffer(
	offer: RetentionOffer | null,
	alreadyAccepted: boolean,
	current: PlanRow,
	plans: PlanRow[],
): ApplicableOffer | null {
	if (!offer || alreadyAccepted) return null;
	if (offer.kind === "discount") {
		if (!offer.percentOff || !offer.months) return null;
		return { reason: offer.reason, kind: "discount", percentOff: offer.percentOff, months: offer.months };
	}
	const plan = plans.find((p) => p.id === offer.planId);
	if (!plan?.stripePriceId || plan.priceMinor <= 0 || plan.priceMinor >= current.priceMinor) return null;
	return { reason: offer.reason, kind: "downgrade", plan };
}

export function offerHeadline(offer: ApplicableOffer, locale: string): string {
	if (offer.kind === "discount")
		return `${offer.percentOff} % off your invoices for the next ${offer.months} month${offer.months === 1 ? "" : "s"}`;
	return `Move to ${offer.plan.name} for ${formatMoney(offer.plan.priceMinor, offer.plan.currency, locale)} a ${offer.plan.interval}`;
}

/** The Stripe coupon for a discount offer: one per terms, so the same offer never makes a second coupon. */
export function retentionCouponId(percentOff: number, months: number): string {
	return `portico-retention-${percentOff}pct-${months}mo`;
}
