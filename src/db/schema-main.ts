import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./schema-columns.ts";
import { organizations } from "./schema-control.ts";

/**
 * API keys. Kept in the main database although they belong to one organization: verification must find a
 * key by its hash alone, in one indexed lookup, whatever the organization's isolation tier.
 */
export const apiKeys = sqliteTable(
	"api_keys",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id")
			.notNull()
			.references(() => organizations.id, { onDelete: "cascade" }),
		name: text("name").notNull(),
		/** SHA-256 of the whole key; the key itself is shown once and never stored. */
		hash: text("hash").notNull().unique(),
		prefix: text("prefix").notNull(),
		last4: text("last4").notNull(),
		scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
		createdBy: text("created_by"),
		createdByLabel: text("created_by_label").notNull(),
		expiresAt: integer("expires_at"),
		revokedAt: integer("revoked_at"),
		/** Set on a rotated-out key: it keeps working until then. */
		graceUntil: integer("grace_until"),
		replacedBy: text("replaced_by"),
		lastUsedAt: integer("last_used_at"),
		rateLimitPerMinute: integer("rate_limit_per_minute"),
		createdAt: createdAt(),
	},
	(t) => [index("api_keys_org_idx").on(t.orgId, t.createdAt)],
);

/** Verifications per key and day, written in batches by the usage queue's consumer. */
export const apiKeyUsageDaily = sqliteTable(
	"api_key_usage_daily",
	{
		orgId: text("org_id").notNull(),
		keyId: text("key_id").notNull(),
		/** UTC day as YYYY-MM-DD. */
		day: text("day").notNull(),
		count: integer("count").notNull().default(0),
	},
	(t) => [
		primaryKey({ columns: [t.orgId, t.keyId, t.day] }),
		index("api_key_usage_daily_org_day_idx").on(t.orgId, t.day),
	],
);

/** Per-key, per-minute counters for keys that have a rate limit. */
export const apiKeyRate = sqliteTable(
	"api_key_rate",
	{
		keyHash: text("key_hash").notNull(),
		windowStart: integer("window_start").notNull(),
		count: integer("count").notNull().default(0),
	},
	(t) => [primaryKey({ columns: [t.keyHash, t.windowStart] }), index("api_key_rate_window_idx").on(t.windowStart)],
);

/** Stripe webhook events already received: a replay finds its id here and has no second effect. */
export const stripeEvents = sqliteTable(
	"stripe_events",
	{
		id: text("id").primaryKey(),
		type: text("type").notNull(),
		orgId: text("org_id"),
		receivedAt: integer("received_at").notNull(),
		/** Set in the same write as the event's effects; until then a retry may claim it again. */
		processedAt: integer("processed_at"),
		/** A delivery working on it since then: another waits until this lease runs out. */
		claimedAt: integer("claimed_at"),
	},
	(t) => [index("stripe_events_processed_idx").on(t.processedAt)],
);

/** That an organization was purged, and when — nothing else, no personal data. */
export const deletionRecords = sqliteTable("deletion_records", {
	orgId: text("org_id").primaryKey(),
	requestedAt: integer("requested_at"),
	purgedAt: integer("purged_at").notNull(),
});

/**
 * While an organization's tenant data moves to another database, a row here (in the database it leaves)
 * makes triggers on every tenant table refuse that organization's writes (`tenant_moving`): no write can
 * land behind the copy. The row stays after the move, so a request that still holds the old address is
 * refused too; `allow_delete` lets the move clear the rows it copied.
 */
export const tenantWriteLocks = sqliteTable("tenant_write_locks", {
	orgId: text("org_id").primaryKey(),
	allowDelete: integer("allow_delete", { mode: "boolean" }).notNull().default(false),
	createdAt: integer("created_at").notNull(),
});
