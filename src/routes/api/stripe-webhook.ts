// POST /webhooks/stripe on the apex: the raw body is verified before anything is read from it.
import { Hono } from "hono";
import { stripeClient, verifyWebhook } from "../../billing/stripe.ts";
import { handleStripeEvent } from "../../billing/webhooks.ts";
import type { AppEnv } from "../../context.ts";
import { log } from "../../lib/log.ts";

export const stripeWebhookRoutes = new Hono<AppEnv>();

stripeWebhookRoutes.post("/", async (c) => {
	const signature = c.req.header("stripe-signature");
	const payload = await c.req.text();
	const event = signature ? await verifyWebhook(c.env, payload, signature) : null;
	if (!event)
		return c.json(
			{ error: { code: "invalid_signature", message: "The webhook signature is missing, wrong or too old." } },
			400,
		);
	const url = new URL(c.req.url);
	let result: Awaited<ReturnType<typeof handleStripeEvent>>;
	try {
		result = await handleStripeEvent(event, {
			main: c.get("db"),
			mainConfig: c.get("dbConfig"),
			stripe: stripeClient(c.env),
			bindings: c.env,
			origin: (slug, customDomain) =>
				`${url.protocol}//${customDomain ?? `${slug}.${c.get("config").PORTAL_DOMAIN}`}${url.port ? `:${url.port}` : ""}`,
		});
	} catch (error) {
		// Nothing of the event was kept as done: Stripe's retry applies it in full.
		log("error", "stripe event failed", { eventId: event.id, type: event.type, error });
		return c.json({ error: { code: "retry_later", message: "The event could not be processed yet." } }, 503);
	}
	// Another delivery of the same event is being processed: answer so that Stripe tries again later.
	if (result === "busy")
		return c.json({ error: { code: "in_progress", message: "This event is being processed." } }, 409);
	return c.json({ received: true, result });
});
