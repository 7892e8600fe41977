// Usage against the plan for one period: used, limit, percentage, projection and the daily series.
import { DAY_MS, isMetric, METRICS, type Metric } from "./metrics.ts";

export interface Period {
	key: string;
	startMs: number;
	endMs: number;
}

/** Billing periods are calendar months (UTC); `key` is YYYY-MM. */
export function periodFor(key: string | null, nowMs: number): Period {
	const match = key ? /^(\d{4})-(\d{2})$/.exec(key) : null;
	const now = new Date(nowMs);
	const year = match ? Number(match[1]) : now.getUTCFullYear();
	const month = match ? Number(match[2]) - 1 : now.getUTCMonth();
	const startMs = Date.UTC(year, month, 1);
	const endMs = Date.UTC(year, month + 1, 1);
	return { key: new Date(startMs).toISOString().slice(0, 7), startMs, endMs };
}

export interface RollupRow {
	metric: string;
	keyId: string;
	bucketStart: number;
	value: number;
	gaugeAt: number;
}

export interface MetricUsage {
	metric: Metric;
	label: string;
	unit: string;
	used: number;
	limit: number | null;
	percent: number | null;
	level: "ok" | "warn" | "over";
	projected: number | null;
	daily: { day: string; value: number }[];
	byKey: { keyId: string; value: number }[];
}

export interface UsageReads {
	rollups: RollupRow[];
	verifications: { keyId: string; day: string; count: number }[];
	/** Members plus pending invitations (the portal counts seats itself; a reported gauge is not the figure). */
	seatsUsed: number;
}

/**
 * Each metric's figure for the period, the one computation behind the Usage page, the console, alerts
 * and ticket context: counters are ingested events plus key verifications; seats are the portal's count.
 */
export function metricUsage(
	limits: Record<string, number | null>,
	{ rollups, verifications, seatsUsed }: UsageReads,
	period: Period,
	nowMs: number,
): MetricUsage[] {
	const days: string[] = [];
	for (let t = period.startMs; t < period.endMs; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
	const metrics = new Set<string>([...Object.keys(limits), ...rollups.map((r) => r.metric)]);
	if (verifications.length > 0) metrics.add("api_calls");
	const elapsed = Math.min(1, Math.max(0, (nowMs - period.startMs) / (period.endMs - period.startMs)));
	const result: MetricUsage[] = [];
	for (const metric of metrics) {
		if (!isMetric(metric)) continue;
		const info = METRICS[metric];
		const rows = rollups.filter((r) => r.metric === metric);
		const calls = metric === "api_calls" ? verifications : [];
		const daily = days.map((day) => {
			const dayRows = rows.filter((r) => new Date(r.bucketStart).toISOString().slice(0, 10) === day);
			const value =
				info.kind === "gauge"
					? (dayRows.reduce<RollupRow | null>((best, r) => (!best || r.gaugeAt > best.gaugeAt ? r : best), null)
							?.value ?? 0)
					: dayRows.reduce((n, r) => n + r.value, 0) +
						calls.filter((v) => v.day === day).reduce((n, v) => n + v.count, 0);
			return { day, value };
		});
		const used =
			metric === "seats"
				? seatsUsed
				: info.kind === "gauge"
					? (rows.reduce<RollupRow | null>((best, r) => (!best || r.gaugeAt > best.gaugeAt ? r : best), null)?.value ??
						0)
					: daily.reduce((n, d) => n + d.value, 0);
		const limit = limits[metric] ?? null;
		const percent = limit ? Math.round((used / limit) * 1000) / 10 : null;
		const byKeyMap = new Map<string, number>();
		if (info.kind === "counter") {
			for (const r of rows) byKeyMap.set(r.keyId, (byKeyMap.get(r.keyId) ?? 0) + r.value);
			for (const v of calls) byKeyMap.set(v.keyId, (byKeyMap.get(v.keyId) ?? 0) + v.count);
		}
		result.push({
			metric,
			label: info.label,
			unit: info.unit,
			used,
			limit,
			percent,
			level: percent === null ? "ok" : percent >= 100 ? "over" : percent >= 80 ? "warn" : "ok",
			projected: info.kind === "counter" && elapsed > 0 && elapsed < 1 ? Math.round(used / elapsed) : null,
			// Seats have no history here: the count is of now, so no daily chart pretends otherwise.
			daily: metric === "seats" ? [] : daily,
			byKey: [...byKeyMap.entries()].filter(([k]) => k !== "").map(([keyId, value]) => ({ keyId, value })),
		});
	}
	return result.sort((a, b) => Object.keys(METRICS).indexOf(a.metric) - Object.keys(METRICS).indexOf(b.metric));
}

export const ALERT_THRESHOLDS = [80, 100] as const;
