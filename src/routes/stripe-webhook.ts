// POST /webhooks/stripe on the apex: the raw body is verified before anything is read from it.
import { Hono } from "hono";
import { stripeClient, verifyWebhook } from "../billing/stripe.ts";
import { handleStripeEvent } from "../billing/webhooks.ts";
import type { AppEnv } from "../context.ts";

export const stripeWebhookRoutes = new Hono<AppEnv>();

stripeWebhookRoutes.post("/webhooks/stripe", async (c) => {
	const signature = c.req.header("stripe-signature");
	const payload = await c.req.text();
	const event = signature ? await verifyWebhook(c.env, payload, signature) : null;
	if (!event)
		return c.json(
			{ error: { code: "invalid_signature", message: "The webhook signature is missing, wrong or too old." } },
			400,
		);
	const url = new URL(c.req.url);
	const result = await handleStripeEvent(event, {
		main: c.get("db"),
		mainConfig: c.get("dbConfig"),
		stripe: stripeClient(c.env),
		bindings: c.env,
		origin: (slug, customDomain) =>
			`${url.protocol}//${customDomain ?? `${slug}.${c.get("config").PORTAL_DOMAIN}`}${url.port ? `:${url.port}` : ""}`,
	});
	return c.json({ received: true, result });
});
