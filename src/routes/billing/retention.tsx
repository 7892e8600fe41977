// Cancelling with a retention offer: the reason first; when the vendor offers something for that reason
// (a discount for some months through Stripe, or a cheaper plan instead), the offer, accepted in one
// click; otherwise, or when declined, the cancellation at the end of the period. Mounted inside
// billingRoutes, whose guards (billing:manage and a verified email) run first.
import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import * as z from "zod";
import { applicableOffer, offerHeadline } from "../../billing/retention.ts";
import { CANCEL_REASONS, type CancelReason } from "../../billing/service.ts";
import { acceptRetentionOffer } from "../../billing/verbs.ts";
import type { AppEnv } from "../../context.ts";
import { listPlans } from "../../db/billing.ts";
import { offerFor, offerShownInsert } from "../../db/retention.ts";
import { dateFormats } from "../../lib/dates.ts";
import { AppError } from "../../lib/errors.ts";
import { validate } from "../../lib/validate.ts";
import { me, redirectTo, tenantWithDetails } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { RetentionOfferPage } from "../../views/pages/billing/retention.tsx";
import { renderPage } from "../../views/render.tsx";
import { billingOrg, nonceField } from "./shared.ts";
import { cancelSubscription } from "./subscription.tsx";

export const billingRetentionRoutes = new Hono<AppEnv>();

const reasonField = z.enum(Object.keys(CANCEL_REASONS) as [CancelReason, ...CancelReason[]]);

async function currentOffer(c: Context<AppEnv>, reason: CancelReason) {
	const { org } = tenantWithDetails(c);
	const db = c.get("db");
	const [plans, found] = await Promise.all([listPlans(db), offerFor(db, org.id, reason)]);
	const current = plans.find((p) => p.id === org.planId);
	if (!current || !org.stripeSubscriptionId || org.cancelAtPeriodEnd) return null;
	const offer = applicableOffer(found.offer, found.alreadyAccepted, current, plans);
	// A plan change already waiting for the period's end leaves no room for a downgrade offer.
	return offer?.kind === "downgrade" && org.scheduledPlanId ? null : offer;
}

billingRetentionRoutes.post(
	"/cancel/reason",
	zValidator(
		"form",
		z.strictObject({ reason: reasonField, comment: z.string().trim().max(1000).default(""), nonce: nonceField }),
		(result) => {
			if (!result.success)
				throw new AppError("validation", "Choose a reason from the list (and keep the note under 1,000 characters).");
		},
	),
	async (c) => {
		const viewer = me(c);
		const { org } = tenantWithDetails(c);
		const { reason, comment, nonce } = c.req.valid("form");
		if (!org.stripeSubscriptionId) throw new AppError("conflict", "There is no subscription to cancel.");
		const offer = await currentOffer(c, reason);
		if (!offer) return cancelSubscription(c, reason, comment, nonce);
		await offerShownInsert(c.get("db"), { orgId: org.id, reason, kind: offer.kind });
		const periodEnd = org.currentPeriodEndMs
			? dateFormats(viewer).date(org.currentPeriodEndMs)
			: "the end of the period";
		return renderPage(c, {
			title: "Before you go",
			body: (
				<RetentionOfferPage
					headline={offerHeadline(offer, viewer.locale)}
					details={
						offer.kind === "discount"
							? `Your subscription goes on as it is, and each invoice of the next ${offer.months} months is ${offer.percentOff} % lower. You can still cancel later.`
							: `Instead of moving to the Free plan, ${org.name} moves to ${offer.plan.name} on ${periodEnd}; nothing changes before then.`
					}
					reason={reason}
					comment={comment}
					nonce={nonce}
					periodEnd={periodEnd}
				/>
			),
		});
	},
);

billingRetentionRoutes.post(
	"/retention/accept",
	validate("form", z.strictObject({ reason: reasonField, nonce: nonceField })),
	async (c) => {
		const { reason, nonce } = c.req.valid("form");
		const offer = await currentOffer(c, reason);
		if (!offer) throw new AppError("conflict", "This offer is not available any more. Nothing was changed.");
		await acceptRetentionOffer(unitOf(c), billingOrg(c), reason, offer, nonce);
		return redirectTo(c, `/billing?notice=${offer.kind === "discount" ? "offer-discount" : "offer-downgrade"}`);
	},
);
