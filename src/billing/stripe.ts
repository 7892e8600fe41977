// The only file that imports the Stripe SDK. Locally and in tests STRIPE_API_BASE points the real SDK at
// the emulator; in production it talks to api.stripe.com.
import Stripe from "stripe";
import type { Bindings } from "../env.ts";
import { AppError } from "../lib/errors.ts";
import { log } from "../lib/log.ts";

export type StripeClient = Stripe;
export type StripeEvent = Stripe.Event;
export type StripeSubscription = Stripe.Subscription;
export type StripeInvoice = Stripe.Invoice;

export function stripeClient(bindings: Bindings): Stripe {
	if (!bindings.STRIPE_SECRET_KEY) throw new Error("STRIPE_SECRET_KEY is not configured");
	const base = bindings.STRIPE_API_BASE ? new URL(bindings.STRIPE_API_BASE) : null;
	return new Stripe(bindings.STRIPE_SECRET_KEY, {
		httpClient: Stripe.createFetchHttpClient(),
		maxNetworkRetries: 2,
		timeout: 10_000,
		...(base
			? { host: base.hostname, port: Number(base.port || 80), protocol: base.protocol === "https:" ? "https" : "http" }
			: {}),
	});
}

/**
 * Where Portico sends a browser after a form post: Checkout and the billing portal (Stripe's hosted pages;
 * the emulator serves both on its own origin). The CSP's form-action lists exactly these.
 */
export function stripeHostedOrigins(bindings: Pick<Bindings, "STRIPE_API_BASE">): string[] {
	if (bindings.STRIPE_API_BASE) return [new URL(bindings.STRIPE_API_BASE).origin];
	return ["https://checkout.stripe.com", "https://billing.stripe.com"];
}

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/** Verifies a webhook's signature (and its timestamp, 300 s tolerance) over the raw body. */
/** How far a webhook signature's timestamp may be from now, either way (Stripe's default, 5 minutes). */
export const WEBHOOK_TOLERANCE_S = 300;

export async function verifyWebhook(
	bindings: Bindings,
	payload: string,
	signature: string,
): Promise<Stripe.Event | null> {
	if (!bindings.STRIPE_WEBHOOK_SECRET) throw new Error("STRIPE_WEBHOOK_SECRET is not configured");
	// The SDK refuses a signature older than its tolerance; one dated further ahead is as suspect.
	const signedAt = Number(/(?:^|,)t=(\d+)/.exec(signature)?.[1] ?? Number.NaN);
	if (!Number.isFinite(signedAt) || signedAt > Date.now() / 1000 + WEBHOOK_TOLERANCE_S) return null;
	try {
		return await Stripe.webhooks.constructEventAsync(
			payload,
			signature,
			bindings.STRIPE_WEBHOOK_SECRET,
			WEBHOOK_TOLERANCE_S,
			cryptoProvider,
		);
	} catch {
		return null;
	}
}

export function isStripeError(error: unknown): error is Stripe.errors.StripeError {
	return error instanceof Stripe.errors.StripeError;
}

/** Stripe refusing (declined card, invalid state) becomes a clear message; nothing else is shown. */
export async function withStripeRefusals<T>(requestId: string, fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (error) {
		if (isStripeError(error)) {
			log("warn", "stripe refused", { requestId, type: error.type, code: error.code });
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
