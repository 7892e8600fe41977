// The audit helper: an audit event is written in the same atomic batch as the change it describes,
// so there is never a change without its event nor an event without its change.
import { sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { newId } from "../lib/ids.ts";
import { portalEventKindFor } from "../metrics/actions.ts";
import { type WebhookEvent, webhookBody } from "../webhooks/catalog.ts";
import { deleteSealedBefore } from "./audit-chain.ts";
import type { Db } from "./client.ts";
import { auditEvents, webhookEvents } from "./schema.ts";
import { portalEventInsert } from "./support.ts";
import type { TenantData } from "./tenant-data.ts";
import { hasEnabledEndpoint } from "./webhooks.ts";

export interface AuditActor {
	type: "user" | "operator" | "system" | "api_key" | "stripe";
	id: string | null;
	label: string;
	ip?: string | null;
	userAgent?: string | null;
	/** The member's portal session: what they do in it feeds the portal metrics. */
	sessionId?: string | null;
}

export interface AuditInput {
	action: string;
	target?: { type: string; id: string };
	/** What changed (before/after of the changed fields). Never secrets or password hashes. */
	metadata?: Record<string, unknown>;
	/** The customer webhook event(s) this change emits, written in the same batch. */
	webhook?: WebhookEvent | WebhookEvent[];
}

const SECRET_KEYS = /pass(word)?|secret|token|hash|api_?key/i;

function redact(metadata: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(metadata).map(([key, value]) => [
			key,
			SECRET_KEYS.test(key)
				? "[redacted]"
				: value && typeof value === "object" && !Array.isArray(value)
					? redact(value as Record<string, unknown>)
					: value,
		]),
	);
}

export function auditInsert(tenant: TenantData, actor: AuditActor, event: AuditInput) {
	return tenant.insert(auditEvents, {
		id: newId("evt"),
		actorType: actor.type,
		actorId: actor.id,
		actorLabel: actor.label,
		action: event.action,
		targetType: event.target?.type ?? null,
		targetId: event.target?.id ?? null,
		metadata: redact(event.metadata ?? {}),
		ip: actor.ip ?? null,
		userAgent: actor.userAgent?.slice(0, 512) ?? null,
		createdAt: Date.now(),
	});
}

export type Batch = BatchItem<"sqlite">[];

/**
 * The webhook events a change emits, for its batch (writers that batch their own audit insert use it
 * too). Written only while the organization has an enabled endpoint, decided by the insert itself: the
 * many organizations without one store nothing and give the delivery job nothing to do.
 */
export function webhookEventInserts(
	tenant: TenantData,
	webhook: WebhookEvent | WebhookEvent[] | undefined,
	nowMs: number,
) {
	const events = webhook === undefined ? [] : Array.isArray(webhook) ? webhook : [webhook];
	return events.map((e) =>
		tenant.insertWhen(
			webhookEvents,
			{ id: newId("msg", nowMs), type: e.type, payload: webhookBody(e, nowMs), createdAt: nowMs },
			hasEnabledEndpoint(tenant),
		),
	);
}

/**
 * Runs the changes and their audit event atomically, in one round trip. Control-plane changes live in
 * the main database; for an organization on the dedicated tier (its tenant data elsewhere) they are
 * committed first and the tenant-data changes with the event second — two databases cannot share a
 * transaction.
 */
export async function commitWithAudit(
	main: Db,
	tenant: TenantData,
	actor: AuditActor,
	event: AuditInput,
	changes: { control?: Batch; tenant?: Batch } = {},
): Promise<number> {
	const control = changes.control ?? [];
	const webhooks = webhookEventInserts(tenant, event.webhook, Date.now());
	const kind = actor.type === "user" && actor.sessionId && actor.id ? portalEventKindFor(event.action) : null;
	const audited = [
		...(changes.tenant ?? []),
		auditInsert(tenant, actor, event),
		...webhooks,
		...(kind && actor.sessionId && actor.id
			? [
					portalEventInsert(tenant, {
						sessionId: actor.sessionId,
						userId: actor.id,
						kind,
						subject: kind === "action" ? event.action : (event.target?.id ?? ""),
					}),
				]
			: []),
	];
	// How many webhook events the batch wrote (each insert's rowsAffected): the caller starts delivery then.
	const written = (results: unknown[], offset: number) =>
		webhooks.reduce((n, _, i) => n + ((results[offset + i] as { rowsAffected?: number })?.rowsAffected ?? 0), 0);
	const firstWebhook = (changes.tenant ?? []).length + 1;
	if (tenant.usesDatabase(main)) {
		const results = await tenant.batch([...control, ...audited] as [BatchItem<"sqlite">, ...Batch]);
		return written(results, control.length + firstWebhook);
	}
	if (control.length > 0) await main.batch(control as [BatchItem<"sqlite">, ...Batch]);
	return written(await tenant.batch(audited as [BatchItem<"sqlite">, ...Batch]), firstWebhook);
}

export async function listAuditEvents(tenant: TenantData, limit = 50) {
	const rows = await tenant
		.select(auditEvents)
		.orderBy(sql`${auditEvents.createdAt} desc, ${auditEvents.id} desc`)
		.limit(limit);
	return rows;
}

/** Retention: the only deletion of audit events there is (sealed events only, leaving a checkpoint). */
export function purgeAuditEventsBefore(tenant: TenantData, cutoffMs: number): Promise<number> {
	return deleteSealedBefore(tenant, cutoffMs, Date.now());
}
