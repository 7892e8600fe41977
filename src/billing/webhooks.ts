// Stripe webhooks: verified over the raw body, applied once per event id (a replay has no second effect),
// the organization found from the stored customer id (never from metadata a client could write), and the
// subscription and invoice re-read from Stripe so the cache always ends at the newest state.

import { auditInsert, webhookEventInserts } from "../db/audit.ts";
import {
	claimStripeEvent,
	findOrganizationByCustomer,
	listPlans,
	markStripeEventProcessed,
	releaseStripeEvent,
	upsertInvoice,
	writeSubscriptionCache,
} from "../db/billing.ts";
import type { DatabaseConfig, Db } from "../db/client.ts";
import { openTenantDatabase } from "../db/client.ts";
import { findPrimaryDomain } from "../db/primary-domain.ts";
import { tenantData } from "../db/tenant-data.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import { notify } from "../notifications/notify.ts";
import { brandOf } from "../views/brand.ts";
import type { StripeClient, StripeEvent } from "./stripe.ts";
import { invoiceInput, subscriptionCache } from "./sync.ts";

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

/**
 * Applies one verified event, exactly once: the event is claimed (one conditional statement), Stripe is
 * read, notifications go out, and the cache, invoice and audit writes go in one batch with the mark that
 * the event is processed. A failure anywhere releases the claim and throws, so Stripe's retry applies it
 * in full; a retry after success is answered "duplicate".
 */
export async function handleStripeEvent(
	event: StripeEvent,
	ctx: {
		main: Db;
		mainConfig: DatabaseConfig;
		stripe: StripeClient;
		bindings: Bindings;
		origin: (slug: string, customDomain: string | null) => string;
	},
): Promise<"ignored" | "duplicate" | "busy" | "applied"> {
	const customerId = customerOf(event);
	const org = customerId ? await findOrganizationByCustomer(ctx.main, customerId) : null;
	if (!HANDLED_EVENTS.has(event.type) || !org) {
		log("info", "stripe event ignored", { eventId: event.id, type: event.type, known: Boolean(org) });
		return "ignored";
	}
	const claim = await claimStripeEvent(ctx.main, event, org.id, Date.now());
	if (claim === "processed") return "duplicate";
	if (claim === "busy") return "busy";
	try {
		await applyStripeEvent(event, org, ctx);
		return "applied";
	} catch (error) {
		await releaseStripeEvent(ctx.main, event.id);
		throw error;
	}
}

async function applyStripeEvent(
	event: StripeEvent,
	org: NonNullable<Awaited<ReturnType<typeof findOrganizationByCustomer>>>,
	ctx: Parameters<typeof handleStripeEvent>[1],
) {
	const tenant = tenantData({ orgId: org.id, db: openTenantDatabase(ctx.main, ctx.mainConfig, org) });
	const plans = await listPlans(ctx.main);
	const before = { planId: org.planId, status: org.subscriptionStatus };
	const subscriptionId = subscriptionOf(event) ?? org.stripeSubscriptionId;
	// A deleted subscription that is the current one leaves none; an older one's deletion re-reads the current.
	const target =
		event.type === "customer.subscription.deleted"
			? subscriptionId === org.stripeSubscriptionId
				? null
				: org.stripeSubscriptionId
			: subscriptionId;
	// Re-read rather than trust the event's copy: whatever order events arrive in, this is the newest state.
	const subscription = target ? await ctx.stripe.subscriptions.retrieve(target) : null;
	const cache = await subscriptionCache(ctx.stripe, org, subscription, plans, event.created);
	const object = event.data.object as { object?: string; id?: string };
	const invoice =
		object.object === "invoice" && object.id ? invoiceInput(await ctx.stripe.invoices.retrieve(object.id)) : null;

	const stripeActor = { type: "stripe" as const, id: null, label: "Stripe" };
	const notifyCtx = {
		main: ctx.main,
		tenant,
		bindings: ctx.bindings,
		brand: brandOf(org),
		origin: ctx.origin(org.slug, await findPrimaryDomain(ctx.main, org.id)),
	};
	const audits = [];
	const changed = cache.planId !== before.planId || cache.subscriptionStatus !== before.status;
	if (changed) {
		audits.push(
			auditInsert(tenant, stripeActor, {
				action: "billing.subscription_changed",
				metadata: { event: event.type, before, after: { planId: cache.planId, status: cache.subscriptionStatus } },
			}),
		);
	}
	if (event.type === "invoice.payment_failed") {
		audits.push(
			auditInsert(tenant, stripeActor, {
				action: "billing.payment_failed",
				target: { type: "invoice", id: object.id ?? "" },
			}),
		);
	}
	// The customer's own systems hear of it in the same batch as the cache and the audit event.
	const nowMs = Date.now();
	const planKey = (id: string | null) => plans.find((p) => p.id === id)?.key ?? null;
	if (changed)
		audits.push(
			...webhookEventInserts(
				tenant,
				{
					type: "subscription.updated",
					data: { plan: planKey(cache.planId), status: cache.subscriptionStatus, previousPlan: planKey(before.planId) },
				},
				nowMs,
			),
		);
	if ((event.type === "invoice.paid" || event.type === "invoice.payment_failed") && invoice)
		audits.push(
			...webhookEventInserts(
				tenant,
				{
					type: event.type,
					data: {
						id: invoice.id,
						number: invoice.number,
						amountDue: invoice.amountDueMinor,
						amountPaid: invoice.amountPaidMinor,
						currency: invoice.currency,
					},
				},
				nowMs,
			),
		);

	// Notifications before the final batch: a failure after them means a retry may notify twice, never
	// that a payment failure goes unannounced.
	if (changed && cache.planId !== before.planId) {
		const plan = plans.find((p) => p.id === cache.planId);
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
	if (event.type === "invoice.payment_failed") {
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

	const control = [
		writeSubscriptionCache(ctx.main, org.id, cache),
		markStripeEventProcessed(ctx.main, event.id, Date.now()),
	];
	const tenantWrites = [...(invoice ? [upsertInvoice(tenant, invoice)] : []), ...audits];
	if (tenant.usesDatabase(ctx.main)) {
		await ctx.main.batch([...tenantWrites, ...control] as unknown as Parameters<typeof ctx.main.batch>[0]);
	} else {
		// A dedicated database cannot share a transaction with the main one: its writes go first, and the
		// event counts as processed only once they are in.
		if (tenantWrites.length > 0) await tenant.batch(tenantWrites as unknown as Parameters<typeof tenant.batch>[0]);
		await ctx.main.batch(control as unknown as Parameters<typeof ctx.main.batch>[0]);
	}
}
