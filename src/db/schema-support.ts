// Support tables. Tickets, their messages and attachments, and the portal events the metrics are
// computed from, are tenant data (org_id on every row). The knowledge base is the vendor's, shared by
// every organization, and lives in the main database with its FTS5 index (created in a custom migration).
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import {
	KB_CATEGORIES,
	TICKET_CATEGORIES,
	TICKET_STATUSES,
	type TicketCategory,
	type TicketStatus,
} from "../support/vocabulary.ts";
import { createdAt, now } from "./schema-columns.ts";

export { KB_CATEGORIES, TICKET_CATEGORIES, TICKET_STATUSES, type TicketCategory, type TicketStatus };

/** What support sees without asking: collected when the ticket is filed, from the requester's organization only. */
export interface TicketContext {
	organization: { id: string; name: string; slug: string };
	plan: { key: string | null; name: string | null; subscriptionStatus: string | null };
	requester: { role: string };
	usage: { metric: string; used: number; limit: number | null; percent: number | null }[];
	recentEvents: { action: string; actor: string; at: number }[];
	recentErrors: { action: string; at: number }[];
}

export const tickets = sqliteTable(
	"tickets",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id").notNull(),
		requesterId: text("requester_id").notNull(),
		requesterLabel: text("requester_label").notNull(),
		requesterEmail: text("requester_email").notNull(),
		subject: text("subject").notNull(),
		category: text("category", { enum: TICKET_CATEGORIES }).notNull(),
		status: text("status", { enum: TICKET_STATUSES }).notNull().default("open"),
		context: text("context", { mode: "json" }).$type<TicketContext>().notNull(),
		lastActivityAt: integer("last_activity_at").notNull(),
		resolvedAt: integer("resolved_at"),
		createdAt: createdAt(),
	},
	(t) => [
		index("tickets_org_created_idx").on(t.orgId, t.createdAt),
		index("tickets_org_requester_idx").on(t.orgId, t.requesterId, t.createdAt),
		index("tickets_status_activity_idx").on(t.status, t.lastActivityAt),
		uniqueIndex("tickets_org_id_uq").on(t.orgId, t.id),
	],
);

export const ticketMessages = sqliteTable(
	"ticket_messages",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id").notNull(),
		ticketId: text("ticket_id").notNull(),
		authorType: text("author_type", { enum: ["customer", "operator"] }).notNull(),
		authorId: text("author_id").notNull(),
		authorLabel: text("author_label").notNull(),
		body: text("body").notNull(),
		/** An operator's note for other operators: never shown to the customer. */
		internal: integer("internal", { mode: "boolean" }).notNull().default(false),
		createdAt: createdAt(),
	},
	(t) => [
		index("ticket_messages_org_ticket_idx").on(t.orgId, t.ticketId, t.createdAt),
		uniqueIndex("ticket_messages_org_id_uq").on(t.orgId, t.id),
	],
);

export const ticketAttachments = sqliteTable(
	"ticket_attachments",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id").notNull(),
		ticketId: text("ticket_id").notNull(),
		messageId: text("message_id").notNull(),
		objectKey: text("object_key").notNull(),
		filename: text("filename").notNull(),
		contentType: text("content_type").notNull(),
		sizeBytes: integer("size_bytes").notNull(),
		createdAt: createdAt(),
	},
	(t) => [
		index("ticket_attachments_org_ticket_idx").on(t.orgId, t.ticketId),
		uniqueIndex("ticket_attachments_org_id_uq").on(t.orgId, t.id),
	],
);

export const PORTAL_EVENT_KINDS = ["sign_in", "action", "ticket", "article_open"] as const;
export type PortalEventKind = (typeof PORTAL_EVENT_KINDS)[number];

/** What the portal metrics are computed from: per portal session, what people did. */
export const portalEvents = sqliteTable(
	"portal_events",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id").notNull(),
		sessionId: text("session_id").notNull(),
		userId: text("user_id").notNull(),
		kind: text("kind", { enum: PORTAL_EVENT_KINDS }).notNull(),
		/** The audit action for `action`, the article id for `article_open`, the ticket id for `ticket`. */
		subject: text("subject").notNull().default(""),
		createdAt: createdAt(),
	},
	(t) => [
		index("portal_events_org_created_idx").on(t.orgId, t.createdAt),
		uniqueIndex("portal_events_org_id_uq").on(t.orgId, t.id),
		index("portal_events_created_idx").on(t.createdAt),
	],
);

export const kbArticles = sqliteTable(
	"kb_articles",
	{
		id: text("id").primaryKey(),
		slug: text("slug").notNull().unique(),
		title: text("title").notNull(),
		category: text("category").notNull(),
		/** Markdown; rendered with raw HTML escaped and only safe link schemes. */
		body: text("body").notNull(),
		relatedIds: text("related_ids", { mode: "json" }).$type<string[]>().notNull().default([]),
		status: text("status", { enum: ["draft", "published"] })
			.notNull()
			.default("draft"),
		helpfulYes: integer("helpful_yes").notNull().default(0),
		helpfulNo: integer("helpful_no").notNull().default(0),
		updatedBy: text("updated_by"),
		createdAt: createdAt(),
		updatedAt: integer("updated_at").notNull().default(now),
	},
	(t) => [index("kb_articles_status_category_idx").on(t.status, t.category)],
);

/** One vote per person and article; the counters on the article are kept in the same batch. */
export const kbVotes = sqliteTable(
	"kb_votes",
	{
		articleId: text("article_id")
			.notNull()
			.references(() => kbArticles.id, { onDelete: "cascade" }),
		userId: text("user_id").notNull(),
		orgId: text("org_id").notNull(),
		helpful: integer("helpful", { mode: "boolean" }).notNull(),
		createdAt: createdAt(),
	},
	(t) => [primaryKey({ columns: [t.articleId, t.userId] })],
);

/** The daily figures per organization, written by the daily cron; the console adds them up. */
export const portalMetricsDaily = sqliteTable(
	"portal_metrics_daily",
	{
		day: text("day").notNull(),
		orgId: text("org_id").notNull(),
		/** A member signed in during the 30 days up to this day. */
		adopted: integer("adopted", { mode: "boolean" }).notNull(),
		/** Portal sessions that completed an action or filed a ticket this day… */
		activeSessions: integer("active_sessions").notNull(),
		/** …and of those, the ones that completed an action and filed no ticket. */
		selfServedSessions: integer("self_served_sessions").notNull(),
		/** Sessions that opened a suggested article, and those that then filed no ticket. */
		suggestionSessions: integer("suggestion_sessions").notNull(),
		deflectedSessions: integer("deflected_sessions").notNull(),
		tickets: text("tickets", { mode: "json" }).$type<Partial<Record<TicketCategory, number>>>().notNull(),
		computedAt: integer("computed_at").notNull(),
	},
	(t) => [primaryKey({ columns: [t.day, t.orgId] })],
);

/**
 * The daily figures of all organizations added up, kept current by the same batch that writes an
 * organization's daily row (its old figures out, its new ones in): the console reads a few rows per
 * week, whatever the number of organizations. `organizations` is the count of active ones that day.
 */
export const portalMetricsTotals = sqliteTable("portal_metrics_totals", {
	day: text("day").primaryKey(),
	organizations: integer("organizations").notNull().default(0),
	adopted: integer("adopted").notNull().default(0),
	activeSessions: integer("active_sessions").notNull().default(0),
	selfServedSessions: integer("self_served_sessions").notNull().default(0),
	suggestionSessions: integer("suggestion_sessions").notNull().default(0),
	deflectedSessions: integer("deflected_sessions").notNull().default(0),
	updatedAt: integer("updated_at").notNull().default(0),
});

/** Tickets per category and day, all organizations together (kept with `portal_metrics_totals`). */
export const portalMetricsTicketTotals = sqliteTable(
	"portal_metrics_ticket_totals",
	{
		day: text("day").notNull(),
		category: text("category").notNull(),
		count: integer("count").notNull(),
	},
	(t) => [primaryKey({ columns: [t.day, t.category] })],
);
