// Customer webhooks' rows of one organization (tenant data, through `tenantData()`): endpoints, the
// events its changes emitted, deliveries and their attempts. Deliveries are made from an event for the
// endpoints subscribed when it is fanned out, once per (event, endpoint) — a unique index says so —
// and an attempt is taken by leasing its delivery, so two runners never send the same attempt twice.
import { and, asc, desc, eq, inArray, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import { webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from "./schema.ts";
import type { TenantData } from "./tenant-data.ts";

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

/** Whether the organization has an enabled endpoint, as a condition of the write that emits an event. */
export function hasEnabledEndpoint(tenant: TenantData): SQL {
	return sql`exists (select 1 from ${webhookEndpoints} where ${webhookEndpoints.orgId} = ${tenant.orgId} and ${webhookEndpoints.enabled} = 1)`;
}

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

// ── The portal: endpoints, their log, replays ────────────────────────────────────────────────

/** At most this many endpoints per organization. */
export const MAX_ENDPOINTS = 10;

/** The endpoint limit as the insert's own precondition: endpoints added at once cannot pass it. */
export function endpointsBelowLimit(tenant: TenantData) {
	return tenant.requireThat(
		sql`(select count(*) from ${webhookEndpoints} where ${webhookEndpoints.orgId} = ${tenant.orgId}) < ${MAX_ENDPOINTS}`,
		"webhook_endpoints",
	);
}

export function updateEndpoint(
	tenant: TenantData,
	id: string,
	fields: {
		url?: string;
		description?: string;
		eventTypes?: string[] | null;
		enabled?: boolean;
		disabledReason?: "manual" | "failing" | "gone" | null;
		failingSince?: null;
		secretSealed?: string;
		previousSecretSealed?: string | null;
		previousUntil?: number | null;
		updatedAt: number;
	},
) {
	return tenant.update(webhookEndpoints, fields, eq(webhookEndpoints.id, id));
}

/** The endpoint and everything delivered to it. */
export function deleteEndpointWrites(tenant: TenantData, id: string) {
	const deliveries = sql`(select ${webhookDeliveries.id} from ${webhookDeliveries} where ${webhookDeliveries.orgId} = ${tenant.orgId} and ${webhookDeliveries.endpointId} = ${id})`;
	return [
		tenant.delete(webhookAttempts, sql`${webhookAttempts.deliveryId} in ${deliveries}`),
		tenant.delete(webhookDeliveries, eq(webhookDeliveries.endpointId, id)),
		tenant.delete(webhookEndpoints, eq(webhookEndpoints.id, id)),
	];
}

/** A test event for one endpoint only: written fanned out, with its one delivery due now. */
export function testEventWrites(
	tenant: TenantData,
	input: { eventId: string; type: string; payload: string; endpointId: string; nowMs: number },
) {
	return [
		tenant.insert(webhookEvents, {
			id: input.eventId,
			type: input.type,
			payload: input.payload,
			fannedOutAt: input.nowMs,
			createdAt: input.nowMs,
		}),
		tenant.insert(webhookDeliveries, {
			id: newId("whd", input.nowMs),
			endpointId: input.endpointId,
			eventId: input.eventId,
			eventType: input.type,
			nextAttemptAt: input.nowMs,
		}),
	];
}

export const DELIVERY_PAGE = 25;

/** One page of an endpoint's deliveries, newest first, filtered; `before` is the last id of the page before. */
type LogFilter = { eventType: string | null; status: "pending" | "succeeded" | "failed" | null; before: string | null };

function logWhere(tenant: TenantData, endpointId: string, filter: LogFilter) {
	return and(
		eq(webhookDeliveries.orgId, tenant.orgId),
		eq(webhookDeliveries.endpointId, endpointId),
		filter.eventType ? eq(webhookDeliveries.eventType, filter.eventType) : undefined,
		filter.status ? eq(webhookDeliveries.status, filter.status) : undefined,
		filter.before ? sql`${webhookDeliveries.id} < ${filter.before}` : undefined,
	) as SQL;
}

/**
 * An endpoint's page in one round trip: the endpoint, one page of its deliveries (newest first,
 * filtered; `before` is the last id of the page before; one more row says there is a next page), and
 * the page's attempts and events — read through the same page as a subquery.
 */
export async function loadEndpointLog(tenant: TenantData, endpointId: string, filter: LogFilter) {
	const where = logWhere(tenant, endpointId, filter);
	const pageOf = (column: typeof webhookDeliveries.id | typeof webhookDeliveries.eventId) =>
		sql`(select ${column} from ${webhookDeliveries} where ${where} order by ${webhookDeliveries.id} desc limit ${DELIVERY_PAGE})`;
	const [endpoints, deliveries, attempts, events] = await tenant.batch([
		tenant.select(webhookEndpoints, eq(webhookEndpoints.id, endpointId)).limit(1),
		tenant
			.select(webhookDeliveries, where)
			.orderBy(desc(webhookDeliveries.id))
			.limit(DELIVERY_PAGE + 1),
		tenant
			.select(webhookAttempts, sql`${webhookAttempts.deliveryId} in ${pageOf(webhookDeliveries.id)}`)
			.orderBy(asc(webhookAttempts.attemptedAt), asc(webhookAttempts.id)),
		tenant.select(webhookEvents, sql`${webhookEvents.id} in ${pageOf(webhookDeliveries.eventId)}`),
	]);
	return {
		endpoint: endpoints[0] ?? null,
		deliveries: deliveries.slice(0, DELIVERY_PAGE),
		nextCursor: deliveries.length > DELIVERY_PAGE ? (deliveries[DELIVERY_PAGE - 1]?.id ?? null) : null,
		attempts,
		events,
	};
}

export async function findDelivery(tenant: TenantData, endpointId: string, deliveryId: string) {
	const [row] = await tenant
		.select(webhookDeliveries, and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId)))
		.limit(1);
	return row ?? null;
}

/** Sends a delivery again from the start of the schedule (a delivery in flight is left alone). */
export function replayWrites(tenant: TenantData, endpointId: string, where: SQL, nowMs: number) {
	return tenant
		.update(
			webhookDeliveries,
			{ status: "pending", attempts: 0, nextAttemptAt: nowMs, leasedUntil: null },
			and(
				eq(webhookDeliveries.endpointId, endpointId),
				or(isNull(webhookDeliveries.leasedUntil), lte(webhookDeliveries.leasedUntil, nowMs)),
				where,
			),
		)
		.returning({ id: webhookDeliveries.id });
}

/** One delivery sent again now, whatever its state (a retry waiting is brought forward). */
export const replayOne = (tenant: TenantData, endpointId: string, deliveryId: string, nowMs: number) =>
	replayWrites(tenant, endpointId, eq(webhookDeliveries.id, deliveryId), nowMs);

export const replayFailedSince = (tenant: TenantData, endpointId: string, sinceMs: number, nowMs: number) =>
	replayWrites(
		tenant,
		endpointId,
		and(eq(webhookDeliveries.status, "failed"), sql`${webhookDeliveries.createdAt} >= ${sinceMs}`) as SQL,
		nowMs,
	);

export function findEvent(tenant: TenantData, eventId: string) {
	return tenant
		.select(webhookEvents, eq(webhookEvents.id, eventId))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

/**
 * Retention: deliveries settled before the cutoff go with their attempts, then events older than it
 * with no delivery left. (A single-table DELETE writes its columns unqualified: the correlated
 * subquery names the outer table's id in full.)
 */
export function purgeWebhooksBefore(tenant: TenantData, cutoffMs: number) {
	const old = sql`(select ${webhookDeliveries.id} from ${webhookDeliveries} where ${webhookDeliveries.orgId} = ${tenant.orgId} and ${webhookDeliveries.createdAt} < ${cutoffMs} and ${webhookDeliveries.status} <> 'pending')`;
	return [
		tenant.delete(webhookAttempts, sql`${webhookAttempts.deliveryId} in ${old}`),
		tenant.delete(
			webhookDeliveries,
			sql`${webhookDeliveries.createdAt} < ${cutoffMs} and ${webhookDeliveries.status} <> 'pending'`,
		),
		tenant.delete(
			webhookEvents,
			sql`${webhookEvents.createdAt} < ${cutoffMs} and ${webhookEvents.fannedOutAt} is not null and not exists (select 1 from ${webhookDeliveries} where ${webhookDeliveries.orgId} = ${tenant.orgId} and ${webhookDeliveries.eventId} = "webhook_events"."id")`,
		),
	];
}
