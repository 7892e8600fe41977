// Retention offers (control plane, the vendor's): what a customer who cancels for a given reason is
// offered instead — a discount for some months through Stripe, or a cheaper plan — and what came of it.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./schema-columns.ts";
import { plans } from "./schema-control.ts";

export const RETENTION_OFFER_KINDS = ["discount", "downgrade"] as const;

/** One offer per cancellation reason (the reason keys of CANCEL_REASONS); no row means no offer. */
export const retentionOffers = sqliteTable("retention_offers", {
	reason: text("reason").primaryKey(),
	kind: text("kind", { enum: RETENTION_OFFER_KINDS }).notNull(),
	/** Discount: percent off every invoice for `months` months. */
	percentOff: integer("percent_off"),
	months: integer("months"),
	/** Downgrade: the plan offered instead (only offered to organizations on a more expensive plan). */
	planId: text("plan_id").references(() => plans.id),
	updatedAt: integer("updated_at").notNull(),
	updatedBy: text("updated_by").notNull(),
});

/** Offers shown and accepted, for the console's metrics. An organization accepts one offer, ever. */
export const retentionOfferEvents = sqliteTable(
	"retention_offer_events",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id").notNull(),
		reason: text("reason").notNull(),
		kind: text("kind", { enum: RETENTION_OFFER_KINDS }).notNull(),
		outcome: text("outcome", { enum: ["shown", "accepted"] }).notNull(),
		createdAt: createdAt(),
	},
	(t) => [
		index("retention_offer_events_created_idx").on(t.createdAt),
		// The write itself enforces "one accepted offer per organization", whatever arrives at once.
		uniqueIndex("retention_offer_events_one_accept_uq").on(t.orgId).where(sql`outcome = 'accepted'`),
	],
);
