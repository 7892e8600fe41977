// The hourly reconciliation: for one organization with a Stripe customer, re-read its subscription and
// recent invoices from Stripe and repair any drift in the cache (missed or failed webhooks).

import { findOrganizationById, listPlans } from "../db/billing.ts";
import type { Db } from "../db/client.ts";
import type { TenantData } from "../db/tenant-data.ts";
import type { Bindings } from "../env.ts";
import { stripeClient } from "./stripe.ts";
import { cacheInvoices, syncSubscription } from "./sync.ts";

export async function reconcileOrganization(
	bindings: Bindings,
	main: Db,
	tenant: TenantData,
	nowMs: number,
): Promise<Record<string, number> | undefined> {
	const org = await findOrganizationById(main, tenant.orgId);
	if (!org?.stripeCustomerId || !bindings.STRIPE_SECRET_KEY) return undefined;
	const stripe = stripeClient(bindings);
	const subscriptions = await stripe.subscriptions.list({ customer: org.stripeCustomerId, status: "all", limit: 10 });
	const live = subscriptions.data.find((s) => !["canceled", "incomplete_expired"].includes(s.status)) ?? null;
	const before = `${org.planId}|${org.subscriptionStatus}|${org.cancelAtPeriodEnd}`;
	const syncedAt = Math.max(Math.floor(nowMs / 1000), org.stripeSyncedAt ?? 0);
	const cache = await syncSubscription(main, stripe, org, live?.id ?? null, await listPlans(main), syncedAt);
	const invoices = await stripe.invoices.list({ customer: org.stripeCustomerId, limit: 24 });
	await cacheInvoices(tenant, invoices.data);
	const after = `${cache.planId}|${cache.subscriptionStatus}|${cache.cancelAtPeriodEnd}`;
	return { repaired: before === after ? 0 : 1, invoices: invoices.data.length };
}
