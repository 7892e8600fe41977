// Tenant-data tables: every row carries `org_id NOT NULL`, an index on it and uniqueness that includes it,
// in every database. Reached only through `tenantData()` (see tenantTables in schema.ts).
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, now } from "./schema-columns.ts";

export const auditEvents = sqliteTable(
	"audit_events",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id").notNull(),
		actorType: text("actor_type", { enum: ["user", "operator", "system", "api_key", "stripe"] }).notNull(),
		actorId: text("actor_id"),
		actorLabel: text("actor_label").notNull(),
		action: text("action").notNull(),
		targetType: text("target_type"),
		targetId: text("target_id"),
		metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
		ip: text("ip"),
		userAgent: text("user_agent"),
		createdAt: createdAt(),
		/** The hash chain, filled in by sealing: each event's hash covers its content and the previous hash. */
		prevHash: text("prev_hash"),
		hash: text("hash"),
	},
	(t) => [
		index("audit_events_org_created_idx").on(t.orgId, t.createdAt),
		index("audit_events_org_action_idx").on(t.orgId, t.action, t.createdAt),
		index("audit_events_org_actor_idx").on(t.orgId, t.actorLabel, t.createdAt),
		uniqueIndex("audit_events_org_id_uq").on(t.orgId, t.id),
		// Sealing and its dispatcher read only the events still to seal, whatever the history.
		index("audit_events_unsealed_idx").on(t.orgId, t.createdAt, t.id).where(sql`hash is null`),
	],
);

export const NOTIFICATION_CATEGORIES = ["billing", "team", "usage", "keys", "security", "support", "product"] as const;
export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];

export const notifications = sqliteTable(
	"notifications",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id").notNull(),
		userId: text("user_id").notNull(),
		category: text("category", { enum: NOTIFICATION_CATEGORIES }).notNull(),
		title: text("title").notNull(),
		body: text("body").notNull(),
		/** A path inside the portal (never an outside URL). */
		link: text("link"),
		readAt: integer("read_at"),
		createdAt: createdAt(),
	},
	(t) => [
		index("notifications_org_user_created_idx").on(t.orgId, t.userId, t.createdAt),
		uniqueIndex("notifications_org_id_uq").on(t.orgId, t.id),
		// Housekeeping deletes what is past retention across organizations, in bounded pages.
		index("notifications_created_idx").on(t.createdAt),
	],
);

/** A person's choice per category and channel in one organization; absent rows mean the role's default. */
export const notificationPreferences = sqliteTable(
	"notification_preferences",
	{
		orgId: text("org_id").notNull(),
		userId: text("user_id").notNull(),
		category: text("category", { enum: NOTIFICATION_CATEGORIES }).notNull(),
		email: integer("email", { mode: "boolean" }).notNull(),
		inApp: integer("in_app", { mode: "boolean" }).notNull(),
		updatedAt: integer("updated_at").notNull().default(now),
	},
	(t) => [
		uniqueIndex("notification_preferences_uq").on(t.orgId, t.userId, t.category),
		index("notification_preferences_org_idx").on(t.orgId),
	],
);

/** Data exports: built in the background, kept in the FILES bucket, downloadable through a signed link. */
export const dataExports = sqliteTable(
	"data_exports",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id").notNull(),
		kind: text("kind", { enum: ["organization", "personal"] }).notNull(),
		requestedBy: text("requested_by").notNull(),
		status: text("status", { enum: ["pending", "ready", "failed"] })
			.notNull()
			.default("pending"),
		objectKey: text("object_key"),
		sizeBytes: integer("size_bytes"),
		expiresAt: integer("expires_at"),
		completedAt: integer("completed_at"),
		createdAt: createdAt(),
	},
	(t) => [
		index("data_exports_org_created_idx").on(t.orgId, t.createdAt),
		uniqueIndex("data_exports_org_id_uq").on(t.orgId, t.id),
	],
);

/** The invoice cache, kept current by webhooks and the hourly reconciliation. */
export const invoiceCache = sqliteTable(
	"invoice_cache",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id").notNull(),
		number: text("number"),
		status: text("status").notNull(),
		totalMinor: integer("total_minor").notNull(),
		amountDueMinor: integer("amount_due_minor").notNull(),
		amountPaidMinor: integer("amount_paid_minor").notNull(),
		currency: text("currency").notNull(),
		createdMs: integer("created_ms").notNull(),
		hostedUrl: text("hosted_url"),
		pdfUrl: text("pdf_url"),
		billingReason: text("billing_reason"),
		updatedAt: integer("updated_at").notNull(),
	},
	(t) => [
		index("invoice_cache_org_created_idx").on(t.orgId, t.createdMs),
		uniqueIndex("invoice_cache_org_id_uq").on(t.orgId, t.id),
	],
);

/** Per organization: where the audit chain's sealing stands, and the checkpoint left by retention. */
export const auditChainHeads = sqliteTable("audit_chain_heads", {
	orgId: text("org_id").primaryKey(),
	lastHash: text("last_hash"),
	lastCreatedAt: integer("last_created_at"),
	lastId: text("last_id"),
	/** Hash of the newest event deleted by retention: the first remaining event chains to it. */
	checkpointHash: text("checkpoint_hash"),
	updatedAt: integer("updated_at").notNull(),
});

/** While a row exists for an organization, its audit events may be deleted (retention and purge only). */
export const auditRetentionGate = sqliteTable("audit_retention_gate", {
	orgId: text("org_id").primaryKey(),
});

/** Raw usage events as ingested; `seq` orders them for the aggregation watermark. */
export const usageEvents = sqliteTable(
	"usage_events",
	{
		seq: integer("seq").primaryKey({ autoIncrement: true }),
		orgId: text("org_id").notNull(),
		metric: text("metric").notNull(),
		quantity: real("quantity").notNull(),
		timestampMs: integer("timestamp_ms").notNull(),
		idempotencyKey: text("idempotency_key").notNull(),
		keyId: text("key_id").notNull().default(""),
		receivedAt: integer("received_at").notNull(),
	},
	(t) => [
		uniqueIndex("usage_events_org_idem_uq").on(t.orgId, t.idempotencyKey),
		index("usage_events_org_seq_idx").on(t.orgId, t.seq),
		index("usage_events_received_idx").on(t.receivedAt),
	],
);

/** Hourly and daily rollups per (organization, metric, key); gauges keep the latest snapshot. */
export const usageRollups = sqliteTable(
	"usage_rollups",
	{
		orgId: text("org_id").notNull(),
		metric: text("metric").notNull(),
		keyId: text("key_id").notNull().default(""),
		granularity: text("granularity", { enum: ["hour", "day"] }).notNull(),
		bucketStart: integer("bucket_start").notNull(),
		value: real("value").notNull(),
		/** For gauges: the timestamp of the snapshot in `value`. */
		gaugeAt: integer("gauge_at").notNull().default(0),
	},
	(t) => [primaryKey({ columns: [t.orgId, t.metric, t.keyId, t.granularity, t.bucketStart] })],
);

/** How far aggregation has read the raw events of an organization (written with the rollups). */
export const usageWatermarks = sqliteTable("usage_watermarks", {
	orgId: text("org_id").primaryKey(),
	lastSeq: integer("last_seq").notNull().default(0),
	updatedAt: integer("updated_at").notNull(),
});

/** Threshold alerts already sent: once per metric, threshold and period. */
export const usageAlerts = sqliteTable(
	"usage_alerts",
	{
		orgId: text("org_id").notNull(),
		metric: text("metric").notNull(),
		periodStart: integer("period_start").notNull(),
		threshold: integer("threshold").notNull(),
		sentAt: integer("sent_at").notNull(),
	},
	(t) => [primaryKey({ columns: [t.orgId, t.metric, t.periodStart, t.threshold] })],
);
