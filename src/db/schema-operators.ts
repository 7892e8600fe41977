// The vendor's operators: a separate identity (never a user, never a member of an organization) with
// its own sessions on the apex host and its own audit trail. TOTP is required to use the console.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./schema-columns.ts";

export const operators = sqliteTable("operators", {
	id: text("id").primaryKey(),
	email: text("email").notNull().unique(),
	name: text("name").notNull(),
	passwordHash: text("password_hash").notNull(),
	/** Base32 TOTP secret: pending until `totpConfirmedAt`, when enrolment proved a code. */
	totpSecret: text("totp_secret"),
	totpConfirmedAt: integer("totp_confirmed_at"),
	/** The last accepted time step, so a code cannot be replayed. */
	totpLastStep: integer("totp_last_step"),
	createdAt: createdAt(),
});

export const operatorSessions = sqliteTable(
	"operator_sessions",
	{
		id: text("id").primaryKey(),
		tokenHash: text("token_hash").notNull().unique(),
		operatorId: text("operator_id")
			.notNull()
			.references(() => operators.id, { onDelete: "cascade" }),
		mfaVerified: integer("mfa_verified", { mode: "boolean" }).notNull().default(false),
		expiresAt: integer("expires_at").notNull(),
		absoluteExpiresAt: integer("absolute_expires_at").notNull(),
		ip: text("ip"),
		userAgent: text("user_agent"),
		createdAt: createdAt(),
	},
	(t) => [index("operator_sessions_operator_idx").on(t.operatorId)],
);

/** Every operator action; the ones that touch an organization are also in that organization's audit log. */
export const operatorAuditEvents = sqliteTable(
	"operator_audit_events",
	{
		id: text("id").primaryKey(),
		operatorId: text("operator_id").notNull(),
		operatorLabel: text("operator_label").notNull(),
		action: text("action").notNull(),
		orgId: text("org_id"),
		targetType: text("target_type"),
		targetId: text("target_id"),
		metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
		ip: text("ip"),
		createdAt: createdAt(),
	},
	(t) => [index("operator_audit_events_created_idx").on(t.createdAt)],
);
