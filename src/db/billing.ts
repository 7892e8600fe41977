// Billing data: the plan catalogue, the subscription cache on the organization, the invoice cache
// (tenant data) and received Stripe events.
import { and, asc, desc, eq, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { prepared } from "./prepared.ts";
import { invoiceCache, organizations, plans, stripeEvents } from "./schema.ts";
import type { TenantData } from "./tenant-data.ts";

export function listPlans(db: Db) {
	return db.select().from(plans).orderBy(asc(plans.sortOrder));
}

/** The plans, built once (the billing page reads them in the site batch). */
export const plansStatement = prepared([], (db) => listPlans(db));

export function findOrganizationByCustomer(db: Db, customerId: string) {
	return db
		.select()
		.from(organizations)
		.where(eq(organizations.stripeCustomerId, customerId))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export function findOrganizationById(db: Db, orgId: string) {
	return db
		.select()
		.from(organizations)
		.where(eq(organizations.id, orgId))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export function setStripeCustomer(db: Db, orgId: string, customerId: string) {
	return db.update(organizations).set({ stripeCustomerId: customerId }).where(eq(organizations.id, orgId));
}

export interface SubscriptionCache {
	planId: string;
	stripeSubscriptionId: string | null;
	subscriptionStatus: string | null;
	currentPeriodEndMs: number | null;
	cancelAtPeriodEnd: boolean;
	nextAmountMinor: number | null;
	scheduledPlanId: string | null;
	paymentMethodSummary: string | null;
	stripeSyncedAt: number;
}

/** Writes the subscription cache unless a newer Stripe state was already applied (ordering guard). */
export function writeSubscriptionCache(db: Db, orgId: string, cache: SubscriptionCache) {
	return db
		.update(organizations)
		.set({ ...cache, updatedAt: Date.now() })
		.where(
			and(
				eq(organizations.id, orgId),
				or(isNull(organizations.stripeSyncedAt), lt(organizations.stripeSyncedAt, cache.stripeSyncedAt + 1)),
			),
		);
}

export function setScheduledPlan(db: Db, orgId: string, scheduledPlanId: string | null) {
	return db.update(organizations).set({ scheduledPlanId }).where(eq(organizations.id, orgId));
}

/** A delivery working on an event holds it this long; a delivery that died lets the next retry take over. */
export const STRIPE_EVENT_LEASE_MS = 60_000;

/**
 * Claims an event for processing: "claimed" for the first delivery (or a retry after a failed or
 * abandoned one), "processed" when its effects are already written, "busy" while another delivery holds
 * it. One statement decides, so concurrent deliveries of one event cannot both claim it.
 */
export async function claimStripeEvent(
	db: Db,
	event: { id: string; type: string },
	orgId: string | null,
	nowMs: number,
): Promise<"claimed" | "processed" | "busy"> {
	const claimed = await db
		.insert(stripeEvents)
		.values({ id: event.id, type: event.type, orgId, receivedAt: nowMs, claimedAt: nowMs })
		.onConflictDoUpdate({
			target: stripeEvents.id,
			set: { claimedAt: nowMs },
			setWhere: sql`${stripeEvents.processedAt} is null and (${stripeEvents.claimedAt} is null or ${stripeEvents.claimedAt} <= ${nowMs - STRIPE_EVENT_LEASE_MS})`,
		})
		.returning({ id: stripeEvents.id });
	if (claimed.length > 0) return "claimed";
	const [row] = await db
		.select({ processedAt: stripeEvents.processedAt })
		.from(stripeEvents)
		.where(eq(stripeEvents.id, event.id));
	return row?.processedAt ? "processed" : "busy";
}

/** Marks the claimed event done: batched with the last of its effects. */
export function markStripeEventProcessed(db: Db, eventId: string, nowMs: number) {
	return db.update(stripeEvents).set({ processedAt: nowMs }).where(eq(stripeEvents.id, eventId));
}

/** Lets the next delivery retry at once, after processing failed. */
export function releaseStripeEvent(db: Db, eventId: string) {
	return db
		.update(stripeEvents)
		.set({ claimedAt: null })
		.where(and(eq(stripeEvents.id, eventId), isNull(stripeEvents.processedAt)));
}

export function organizationsWithCustomers(db: Db) {
	return db
		.select({ id: organizations.id, stripeCustomerId: organizations.stripeCustomerId })
		.from(organizations)
		.where(and(isNotNull(organizations.stripeCustomerId), eq(organizations.status, "active")));
}

export interface InvoiceInput {
	id: string;
	number: string | null;
	status: string;
	totalMinor: number;
	amountDueMinor: number;
	amountPaidMinor: number;
	currency: string;
	createdMs: number;
	hostedUrl: string | null;
	pdfUrl: string | null;
	billingReason: string | null;
}

export function upsertInvoice(tenant: TenantData, invoice: InvoiceInput) {
	const set = { ...invoice, updatedAt: Date.now() };
	return tenant.upsert(invoiceCache, set, invoiceCache.id, set);
}

export const INVOICE_PAGE = 12;

export async function listInvoices(tenant: TenantData, beforeCreatedMs: number | null) {
	const rows = await tenant
		.select(invoiceCache, beforeCreatedMs ? lt(invoiceCache.createdMs, beforeCreatedMs) : undefined)
		.orderBy(desc(invoiceCache.createdMs), desc(invoiceCache.id))
		.limit(INVOICE_PAGE + 1);
	return rows;
}

/** The billing page's reads — plan catalogue and a page of invoices — in one round trip on the shared tier. */
export async function loadBillingReads(
	main: Db,
	tenant: TenantData,
	beforeCreatedMs: number | null,
	/** The plan catalogue when it came with the site batch: then only the invoices are read. */
	preloadedPlans?: (typeof plans.$inferSelect)[] | null,
) {
	const invoicesQuery = tenant
		.select(invoiceCache, beforeCreatedMs ? lt(invoiceCache.createdMs, beforeCreatedMs) : undefined)
		.orderBy(desc(invoiceCache.createdMs), desc(invoiceCache.id))
		.limit(INVOICE_PAGE + 1);
	if (tenant.usesDatabase(main) && !preloadedPlans) {
		const [planRows, invoiceRows] = await main.batch([listPlans(main), invoicesQuery]);
		return { plans: planRows, invoices: invoiceRows };
	}
	const [planRows, invoiceRows] = await Promise.all([preloadedPlans ?? listPlans(main), invoicesQuery]);
	return { plans: planRows, invoices: invoiceRows };
}
