// The daily portal figures per organization (main database), written by the daily cron and added up
// by the console.
import { gte, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { portalMetricsDaily } from "./schema.ts";

export type DailyMetricsRow = typeof portalMetricsDaily.$inferSelect;

export function upsertDailyMetrics(db: Db, row: DailyMetricsRow) {
	const { day: _day, orgId: _org, ...figures } = row;
	return db
		.insert(portalMetricsDaily)
		.values(row)
		.onConflictDoUpdate({ target: [portalMetricsDaily.day, portalMetricsDaily.orgId], set: figures });
}

export function listDailyMetricsSince(db: Db, fromDay: string) {
	return db
		.select()
		.from(portalMetricsDaily)
		.where(gte(portalMetricsDaily.day, fromDay))
		.orderBy(portalMetricsDaily.day, sql`${portalMetricsDaily.orgId}`);
}
