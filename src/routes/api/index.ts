// The JSON API the vendor's backend calls (/api/v1) and Stripe's webhook, on the apex only.
import { Hono } from "hono";
import type { AppEnv } from "../../context.ts";
import { apiRoutes } from "./keys-verify.ts";
import { stripeWebhookRoutes } from "./stripe-webhook.ts";
import { usageApiRoutes } from "./usage.ts";

/** Mounted at /api/v1. */
export const api = new Hono<AppEnv>().route("/", apiRoutes).route("/", usageApiRoutes);

export const stripeWebhook = stripeWebhookRoutes;
