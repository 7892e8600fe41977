// Control-plane tables: plans, organizations and their domains, users, identities, roles, memberships,
// sessions, invitations and the sign-in machinery. They live in the main database.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, now } from "./schema-columns.ts";

export interface BillingAddress {
	line1: string;
	line2: string;
	city: string;
	postalCode: string;
	state: string;
	country: string;
}

/** A new organization's primary colour: the onboarding checklist notices when it has been changed. */
export const DEFAULT_BRAND_PRIMARY = "#4f46e5";

export interface HelpLink {
	label: string;
	url: string;
}

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

export const organizations = sqliteTable(
	"organizations",
	{
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
		/** The dedicated database's own token (never the main database's). */
		databaseAuthToken: text("database_auth_token"),
		/** Set while the organization's tenant data is moving between databases (the move's claim). */
		databaseMovingAt: integer("database_moving_at"),
		/** The database a dedicated move created, kept so a retried move resumes into it. */
		movingDatabaseUrl: text("moving_database_url"),
		movingDatabaseToken: text("moving_database_token"),
		planId: text("plan_id").references(() => plans.id),
		brandPrimary: text("brand_primary").notNull().default(DEFAULT_BRAND_PRIMARY),
		brandSecondary: text("brand_secondary").notNull().default("#0f766e"),
		brandSurface: text("brand_surface").notNull().default("#ffffff"),
		brandText: text("brand_text").notNull().default("#111827"),
		logoUrl: text("logo_url"),
		faviconUrl: text("favicon_url"),
		/** White-label: where the organization's people write for help, and up to five links of its own. */
		supportEmail: text("support_email"),
		helpLinks: text("help_links", { mode: "json" }).$type<HelpLink[]>().notNull().default([]),
		/** White-label email: the sender's name, and an address on `mailDomain` once that domain is verified. */
		mailFromName: text("mail_from_name"),
		mailFromAddress: text("mail_from_address"),
		mailDomain: text("mail_domain"),
		/** This organization's own proof for its email domain: a TXT record only it was told to create. */
		mailDomainToken: text("mail_domain_token"),
		mailDomainVerifiedAt: integer("mail_domain_verified_at"),
		/** Every member must have MFA enrolled to use the portal. */
		requireMfa: integer("require_mfa", { mode: "boolean" }).notNull().default(false),
		/**
		 * The organization's invite link (null = off). Kept in clear so admins can copy it again: it grants
		 * nothing by itself — it only sends an invitation to an address in `inviteLinkDomains`.
		 */
		inviteLinkToken: text("invite_link_token").unique(),
		inviteLinkDomains: text("invite_link_domains", { mode: "json" }).$type<string[]>().notNull().default([]),
		/** The name invoices carry (the registered company name), when it differs from the display name. */
		legalName: text("legal_name"),
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
	},
	(t) => [
		// A verified email domain belongs to one organization: the second to verify it is refused by the write.
		uniqueIndex("organizations_verified_mail_domain_uq")
			.on(t.mailDomain)
			.where(sql`mail_domain_verified_at is not null`),
		// The reconciliation dispatcher reads only the organizations whose Stripe cache is due, oldest first.
		index("organizations_reconcile_idx")
			.on(sql`coalesce(stripe_synced_at, 0)`, t.id)
			.where(sql`stripe_customer_id is not null and status = 'active'`),
		index("organizations_dedicated_idx").on(t.id).where(sql`isolation_tier = 'dedicated' and status = 'active'`),
		index("organizations_mail_domain_checked_idx").on(t.id).where(sql`mail_domain_verified_at is not null`),
	],
);

export const domains = sqliteTable(
	"domains",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id")
			.notNull()
			.references(() => organizations.id, { onDelete: "cascade" }),
		hostname: text("hostname").notNull().unique(),
		verificationToken: text("verification_token").notNull(),
		/** Set while the records are in place; cleared when a check finds them gone (the domain stops resolving). */
		verifiedAt: integer("verified_at"),
		/** A verified domain whose records disappeared (dangling): disabled so nobody else's CNAME can serve it. */
		disabledAt: integer("disabled_at"),
		lastCheckedAt: integer("last_checked_at"),
		/** What the last check found wrong, in words for the domains page. */
		lastCheckProblem: text("last_check_problem"),
		/** The TLS provider's id for this hostname (Cloudflare for SaaS custom hostname; "local:…" in development). */
		providerId: text("provider_id"),
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
		/** Directory sync: the member's id at the identity provider (SCIM externalId), unique per organization. */
		directoryExternalId: text("directory_external_id"),
		/** Provisioned by the directory, which then owns the name, email and active state. */
		directoryManaged: integer("directory_managed", { mode: "boolean" }).notNull().default(false),
		/** Set while the directory has the member deactivated: no sign-in, no sessions, not counted as a seat. */
		deprovisionedAt: integer("deprovisioned_at"),
		createdAt: createdAt(),
	},
	(t) => [
		uniqueIndex("memberships_org_user_uq").on(t.orgId, t.userId),
		index("memberships_user_idx").on(t.userId),
		uniqueIndex("memberships_org_external_uq")
			.on(t.orgId, t.directoryExternalId)
			.where(sql`directory_external_id is not null`),
	],
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
		/** How the person signed in when it was not a password or link: "sso" (the identity provider). */
		signInMethod: text("sign_in_method"),
		/** An operator's read-only "view as" session: who opened it. Such a session can never write. */
		viewAsOperatorId: text("view_as_operator_id"),
		viewAsOperatorLabel: text("view_as_operator_label"),
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
	(t) => [
		index("invitations_org_idx").on(t.orgId),
		index("invitations_org_email_idx").on(t.orgId, t.email),
		index("invitations_open_expires_idx").on(t.expiresAt).where(sql`accepted_at is null`),
	],
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
		/** "sso" when the identity provider signed the person in: the session records it. */
		signInMethod: text("sign_in_method"),
		/** Set when an operator opens the portal as this member, read-only. */
		viewAsOperatorId: text("view_as_operator_id"),
		viewAsOperatorLabel: text("view_as_operator_label"),
		/**
		 * Binding to the browser that asked: the host that issued the ticket and the hash of the hand-off
		 * cookie it set there; the receiving host's nonce once the issuing host vouched for it.
		 */
		issuerHost: text("issuer_host"),
		issuerBindingHash: text("issuer_binding_hash"),
		boundNonceHash: text("bound_nonce_hash"),
		expiresAt: integer("expires_at").notNull(),
		usedAt: integer("used_at"),
		createdAt: createdAt(),
	},
	(t) => [index("login_tickets_expires_idx").on(t.expiresAt), index("login_tickets_org_idx").on(t.orgId)],
);

/**
 * A sign-up waiting for its address to be confirmed: the organization is created only when the emailed
 * link is used, so the form never tells anyone whether an address already has an account.
 */
export const pendingSignups = sqliteTable(
	"pending_signups",
	{
		id: text("id").primaryKey(),
		tokenHash: text("token_hash").notNull().unique(),
		email: text("email").notNull(),
		name: text("name").notNull(),
		orgName: text("org_name").notNull(),
		slug: text("slug").notNull(),
		/** The new account's password hash; ignored when the address turns out to have an account. */
		passwordHash: text("password_hash").notNull(),
		expiresAt: integer("expires_at").notNull(),
		usedAt: integer("used_at"),
		createdAt: createdAt(),
	},
	(t) => [index("pending_signups_expires_idx").on(t.expiresAt)],
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
export const authThrottles = sqliteTable(
	"auth_throttles",
	{
		key: text("key").primaryKey(),
		failures: integer("failures").notNull().default(0),
		windowStartedAt: integer("window_started_at").notNull(),
		lockedUntil: integer("locked_until"),
	},
	(t) => [index("auth_throttles_window_idx").on(t.windowStartedAt)],
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
