// Helpers shared by the billing routes (billing.tsx and billing-subscription.tsx).
import type { Context } from "hono";
import { z } from "zod";
import type { BillingOrg } from "../../billing/service.ts";
import { isStripeError } from "../../billing/stripe.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../lib/errors.ts";
import { log } from "../../lib/log.ts";
import { tenantWithDetails } from "../../middleware/guards.ts";

export const nonceField = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { error: "Reload the page and try again." });

export function billingOrg(c: Context<AppEnv>): BillingOrg {
	const { org } = tenantWithDetails(c);
	return { ...org };
}

/** Stripe refusing (declined card, invalid state) becomes a clear message; nothing else is shown. */
export async function stripeCall<T>(c: Context<AppEnv>, fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (error) {
		if (isStripeError(error)) {
			log("warn", "stripe refused", { requestId: c.get("requestId"), type: error.type, code: error.code });
			throw new AppError(
				error.type === "StripeCardError" ? "payment_required" : "conflict",
				error.type === "StripeCardError"
					? "The card was declined. Update the payment method and try again."
					: "Stripe could not make this change right now. Nothing was changed; please try again.",
			);
		}
		throw error;
	}
}
