// Usage data of one organization, through the organization-bound helpers: raw events, rollups, the
// aggregation watermark and sent alerts.
import { and, asc, eq, gt, gte, lt, lte, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { type Bound, prepared } from "./prepared.ts";
import { apiKeys, apiKeyUsageDaily, plans, usageAlerts, usageEvents, usageRollups, usageWatermarks } from "./schema.ts";
import { sessionKeys } from "./session-keys.ts";
import { seatCountQuery } from "./team.ts";
import type { TenantData } from "./tenant-data.ts";

export interface NewUsageEvent {
	metric: string;
	quantity: number;
	timestampMs: number;
	idempotencyKey: string;
	keyId: string;
}

/** All accepted events in one atomic batch; a duplicate idempotency key is skipped, not an error. */
export async function insertUsageEvents(
	tenant: TenantData,
	events: NewUsageEvent[],
	receivedAt: number,
): Promise<number> {
	if (events.length === 0) return 0;
	const statements = [];
	for (let i = 0; i < events.length; i += 100) {
		const chunk = events.slice(i, i + 100);
		statements.push(
			tenant
				.insertMany(
					usageEvents,
					chunk.map((e) => ({ ...e, receivedAt })),
				)
				.onConflictDoNothing()
				.returning({ seq: usageEvents.seq }),
		);
	}
	const results = await tenant.batch(statements as [(typeof statements)[number], ...typeof statements]);
	return (results as unknown[][]).reduce((n, rows) => n + rows.length, 0);
}

export async function readWatermark(tenant: TenantData): Promise<number> {
	const rows = await tenant.select(usageWatermarks);
	return rows[0]?.lastSeq ?? 0;
}

export async function eventsAfter(tenant: TenantData, afterSeq: number, limit: number) {
	return await tenant.select(usageEvents, gt(usageEvents.seq, afterSeq)).orderBy(asc(usageEvents.seq)).limit(limit);
}

export interface RollupDelta {
	metric: string;
	keyId: string;
	granularity: "hour" | "day";
	bucketStart: number;
	value: number;
	gaugeAt: number;
	gauge: boolean;
}

/**
 * Rollup upserts (sums add, gauges keep the newest snapshot) and the new watermark: one atomic batch,
 * which first checks the watermark is still `fromSeq`, the one the events were read after. Of two
 * overlapping runs (a queue redelivery), the second to commit adds nothing: it throws a precondition
 * refusal instead of counting the same events twice.
 */
export async function writeRollups(
	tenant: TenantData,
	deltas: RollupDelta[],
	fromSeq: number,
	lastSeq: number,
	nowMs: number,
): Promise<void> {
	const writes = deltas.map((d) =>
		tenant.upsert(
			usageRollups,
			{
				metric: d.metric,
				keyId: d.keyId,
				granularity: d.granularity,
				bucketStart: d.bucketStart,
				value: d.value,
				gaugeAt: d.gaugeAt,
			},
			[usageRollups.orgId, usageRollups.metric, usageRollups.keyId, usageRollups.granularity, usageRollups.bucketStart],
			d.gauge
				? {
						value: sql`case when ${d.gaugeAt} >= ${usageRollups.gaugeAt} then ${d.value} else ${usageRollups.value} end`,
						gaugeAt: sql`max(${usageRollups.gaugeAt}, ${d.gaugeAt})`,
					}
				: { value: sql`${usageRollups.value} + ${d.value}` },
		),
	);
	const mark = tenant.upsert(usageWatermarks, { lastSeq, updatedAt: nowMs }, usageWatermarks.orgId, {
		lastSeq,
		updatedAt: nowMs,
	});
	const unchanged = tenant.requireThat(
		sql`coalesce((select ${usageWatermarks.lastSeq} from ${usageWatermarks} where ${usageWatermarks.orgId} = ${tenant.orgId}), 0) = ${fromSeq}`,
		"watermark moved",
	);
	await tenant.batch([unchanged, mark, ...writes]);
}

export function deleteAggregatedEventsBefore(tenant: TenantData, cutoffMs: number, maxSeq: number) {
	return tenant.delete(usageEvents, and(lt(usageEvents.receivedAt, cutoffMs), lte(usageEvents.seq, maxSeq)));
}

/**
 * The dashboard's reads in one batch (shared tier): daily rollups of the period, key verifications, the
 * watermark, the plan catalogue and the organization's key names.
 */
/** The usage page's reads from the main database: they can ride in the site batch (`orgId` a subquery). */
function usageMainQueriesFor(
	main: Db,
	orgId: string | SQL,
	{
		startDay,
		endDay,
		nowMs,
	}: { startDay: string | SQLWrapper; endDay: string | SQLWrapper; nowMs: number | SQLWrapper },
) {
	return [
		main
			.select({ keyId: apiKeyUsageDaily.keyId, day: apiKeyUsageDaily.day, count: apiKeyUsageDaily.count })
			.from(apiKeyUsageDaily)
			.where(
				and(
					sql`${apiKeyUsageDaily.orgId} = ${orgId}`,
					gte(apiKeyUsageDaily.day, startDay),
					lt(apiKeyUsageDaily.day, endDay),
				),
			),
		main.select().from(plans),
		main.select({ id: apiKeys.id, name: apiKeys.name }).from(apiKeys).where(sql`${apiKeys.orgId} = ${orgId}`),
		seatCountQuery(main, orgId, nowMs),
	] as const;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function usageMainQueries(main: Db, orgId: string | SQL, startMs: number, endMs: number, nowMs: number) {
	return usageMainQueriesFor(main, orgId, { startDay: dayOf(startMs), endDay: dayOf(endMs), nowMs });
}

const USAGE_MAIN = ["tokenHash", "host", "startDay", "endDay", "nowMs"] as const;
const usageMainPrepared = [0, 1, 2, 3].map((i) =>
	prepared(USAGE_MAIN, (db, p) => usageMainQueriesFor(db, sessionKeys(p).orgId, p)[i as 0]),
);

/** The usage page's main-database reads for the site batch, keyed by the session (built once). */
export function usageMainStatements(
	db: Db,
	session: { tokenHash: string; host: string },
	startMs: number,
	endMs: number,
	nowMs: number,
): Bound<unknown>[] {
	const values = { ...session, startDay: dayOf(startMs), endDay: dayOf(endMs), nowMs };
	return usageMainPrepared.map((statement) => statement(db, values));
}

function usageReads(
	r: (typeof usageRollups.$inferSelect)[],
	m: (typeof usageWatermarks.$inferSelect)[],
	main: unknown[],
) {
	const [v, p, k, s] = main as [
		{ keyId: string; day: string; count: number }[],
		(typeof plans.$inferSelect)[],
		{ id: string; name: string }[],
		{ seats: number }[],
	];
	return {
		rollups: r,
		verifications: v,
		watermark: m[0] ?? null,
		plans: p,
		keyNames: k,
		seatsUsed: s[0]?.seats ?? 0,
	};
}

/**
 * The usage page's reads: one round trip, plus the main reads unless they came with the site batch
 * (`preloaded`); on the dedicated tier the round trip is in the organization's database.
 */
export async function loadUsagePeriod(
	main: Db,
	tenant: TenantData,
	startMs: number,
	endMs: number,
	nowMs: number,
	preloaded?: unknown[] | null,
) {
	const rollups = tenant.select(
		usageRollups,
		and(
			eq(usageRollups.granularity, "day"),
			gte(usageRollups.bucketStart, startMs),
			lt(usageRollups.bucketStart, endMs),
		),
	);
	const mark = tenant.select(usageWatermarks);
	const mainQueries = usageMainQueries(main, tenant.orgId, startMs, endMs, nowMs);
	if (tenant.usesDatabase(main)) {
		if (preloaded) {
			const [r, m] = await main.batch([rollups, mark]);
			return usageReads(r, m, preloaded);
		}
		const [r, m, ...rest] = await main.batch([rollups, mark, ...mainQueries]);
		return usageReads(r, m, rest);
	}
	const [[r, m], rest] = await Promise.all([
		tenant.batch([rollups, mark]),
		preloaded ? Promise.resolve(preloaded) : (main.batch([...mainQueries]) as Promise<unknown[]>),
	]);
	return usageReads(r, m, rest);
}

/** API calls ingested (aggregated into day buckets) since the start of the period: part of the quota. */
export async function ingestedApiCallsSince(tenant: TenantData, startMs: number): Promise<number> {
	const [row] = await tenant.sum(
		usageRollups,
		usageRollups.value,
		and(
			eq(usageRollups.metric, "api_calls"),
			eq(usageRollups.granularity, "day"),
			gte(usageRollups.bucketStart, startMs),
		),
	);
	return Number(row?.n ?? 0);
}

/** Records an alert; false when this metric, threshold and period already had one. */
export async function claimAlert(
	tenant: TenantData,
	metric: string,
	periodStart: number,
	threshold: number,
	nowMs: number,
): Promise<boolean> {
	const rows = await tenant
		.insert(usageAlerts, { metric, periodStart, threshold, sentAt: nowMs })
		.onConflictDoNothing()
		.returning({ t: usageAlerts.threshold });
	return rows.length > 0;
}
