// Stripe webhooks: verified over the raw body, recorded by event id (a replay has no second effect),
// the organization found from the stored customer id (never from metadata a client could write), and the
// subscription and invoice re-read from Stripe so the cache always ends at the newest state.

import { auditInsert } from "../db/audit.ts";
import { findOrganizationByCustomer, listPlans, recordStripeEvent } from "../db/billing.ts";
import type { DatabaseConfig, Db } from "../db/client.ts";
import { openTenantDatabase } from "../db/client.ts";
import { findPrimaryDomain } from "../db/system.ts";
import { tenantData } from "../db/tenant-data.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import { notify } from "../notifications/notify.ts";
import { brandOf } from "../views/brand.ts";
import type { StripeClient, StripeEvent } from "./stripe.ts";
import { cacheInvoice, syncSubscription } from "./sync.ts";

export const HANDLED_EVENTS = new Set([
	"checkout.session.completed",
	"customer.subscription.created",
	"customer.subscription.updated",
	"customer.subscription.deleted",
	"customer.subscription.trial_will_end",
	"invoice.created",
	"invoice.finalized",
	"invoice.paid",
	"invoice.payment_failed",
	"invoice.payment_action_required",
	"invoice.upcoming",
	"customer.updated",
	"payment_method.attached",
	"payment_method.detached",
]);

function customerOf(event: StripeEvent): string | null {
	const object = event.data.object as { object?: string; id?: string; customer?: string | { id: string } | null };
	if (object.object === "customer") return object.id ?? null;
	const customer = object.customer;
	return typeof customer === "string" ? customer : (customer?.id ?? null);
}

function subscriptionOf(event: StripeEvent): string | null {
	const object = event.data.object as {
		object?: string;
		id?: string;
		subscription?: string | null;
		parent?: { subscription_details?: { subscription?: string } };
	};
	if (object.object === "subscription") return object.id ?? null;
	if (object.object === "invoice") return object.parent?.subscription_details?.subscription ?? null;
	if (object.object === "checkout.session") return object.subscription ?? null;
	return null;
}

export async function handleStripeEvent(
	event: StripeEvent,
	ctx: {
		main: Db;
		mainConfig: DatabaseConfig;
		stripe: StripeClient;
		bindings: Bindings;
		origin: (slug: string, customDomain: string | null) => string;
	},
): Promise<"ignored" | "duplicate" | "applied"> {
	const customerId = customerOf(event);
	const org = customerId ? await findOrganizationByCustomer(ctx.main, customerId) : null;
	if (!HANDLED_EVENTS.has(event.type) || !org) {
		log("info", "stripe event ignored", { eventId: event.id, type: event.type, known: Boolean(org) });
		return "ignored";
	}
	if (!(await recordStripeEvent(ctx.main, event, org.id))) return "duplicate";
	const tenant = tenantData({ orgId: org.id, db: openTenantDatabase(ctx.main, ctx.mainConfig, org) });
	const plans = await listPlans(ctx.main);
	const before = { planId: org.planId, status: org.subscriptionStatus };
	const subscriptionId = subscriptionOf(event) ?? org.stripeSubscriptionId;
	const isDeletion = event.type === "customer.subscription.deleted";
	const cache = await syncSubscription(
		ctx.main,
		ctx.stripe,
		org,
		isDeletion && subscriptionId === org.stripeSubscriptionId ? null : subscriptionId,
		plans,
		event.created,
	);
	if (isDeletion) await syncSubscription(ctx.main, ctx.stripe, org, null, plans, event.created);
	const object = event.data.object as { object?: string; id?: string };
	if (object.object === "invoice" && object.id)
		await cacheInvoice(tenant, await ctx.stripe.invoices.retrieve(object.id));
	const stripeActor = { type: "stripe" as const, id: null, label: "Stripe" };
	const notifyCtx = {
		main: ctx.main,
		tenant,
		bindings: ctx.bindings,
		brand: brandOf(org),
		origin: ctx.origin(org.slug, await findPrimaryDomain(ctx.main, org.id)),
	};
	if (cache.planId !== before.planId || cache.subscriptionStatus !== before.status) {
		const plan = plans.find((p) => p.id === cache.planId);
		await auditInsert(tenant, stripeActor, {
			action: "billing.subscription_changed",
			metadata: { event: event.type, before, after: { planId: cache.planId, status: cache.subscriptionStatus } },
		});
		if (cache.planId !== before.planId) {
			await notify(
				notifyCtx,
				{ permission: "billing:read" },
				{
					category: "billing",
					title: `Your plan is now ${plan?.name ?? "changed"}`,
					body: `${org.name} is on the ${plan?.name ?? "new"} plan.`,
					link: "/billing",
				},
			);
		}
	}
	if (event.type === "invoice.payment_failed") {
		await auditInsert(tenant, stripeActor, {
			action: "billing.payment_failed",
			target: { type: "invoice", id: object.id ?? "" },
		});
		await notify(
			notifyCtx,
			{ permission: "billing:read" },
			{
				category: "billing",
				title: "A payment failed",
				body: "We could not charge the card on file. Update the payment method to keep the subscription active.",
				link: "/billing",
			},
		);
	}
	if (event.type === "invoice.paid") {
		await notify(
			notifyCtx,
			{ permission: "billing:manage" },
			{ category: "billing", title: "Invoice paid", body: "Thank you — an invoice was paid.", link: "/billing" },
		);
	}
	return "applied";
}
