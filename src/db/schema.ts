// The data model. Control-plane tables live in the main database; tenant-data tables carry
// `org_id NOT NULL`, an index on it and uniqueness that includes it, in every database.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

export interface BillingAddress {
	line1: string;
	line2: string;
	city: string;
	postalCode: string;
	state: string;
	country: string;
}
const createdAt = () => integer("created_at").notNull().default(now);

// ── Control plane ───────────────────────────────────────────────────────────────────────────────

export const plans = sqliteTable("plans", {
	id: text("id").primaryKey(),
	key: text("key").notNull().unique(),
	name: text("name").notNull(),
	priceMinor: integer("price_minor").notNull(),
	currency: text("currency").notNull().default("usd"),
	interval: text("interval", { enum: ["month", "year"] })
		.notNull()
		.default("month"),
	/** JSON object: metric → limit per period (null = unlimited). */
	limits: text("limits", { mode: "json" }).$type<Record<string, number | null>>().notNull(),
	features: text("features", { mode: "json" }).$type<string[]>().notNull().default([]),
	stripePriceId: text("stripe_price_id"),
	sortOrder: integer("sort_order").notNull().default(0),
	createdAt: createdAt(),
});

export const organizations = sqliteTable("organizations", {
	id: text("id").primaryKey(),
	slug: text("slug").notNull().unique(),
	name: text("name").notNull(),
	status: text("status", { enum: ["active", "suspended", "deleted"] })
		.notNull()
		.default("active"),
	isolationTier: text("isolation_tier", { enum: ["shared", "dedicated"] })
		.notNull()
		.default("shared"),
	databaseUrl: text("database_url"),
	planId: text("plan_id").references(() => plans.id),
	brandPrimary: text("brand_primary").notNull().default("#4f46e5"),
	brandSecondary: text("brand_secondary").notNull().default("#0f766e"),
	brandSurface: text("brand_surface").notNull().default("#ffffff"),
	brandText: text("brand_text").notNull().default("#111827"),
	logoUrl: text("logo_url"),
	/** Every member must have MFA enrolled to use the portal. */
	requireMfa: integer("require_mfa", { mode: "boolean" }).notNull().default(false),
	/**
	 * The organization's invite link (null = off). Kept in clear so admins can copy it again: it grants
	 * nothing by itself — it only sends an invitation to an address in `inviteLinkDomains`.
	 */
	inviteLinkToken: text("invite_link_token").unique(),
	inviteLinkDomains: text("invite_link_domains", { mode: "json" }).$type<string[]>().notNull().default([]),
	billingEmail: text("billing_email"),
	billingAddress: text("billing_address", { mode: "json" }).$type<BillingAddress | null>(),
	taxIdType: text("tax_id_type"),
	taxIdValue: text("tax_id_value"),
	/** Deletion: requested by an Owner, restorable until `purgeAfter`, then purged by housekeeping. */
	deletionRequestedAt: integer("deletion_requested_at"),
	purgeAfter: integer("purge_after"),
	/** Ownership transfer: the member the current Owner nominated, until they accept. */
	ownershipNomineeId: text("ownership_nominee_id"),
	ownershipNominatedBy: text("ownership_nominated_by"),
	stripeCustomerId: text("stripe_customer_id"),
	stripeSubscriptionId: text("stripe_subscription_id"),
	subscriptionStatus: text("subscription_status"),
	currentPeriodEndMs: integer("current_period_end_ms"),
	cancelAtPeriodEnd: integer("cancel_at_period_end", { mode: "boolean" }).notNull().default(false),
	/** The next invoice's amount (minor units), from Stripe. */
	nextAmountMinor: integer("next_amount_minor"),
	/** A downgrade waiting for the period end: the plan and when it takes effect. */
	scheduledPlanId: text("scheduled_plan_id"),
	/** Card on file, as Stripe reports it: "visa 4242". */
	paymentMethodSummary: text("payment_method_summary"),
	/** `created` of the newest Stripe event applied to the subscription cache: older ones never overwrite it. */
	stripeSyncedAt: integer("stripe_synced_at"),
	createdAt: createdAt(),
	updatedAt: integer("updated_at").notNull().default(now),
});

export const domains = sqliteTable(
	"domains",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id")
			.notNull()
			.references(() => organizations.id, { onDelete: "cascade" }),
		hostname: text("hostname").notNull().unique(),
		verificationToken: text("verification_token").notNull(),
		verifiedAt: integer("verified_at"),
		createdAt: createdAt(),
	},
	(t) => [index("domains_org_idx").on(t.orgId)],
);

export const users = sqliteTable("users", {
	id: text("id").primaryKey(),
	email: text("email").notNull().unique(),
	name: text("name").notNull(),
	passwordHash: text("password_hash"),
	emailVerifiedAt: integer("email_verified_at"),
	timeZone: text("time_zone").notNull().default("UTC"),
	locale: text("locale").notNull().default("en-US"),
	isOperator: integer("is_operator", { mode: "boolean" }).notNull().default(false),
	/** Object key of the avatar in the FILES bucket. */
	avatarKey: text("avatar_key"),
	/** Denormalized from mfa_factors: a confirmed TOTP factor exists, so sign-in asks for a code. */
	mfaEnabled: integer("mfa_enabled", { mode: "boolean" }).notNull().default(false),
	createdAt: createdAt(),
});

export const identities = sqliteTable(
	"identities",
	{
		id: text("id").primaryKey(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		provider: text("provider").notNull(),
		subject: text("subject").notNull(),
		email: text("email"),
		createdAt: createdAt(),
	},
	(t) => [
		uniqueIndex("identities_provider_subject_uq").on(t.provider, t.subject),
		index("identities_user_idx").on(t.userId),
	],
);

export const roles = sqliteTable(
	"roles",
	{
		id: text("id").primaryKey(),
		/** null for the built-in roles shared by every organization. */
		orgId: text("org_id").references(() => organizations.id, { onDelete: "cascade" }),
		key: text("key").notNull(),
		name: text("name").notNull(),
		permissions: text("permissions", { mode: "json" }).$type<string[]>().notNull(),
		builtIn: integer("built_in", { mode: "boolean" }).notNull().default(false),
		createdAt: createdAt(),
	},
	(t) => [uniqueIndex("roles_org_key_uq").on(t.orgId, t.key)],
);

export const memberships = sqliteTable(
	"memberships",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id")
			.notNull()
			.references(() => organizations.id, { onDelete: "cascade" }),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		roleId: text("role_id")
			.notNull()
			.references(() => roles.id),
		lastActiveAt: integer("last_active_at"),
		/** First-run guide: when the tour was finished or skipped, and when the checklist was dismissed. */
		tourDoneAt: integer("tour_done_at"),
		checklistDismissedAt: integer("checklist_dismissed_at"),
		createdAt: createdAt(),
	},
	(t) => [uniqueIndex("memberships_org_user_uq").on(t.orgId, t.userId), index("memberships_user_idx").on(t.userId)],
);

export const sessions = sqliteTable(
	"sessions",
	{
		id: text("id").primaryKey(),
		/** SHA-256 of the cookie token; the token itself is never stored. */
		tokenHash: text("token_hash").notNull().unique(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		/** The host the session belongs to: one session per host. */
		host: text("host").notNull(),
		orgId: text("org_id").references(() => organizations.id, { onDelete: "cascade" }),
		/** Idle expiry: moves forward while the session is used. */
		expiresAt: integer("expires_at").notNull(),
		/** Absolute expiry: the session ends then, however active. */
		absoluteExpiresAt: integer("absolute_expires_at").notNull().default(0),
		lastSeenAt: integer("last_seen_at").notNull(),
		/** Time of the last password/link/OAuth/MFA proof, for step-up on sensitive actions. */
		authenticatedAt: integer("authenticated_at").notNull().default(0),
		ip: text("ip"),
		userAgent: text("user_agent"),
		mfaVerified: integer("mfa_verified", { mode: "boolean" }).notNull().default(false),
		createdAt: createdAt(),
	},
	(t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

export const invitations = sqliteTable(
	"invitations",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id")
			.notNull()
			.references(() => organizations.id, { onDelete: "cascade" }),
		email: text("email").notNull(),
		roleId: text("role_id")
			.notNull()
			.references(() => roles.id),
		tokenHash: text("token_hash").notNull().unique(),
		invitedBy: text("invited_by").references(() => users.id, { onDelete: "set null" }),
		expiresAt: integer("expires_at").notNull(),
		acceptedAt: integer("accepted_at"),
		revokedAt: integer("revoked_at"),
		createdAt: createdAt(),
	},
	(t) => [index("invitations_org_idx").on(t.orgId), index("invitations_org_email_idx").on(t.orgId, t.email)],
);

export const loginTickets = sqliteTable(
	"login_tickets",
	{
		id: text("id").primaryKey(),
		tokenHash: text("token_hash").notNull().unique(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		orgId: text("org_id")
			.notNull()
			.references(() => organizations.id, { onDelete: "cascade" }),
		host: text("host").notNull(),
		/** The session that issued the ticket had passed MFA. */
		mfaVerified: integer("mfa_verified", { mode: "boolean" }).notNull().default(false),
		expiresAt: integer("expires_at").notNull(),
		usedAt: integer("used_at"),
		createdAt: createdAt(),
	},
	(t) => [index("login_tickets_expires_idx").on(t.expiresAt), index("login_tickets_org_idx").on(t.orgId)],
);

/** Single-use tokens sent by email: magic links, address verification, password reset, email change. */
export const emailTokens = sqliteTable(
	"email_tokens",
	{
		id: text("id").primaryKey(),
		purpose: text("purpose", { enum: ["magic_link", "verify_email", "reset_password", "change_email"] }).notNull(),
		tokenHash: text("token_hash").notNull().unique(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		orgId: text("org_id").references(() => organizations.id, { onDelete: "cascade" }),
		/** The host the link must be opened on. */
		host: text("host").notNull(),
		/** For change_email: the address being verified. */
		email: text("email"),
		expiresAt: integer("expires_at").notNull(),
		usedAt: integer("used_at"),
		createdAt: createdAt(),
	},
	(t) => [index("email_tokens_user_idx").on(t.userId), index("email_tokens_expires_idx").on(t.expiresAt)],
);

/** Failed sign-in counters, per account (email) and per IP, kept in the database (isolates are not shared). */
export const authThrottles = sqliteTable("auth_throttles", {
	key: text("key").primaryKey(),
	failures: integer("failures").notNull().default(0),
	windowStartedAt: integer("window_started_at").notNull(),
	lockedUntil: integer("locked_until"),
});

/** Development and test mail transport: what would have been sent, shown at /dev/mail. */
export const mailOutbox = sqliteTable(
	"mail_outbox",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id"),
		to: text("to").notNull(),
		from: text("from").notNull(),
		subject: text("subject").notNull(),
		text: text("text").notNull(),
		html: text("html").notNull(),
		createdAt: createdAt(),
	},
	(t) => [index("mail_outbox_to_idx").on(t.to, t.createdAt)],
);

export const mfaFactors = sqliteTable(
	"mfa_factors",
	{
		id: text("id").primaryKey(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		type: text("type", { enum: ["totp", "recovery"] }).notNull(),
		/** TOTP: the base32 secret. Recovery: SHA-256 of the code. */
		secret: text("secret").notNull(),
		confirmedAt: integer("confirmed_at"),
		usedAt: integer("used_at"),
		createdAt: createdAt(),
	},
	(t) => [index("mfa_factors_user_idx").on(t.userId)],
);

// ── Tenant data ─────────────────────────────────────────────────────────────────────────────────

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
	(t) => [primaryKey({ columns: [t.keyHash, t.windowStart] })],
);

/** Stripe webhook events already received: a replay finds its id here and has no second effect. */
export const stripeEvents = sqliteTable("stripe_events", {
	id: text("id").primaryKey(),
	type: text("type").notNull(),
	orgId: text("org_id"),
	receivedAt: integer("received_at").notNull(),
});

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

/** That an organization was purged, and when — nothing else, no personal data. */
export const deletionRecords = sqliteTable("deletion_records", {
	orgId: text("org_id").primaryKey(),
	requestedAt: integer("requested_at"),
	purgedAt: integer("purged_at").notNull(),
});

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

/** Tables whose every row belongs to one organization: reachable only through `tenantData()`. */
export const tenantTables = {
	auditEvents,
	notifications,
	notificationPreferences,
	dataExports,
	invoiceCache,
	usageEvents,
	usageRollups,
	usageWatermarks,
	usageAlerts,
	auditChainHeads,
	auditRetentionGate,
} as const;
export type TenantTable = (typeof tenantTables)[keyof typeof tenantTables];
