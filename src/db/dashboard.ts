// The overview's reads: this period's usage, seats, open tickets and recent activity. On the shared
// tier they ride in the site batch (keyed by the session's organization, which the tenant middleware then
// checks against the host's), so the overview stays one round trip; on the dedicated tier, where tenant
// data lives in the organization's own database, they are one batch there.
import { and, desc, eq, gte, lt, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { type Bound, prepared } from "./prepared.ts";
import { apiKeyUsageDaily, auditEvents, tickets, usageRollups } from "./schema.ts";
import { sessionKeys } from "./session-keys.ts";
import { seatCountQuery } from "./team.ts";

export interface DashboardPeriod {
	startMs: number;
	endMs: number;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A period as values, or as placeholders (the prepared site-batch statements). */
interface PeriodBounds {
	startMs: number | SQLWrapper;
	endMs: number | SQLWrapper;
	startDay: string | SQLWrapper;
	endDay: string | SQLWrapper;
}
const boundsOf = (period: DashboardPeriod) => ({
	startMs: period.startMs,
	endMs: period.endMs,
	startDay: day(period.startMs),
	endDay: day(period.endMs),
});

/** Tenant-data reads: both the org id and the user id may be SQL (subqueries on the session). */
function tenantQueries(db: Db, orgId: string | SQL, userId: string | SQL, period: PeriodBounds) {
	return [
		db
			.select({
				metric: usageRollups.metric,
				keyId: usageRollups.keyId,
				bucketStart: usageRollups.bucketStart,
				value: usageRollups.value,
				gaugeAt: usageRollups.gaugeAt,
			})
			.from(usageRollups)
			.where(
				and(
					sql`${usageRollups.orgId} = ${orgId}`,
					eq(usageRollups.granularity, "day"),
					gte(usageRollups.bucketStart, period.startMs),
					lt(usageRollups.bucketStart, period.endMs),
				),
			),
		db
			.select({
				open: sql<number>`count(*)`,
				mine: sql<number>`coalesce(sum(case when ${tickets.requesterId} = ${userId} then 1 else 0 end), 0)`,
			})
			.from(tickets)
			.where(and(sql`${tickets.orgId} = ${orgId}`, sql`${tickets.status} <> 'resolved'`)),
		db
			.select({
				id: auditEvents.id,
				action: auditEvents.action,
				actorLabel: auditEvents.actorLabel,
				createdAt: auditEvents.createdAt,
			})
			.from(auditEvents)
			.where(sql`${auditEvents.orgId} = ${orgId}`)
			.orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
			.limit(5),
	] as const;
}

/** Main-database reads: key verifications and seats. */
function mainQueries(db: Db, orgId: string | SQL, period: PeriodBounds, nowMs: number | SQLWrapper) {
	return [
		db
			.select({ keyId: apiKeyUsageDaily.keyId, day: apiKeyUsageDaily.day, count: apiKeyUsageDaily.count })
			.from(apiKeyUsageDaily)
			.where(
				and(
					sql`${apiKeyUsageDaily.orgId} = ${orgId}`,
					gte(apiKeyUsageDaily.day, period.startDay),
					lt(apiKeyUsageDaily.day, period.endDay),
				),
			),
		seatCountQuery(db, orgId, nowMs),
	] as const;
}

/** How many of the overview's reads are in the main database (they come last). */
export const MAIN_DASHBOARD_READS = 2;

const PERIOD = ["tokenHash", "host", "startMs", "endMs", "startDay", "endDay", "nowMs"] as const;
type PeriodPlaceholders = Record<(typeof PERIOD)[number], SQLWrapper>;
const keysOf = (p: PeriodPlaceholders) => sessionKeys(p);
/** The five reads, each built once with placeholders (tenant data first, then the main database's). */
const siteBatchStatements = [
	prepared(PERIOD, (db, p) => tenantQueries(db, keysOf(p).orgId, keysOf(p).userId, p)[0]),
	prepared(PERIOD, (db, p) => tenantQueries(db, keysOf(p).orgId, keysOf(p).userId, p)[1]),
	prepared(PERIOD, (db, p) => tenantQueries(db, keysOf(p).orgId, keysOf(p).userId, p)[2]),
	prepared(PERIOD, (db, p) => mainQueries(db, keysOf(p).orgId, p, p.nowMs)[0]),
	prepared(PERIOD, (db, p) => mainQueries(db, keysOf(p).orgId, p, p.nowMs)[1]),
] as const;

/** The overview's reads for the site batch (shared tier: one database), keyed by the session. */
export function dashboardStatements(
	db: Db,
	session: { tokenHash: string; host: string },
	period: DashboardPeriod,
	nowMs: number,
): Bound<unknown>[] {
	const values = { ...session, ...boundsOf(period), nowMs };
	return siteBatchStatements.map((statement) => statement(db, values));
}

export interface DashboardReads {
	rollups: { metric: string; keyId: string; bucketStart: number; value: number; gaugeAt: number }[];
	verifications: { keyId: string; day: string; count: number }[];
	seatsUsed: number;
	openTickets: { all: number; mine: number };
	recent: { id: string; action: string; actorLabel: string; createdAt: number }[];
}

export function dashboardFromRows(rows: unknown[]): DashboardReads {
	const [rollups, ticketRows, recent, verifications, seats] = rows as [
		DashboardReads["rollups"],
		{ open: number; mine: number }[],
		DashboardReads["recent"],
		DashboardReads["verifications"],
		{ seats: number }[],
	];
	return {
		rollups,
		verifications,
		seatsUsed: Number(seats[0]?.seats ?? 0),
		openTickets: { all: Number(ticketRows[0]?.open ?? 0), mine: Number(ticketRows[0]?.mine ?? 0) },
		recent,
	};
}

/** The dedicated tier: tenant data in the organization's database, the rest in the main one (parallel). */
export async function loadDashboard(
	main: Db,
	tenantDb: Db,
	ids: { orgId: string; userId: string },
	period: DashboardPeriod,
	nowMs: number,
	/** The main rows when they came with the site batch: then only the organization's database is asked. */
	preloadedMain?: unknown[] | null,
): Promise<DashboardReads> {
	const [tenantRows, mainRows] = await Promise.all([
		tenantDb.batch([...tenantQueries(tenantDb, ids.orgId, ids.userId, boundsOf(period))]),
		preloadedMain ?? main.batch([...mainQueries(main, ids.orgId, boundsOf(period), nowMs)]),
	]);
	return dashboardFromRows([...tenantRows, ...mainRows]);
}
