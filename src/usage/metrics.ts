// The metrics the vendor meters. Counters are summed; gauges (seats, storage) are snapshots: the latest
// value counts, never a sum.
export const METRICS = {
	api_calls: { label: "API calls", unit: "calls", kind: "counter" },
	messages: { label: "Messages", unit: "messages", kind: "counter" },
	compute_hours: { label: "Compute hours", unit: "hours", kind: "counter" },
	storage_gb: { label: "Storage", unit: "GB", kind: "gauge" },
	seats: { label: "Seats", unit: "seats", kind: "gauge" },
} as const;

export type Metric = keyof typeof METRICS;

export function isMetric(name: string): name is Metric {
	return Object.hasOwn(METRICS, name);
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Raw events older than this are deleted by housekeeping (after aggregation). */
export const RAW_RETENTION_DAYS = 35;
/** Events may arrive this late (re-aggregated into their old buckets) and this early (clock skew). */
export const MAX_LATE_MS = RAW_RETENTION_DAYS * DAY_MS;
export const MAX_EARLY_MS = 5 * 60_000;
