// Retention offers: the vendor's configuration (one offer per cancellation reason) and the record of
// offers shown and accepted. Control plane: the console reads it across organizations.
import { and, eq, gte, sql } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import { retentionOfferEvents, retentionOffers } from "./schema.ts";

export type RetentionOffer = typeof retentionOffers.$inferSelect;

export function listRetentionOffers(db: Db) {
	return db.select().from(retentionOffers);
}

/** The offer for a reason, and whether this organization already accepted one (then nothing is offered). */
export async function offerFor(db: Db, orgId: string, reason: string) {
	const [offers, accepted] = await db.batch([
		db.select().from(retentionOffers).where(eq(retentionOffers.reason, reason)),
		db
			.select({ id: retentionOfferEvents.id })
			.from(retentionOfferEvents)
			.where(and(eq(retentionOfferEvents.orgId, orgId), eq(retentionOfferEvents.outcome, "accepted")))
			.limit(1),
	]);
	return { offer: offers[0] ?? null, alreadyAccepted: accepted.length > 0 };
}

export function saveRetentionOffer(db: Db, offer: typeof retentionOffers.$inferInsert) {
	return db.insert(retentionOffers).values(offer).onConflictDoUpdate({ target: retentionOffers.reason, set: offer });
}

export function deleteRetentionOffer(db: Db, reason: string) {
	return db.delete(retentionOffers).where(eq(retentionOffers.reason, reason));
}

export function offerShownInsert(db: Db, event: { orgId: string; reason: string; kind: RetentionOffer["kind"] }) {
	return db.insert(retentionOfferEvents).values({ id: newId("rte"), ...event, outcome: "shown" });
}

/**
 * Claims the organization's one accepted offer: the partial unique index makes the insert itself the
 * check, so two acceptances sent at once cannot both get through. Returns the claim's id, or null.
 */
export async function claimOfferAcceptance(
	db: Db,
	event: { orgId: string; reason: string; kind: RetentionOffer["kind"] },
): Promise<string | null> {
	const rows = await db
		.insert(retentionOfferEvents)
		.values({ id: newId("rte"), ...event, outcome: "accepted" })
		.onConflictDoNothing()
		.returning({ id: retentionOfferEvents.id });
	return rows[0]?.id ?? null;
}

/** Gives the claim back when Stripe refused to apply the offer. */
export function releaseOfferAcceptance(db: Db, id: string) {
	return db.delete(retentionOfferEvents).where(eq(retentionOfferEvents.id, id));
}

/** Offers shown and accepted per reason since a time, for the console. */
export function retentionStatsSince(db: Db, sinceMs: number) {
	return db
		.select({
			reason: retentionOfferEvents.reason,
			shown: sql<number>`sum(case when ${retentionOfferEvents.outcome} = 'shown' then 1 else 0 end)`,
			accepted: sql<number>`sum(case when ${retentionOfferEvents.outcome} = 'accepted' then 1 else 0 end)`,
		})
		.from(retentionOfferEvents)
		.where(gte(retentionOfferEvents.createdAt, sinceMs))
		.groupBy(retentionOfferEvents.reason);
}
