// Customer webhooks (tenant data: every row carries `org_id`, in every database): the endpoints an
// organization registered, the events its changes emitted (written in the same batch as the change and
// its audit event), one delivery per (event, endpoint) with its retry state, and each delivery attempt.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./schema-columns.ts";

export const webhookEndpoints = sqliteTable(
	"webhook_endpoints",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id").notNull(),
		url: text("url").notNull(),
		description: text("description").notNull().default(""),
		/** The event types it wants; null for every type. */
		eventTypes: text("event_types", { mode: "json" }).$type<string[] | null>(),
		enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
		/** Why it is disabled: by hand, failing for days, or the receiver answered 410. */
		disabledReason: text("disabled_reason", { enum: ["manual", "failing", "gone"] }),
		/** The signing secret (`whsec_…`), sealed with AES-GCM; shown once when made. */
		secretSealed: text("secret_sealed").notNull(),
		/** After a rotation: the old secret, still signing until `previousUntil`. */
		previousSecretSealed: text("previous_secret_sealed"),
		previousUntil: integer("previous_until"),
		/** Since when every delivery has failed (null while the last one succeeded). */
		failingSince: integer("failing_since"),
		createdAt: createdAt(),
		updatedAt: integer("updated_at").notNull(),
	},
	(t) => [index("webhook_endpoints_org_idx").on(t.orgId), uniqueIndex("webhook_endpoints_org_id_uq").on(t.orgId, t.id)],
);

export const webhookEvents = sqliteTable(
	"webhook_events",
	{
		/** The `webhook-id` header and the payload's id (`msg_…`). */
		id: text("id").primaryKey(),
		orgId: text("org_id").notNull(),
		type: text("type").notNull(),
		/** The whole body sent: `{ type, timestamp, data }`. */
		payload: text("payload").notNull(),
		/** When its deliveries were made for the endpoints subscribed then (null: still to do). */
		fannedOutAt: integer("fanned_out_at"),
		createdAt: createdAt(),
	},
	(t) => [
		index("webhook_events_org_created_idx").on(t.orgId, t.createdAt),
		index("webhook_events_pending_idx").on(t.orgId, t.createdAt).where(sql`fanned_out_at is null`),
	],
);

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;

export const webhookDeliveries = sqliteTable(
	"webhook_deliveries",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id").notNull(),
		endpointId: text("endpoint_id").notNull(),
		eventId: text("event_id").notNull(),
		eventType: text("event_type").notNull(),
		status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("pending"),
		attempts: integer("attempts").notNull().default(0),
		/** When the next attempt is due (null once it succeeded or failed for good). */
		nextAttemptAt: integer("next_attempt_at"),
		/** Who holds the delivery until when: an attempt in flight is not sent twice. */
		leasedUntil: integer("leased_until"),
		lastStatusCode: integer("last_status_code"),
		lastAttemptAt: integer("last_attempt_at"),
		createdAt: createdAt(),
	},
	(t) => [
		uniqueIndex("webhook_deliveries_event_endpoint_uq").on(t.orgId, t.eventId, t.endpointId),
		index("webhook_deliveries_endpoint_idx").on(t.orgId, t.endpointId, t.createdAt),
		index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`status = 'pending'`),
	],
);

export const webhookAttempts = sqliteTable(
	"webhook_attempts",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id").notNull(),
		deliveryId: text("delivery_id").notNull(),
		attemptedAt: integer("attempted_at").notNull(),
		/** The receiver's status; null when there was no answer (refused, timed out, blocked). */
		statusCode: integer("status_code"),
		durationMs: integer("duration_ms").notNull(),
		/** The first 2 KB of the receiver's answer. */
		responseBody: text("response_body"),
		/** What went wrong without an answer, in our words (never a stack). */
		error: text("error"),
	},
	(t) => [index("webhook_attempts_delivery_idx").on(t.orgId, t.deliveryId, t.attemptedAt)],
);
