// The daily portal figures per organization (main database), written by the daily job, and their
// totals over all organizations, kept current in the same batch: the console reads only the totals.
import { and, eq, gte, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { portalMetricsDaily, portalMetricsTicketTotals, portalMetricsTotals } from "./schema.ts";

export type DailyMetricsRow = typeof portalMetricsDaily.$inferSelect;

const FIGURES = ["activeSessions", "selfServedSessions", "suggestionSessions", "deflectedSessions"] as const;

/**
 * Writes one organization's figures for a day and moves the day's totals by the difference: the old
 * row's figures come out and the new ones go in, inside one transaction, so a recomputation (today's
 * figures are written twice) or two overlapping runs never count an organization twice.
 */
export function upsertDailyMetrics(db: Db, row: DailyMetricsRow) {
	const { day: _day, orgId: _org, ...figures } = row;
	const oldOf = (column: string) =>
		sql`coalesce((select ${sql.identifier(column)} from ${portalMetricsDaily} where day = ${row.day} and org_id = ${row.orgId}), 0)`;
	const move = (sign: 1 | -1) =>
		db
			.update(portalMetricsTotals)
			.set({
				...(sign > 0 ? { updatedAt: row.computedAt } : {}),
				adopted:
					sign < 0
						? sql`${portalMetricsTotals.adopted} - ${oldOf("adopted")}`
						: sql`${portalMetricsTotals.adopted} + ${row.adopted ? 1 : 0}`,
				...Object.fromEntries(
					FIGURES.map((f) => {
						const column = portalMetricsTotals[f];
						return [f, sign < 0 ? sql`${column} - ${oldOf(column.name)}` : sql`${column} + ${row[f]}`];
					}),
				),
			})
			.where(eq(portalMetricsTotals.day, row.day));
	const newTickets = Object.entries(row.tickets).filter(([, n]) => (n ?? 0) !== 0);
	return db.batch([
		db.insert(portalMetricsTotals).values({ day: row.day }).onConflictDoNothing(),
		move(-1),
		db.run(sql`insert into ${portalMetricsTicketTotals} (day, category, count)
		           select ${row.day}, key, -value from json_each((select tickets from ${portalMetricsDaily} where day = ${row.day} and org_id = ${row.orgId})) where true
		           on conflict (day, category) do update set count = count + excluded.count`),
		db
			.insert(portalMetricsDaily)
			.values(row)
			.onConflictDoUpdate({ target: [portalMetricsDaily.day, portalMetricsDaily.orgId], set: figures }),
		move(1),
		...(newTickets.length > 0
			? [
					db
						.insert(portalMetricsTicketTotals)
						.values(newTickets.map(([category, count]) => ({ day: row.day, category, count: count ?? 0 })))
						.onConflictDoUpdate({
							target: [portalMetricsTicketTotals.day, portalMetricsTicketTotals.category],
							set: { count: sql`${portalMetricsTicketTotals.count} + excluded.count` },
						}),
				]
			: []),
	]);
}

/** The number of active organizations on a day: the denominator of adoption (set by the daily job). */
export function countOrganizationsOn(db: Db, days: string[], nowMs: number) {
	return db.batch(
		days.map((day) =>
			db.run(sql`insert into ${portalMetricsTotals} (day, organizations, updated_at)
			           values (${day}, (select count(*) from organizations where status = 'active'), ${nowMs})
			           on conflict (day) do update set organizations = excluded.organizations, updated_at = excluded.updated_at`),
		) as [ReturnType<Db["run"]>, ...ReturnType<Db["run"]>[]],
	);
}

/** The day totals since a day, and the tickets per category: a few rows per day, whatever the organizations. */
export async function listDailyTotalsSince(db: Db, fromDay: string) {
	const [totals, tickets] = await db.batch([
		db.select().from(portalMetricsTotals).where(gte(portalMetricsTotals.day, fromDay)).orderBy(portalMetricsTotals.day),
		db
			.select()
			.from(portalMetricsTicketTotals)
			.where(and(gte(portalMetricsTicketTotals.day, fromDay))),
	]);
	return { totals, tickets };
}
