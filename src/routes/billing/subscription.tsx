// Cancel at period end, resume, and the hand-off to Stripe's customer portal. Mounted inside
// billingRoutes, whose guards (billing:manage and a verified email) run first.
import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import * as z from "zod";
import { CANCEL_REASONS, type CancelReason, ensureCustomer, portalUrl } from "../../billing/service.ts";
import { stripeClient } from "../../billing/stripe.ts";
import { resumeSubscription, scheduleCancellation } from "../../billing/verbs.ts";
import type { AppEnv } from "../../context.ts";
import { randomToken } from "../../lib/crypto.ts";
import { dateFormats } from "../../lib/dates.ts";
import { AppError } from "../../lib/errors.ts";
import { validate } from "../../lib/validate.ts";
import { me, redirectTo, tenantWithDetails } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { CancelPage } from "../../views/pages/billing/billing.tsx";
import { renderPage } from "../../views/render.tsx";
import { billingOrg, nonceField, stripeCall } from "./shared.ts";

export const billingSubscriptionRoutes = new Hono<AppEnv>();

billingSubscriptionRoutes.post("/portal", validate("form", z.strictObject({ nonce: nonceField })), async (c) => {
	const viewer = me(c);
	const { org } = tenantWithDetails(c);
	const stripe = stripeClient(c.env);
	const url = await stripeCall(c, async () =>
		portalUrl(
			stripe,
			org.stripeCustomerId ?? (await ensureCustomer(stripe, c.get("db"), billingOrg(c), viewer.email)),
			`${new URL(c.req.url).origin}/billing`,
		),
	);
	return c.redirect(url, 303);
});

billingSubscriptionRoutes.get("/cancel", (c) => {
	const viewer = me(c);
	const { org } = tenantWithDetails(c);
	if (!org.stripeSubscriptionId || org.cancelAtPeriodEnd) return redirectTo(c, "/billing");
	const date = { format: dateFormats(viewer).date };
	return renderPage(c, {
		title: "Cancel",
		body: (
			<CancelPage
				reasons={CANCEL_REASONS}
				periodEnd={org.currentPeriodEndMs ? date.format(org.currentPeriodEndMs) : "the end of the period"}
				nonce={randomToken(12)}
			/>
		),
	});
});

billingSubscriptionRoutes.post(
	"/cancel",
	zValidator(
		"form",
		z.strictObject({
			reason: z.enum(Object.keys(CANCEL_REASONS) as [CancelReason, ...CancelReason[]]),
			comment: z.string().trim().max(1000).default(""),
			nonce: nonceField,
		}),
		(result) => {
			if (!result.success)
				throw new AppError("validation", "Choose a reason from the list (and keep the note under 1,000 characters).");
		},
	),
	(c) => {
		const { reason, comment, nonce } = c.req.valid("form");
		return cancelSubscription(c, reason, comment, nonce);
	},
);

billingSubscriptionRoutes.post("/resume", validate("form", z.strictObject({ nonce: nonceField })), async (c) => {
	const { org } = tenantWithDetails(c);
	if (!org.stripeSubscriptionId || !org.cancelAtPeriodEnd) return redirectTo(c, "/billing");
	await resumeSubscription(unitOf(c), billingOrg(c), c.req.valid("form").nonce);
	return redirectTo(c, "/billing?notice=resumed");
});

/** Cancellation at the period's end, from the cancel form or after a declined retention offer. */
export async function cancelSubscription(c: Context<AppEnv>, reason: CancelReason, comment: string, nonce: string) {
	await scheduleCancellation(unitOf(c), billingOrg(c), reason, comment, nonce);
	return redirectTo(c, "/billing?notice=cancelled");
}
