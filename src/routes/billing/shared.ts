// Helpers shared by the billing routes (billing.tsx and billing-subscription.tsx).
import type { Context } from "hono";
import * as z from "zod";
import type { BillingOrg } from "../../billing/service.ts";
import { withStripeRefusals } from "../../billing/stripe.ts";
import type { AppEnv } from "../../context.ts";
import { tenantWithDetails } from "../../middleware/guards.ts";

export const nonceField = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { error: "Reload the page and try again." });

export function billingOrg(c: Context<AppEnv>): BillingOrg {
	const { org } = tenantWithDetails(c);
	return { ...org };
}

/** Stripe refusing becomes a clear message (see withStripeRefusals); nothing else is shown. */
export function stripeCall<T>(c: Context<AppEnv>, fn: () => Promise<T>): Promise<T> {
	return withStripeRefusals(c.get("requestId"), fn);
}
