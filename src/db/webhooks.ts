// Customer webhooks' rows of one organization (tenant data, through `tenantData()`): endpoints, the
// events its changes emitted, deliveries and their attempts. Deliveries are made from an event for the
// endpoints subscribed when it is fanned out, once per (event, endpoint) — a unique index says so —
// and an attempt is taken by leasing its delivery, so two runners never send the same attempt twice.
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import { webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from "./schema.ts";
import type { TenantData } from "./tenant-data.ts";

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

/** How long an attempt holds its delivery: longer than the 15 s timeout, so a crash frees it. */
export const LEASE_MS = 60_000;

export function insertEndpoint(
	tenant: TenantData,
	input: { url: string; description: string; eventTypes: string[] | null; secretSealed: string; nowMs: number },
) {
	const id = newId("whe", input.nowMs);
	return {
		id,
		query: tenant.insert(webhookEndpoints, {
			id,
			url: input.url,
			description: input.description,
			eventTypes: input.eventTypes,
			secretSealed: input.secretSealed,
			updatedAt: input.nowMs,
		}),
	};
}

export function listEndpoints(tenant: TenantData) {
	return tenant.select(webhookEndpoints).orderBy(asc(webhookEndpoints.createdAt)).limit(100);
}

export async function findEndpoint(tenant: TenantData, id: string): Promise<WebhookEndpoint | null> {
	const [row] = await tenant.select(webhookEndpoints, eq(webhookEndpoints.id, id)).limit(1);
	return row ?? null;
}

/** Events whose deliveries are still to be made, oldest first. */
export function eventsToFanOut(tenant: TenantData, limit: number) {
	return tenant
		.select(webhookEvents, isNull(webhookEvents.fannedOutAt))
		.orderBy(asc(webhookEvents.createdAt), asc(webhookEvents.id))
		.limit(limit);
}

/** The deliveries of `eventId` to `endpointIds` (none twice) and the event marked fanned out. */
export function fanOutWrites(
	tenant: TenantData,
	event: { id: string; type: string },
	endpointIds: string[],
	nowMs: number,
) {
	return [
		...(endpointIds.length > 0
			? [
					tenant
						.insertMany(
							webhookDeliveries,
							endpointIds.map((endpointId) => ({
								id: newId("whd", nowMs),
								endpointId,
								eventId: event.id,
								eventType: event.type,
								nextAttemptAt: nowMs,
							})),
						)
						.onConflictDoNothing(),
				]
			: []),
		tenant.update(webhookEvents, { fannedOutAt: nowMs }, eq(webhookEvents.id, event.id)),
	];
}

/** Leases up to `limit` deliveries due now (pending, due, not held by another runner). */
export function leaseDue(tenant: TenantData, nowMs: number, limit: number) {
	const due = and(
		eq(webhookDeliveries.status, "pending"),
		lte(webhookDeliveries.nextAttemptAt, nowMs),
		or(isNull(webhookDeliveries.leasedUntil), lte(webhookDeliveries.leasedUntil, nowMs)),
	);
	const ids = sql`(select ${webhookDeliveries.id} from ${webhookDeliveries} where ${webhookDeliveries.orgId} = ${tenant.orgId} and ${due} order by ${webhookDeliveries.nextAttemptAt} limit ${limit})`;
	return tenant
		.update(webhookDeliveries, { leasedUntil: nowMs + LEASE_MS }, and(due, sql`${webhookDeliveries.id} in ${ids}`))
		.returning();
}

/** When the organization's next pending delivery is due, or null when none is pending. */
export async function nextAttemptAt(tenant: TenantData): Promise<number | null> {
	const [row] = await tenant
		.select(webhookDeliveries, eq(webhookDeliveries.status, "pending"))
		.orderBy(asc(webhookDeliveries.nextAttemptAt))
		.limit(1);
	return row?.nextAttemptAt ?? null;
}

/** The events and endpoints a set of leased deliveries needs, in one round trip. */
export async function deliveryContext(tenant: TenantData, eventIds: string[], endpointIds: string[]) {
	const [events, endpoints] = await tenant.batch([
		tenant.select(webhookEvents, inArray(webhookEvents.id, eventIds)),
		tenant.select(webhookEndpoints, inArray(webhookEndpoints.id, endpointIds)),
	]);
	return { events, endpoints };
}

export interface AttemptRecord {
	statusCode: number | null;
	durationMs: number;
	responseBody: string | null;
	error: string | null;
}

/** One attempt's row and the delivery's new state (`next`: when to try again, or the final status). */
export function attemptWrites(
	tenant: TenantData,
	delivery: WebhookDelivery,
	attempt: AttemptRecord,
	next: { status: "pending"; at: number } | { status: "succeeded" | "failed" },
	nowMs: number,
) {
	return [
		tenant.insert(webhookAttempts, {
			id: newId("wha", nowMs),
			deliveryId: delivery.id,
			attemptedAt: nowMs,
			...attempt,
		}),
		tenant.update(
			webhookDeliveries,
			{
				status: next.status,
				attempts: sql`${webhookDeliveries.attempts} + 1`,
				nextAttemptAt: next.status === "pending" ? next.at : null,
				leasedUntil: null,
				lastStatusCode: attempt.statusCode,
				lastAttemptAt: nowMs,
			},
			eq(webhookDeliveries.id, delivery.id),
		),
	];
}

/** A success clears the endpoint's failing streak; a failure starts it (if it is not running already). */
export function endpointOutcome(tenant: TenantData, endpointId: string, succeeded: boolean, nowMs: number) {
	return tenant.update(
		webhookEndpoints,
		{ failingSince: succeeded ? null : sql`coalesce(${webhookEndpoints.failingSince}, ${nowMs})` },
		eq(webhookEndpoints.id, endpointId),
	);
}

/** Disables an enabled endpoint; returns it when this call disabled it (so managers are told once). */
export function disableEndpoint(tenant: TenantData, endpointId: string, reason: "failing" | "gone", nowMs: number) {
	return tenant
		.update(
			webhookEndpoints,
			{ enabled: false, disabledReason: reason, updatedAt: nowMs },
			and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.enabled, true)),
		)
		.returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
}

export function deliveriesOf(tenant: TenantData, endpointId: string, limit = 50) {
	return tenant
		.select(webhookDeliveries, eq(webhookDeliveries.endpointId, endpointId))
		.orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
		.limit(limit);
}

export function attemptsOf(tenant: TenantData, deliveryId: string) {
	return tenant
		.select(webhookAttempts, eq(webhookAttempts.deliveryId, deliveryId))
		.orderBy(asc(webhookAttempts.attemptedAt), asc(webhookAttempts.id));
}
