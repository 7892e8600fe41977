// The 5-minute aggregation: fold the raw events after the watermark into hourly and daily rollups, in
// pages, each page's rollups and new watermark written together (exactly once). Cost follows the number
// of new events, not the history.
import { refusalOf } from "../db/preconditions.ts";
import type { TenantData } from "../db/tenant-data.ts";
import { eventsAfter, type RollupDelta, readWatermark, writeRollups } from "../db/usage.ts";
import { DAY_MS, HOUR_MS, isMetric, METRICS } from "./metrics.ts";

export const PAGE_EVENTS = 5000;

export function foldEvents(
	events: { metric: string; keyId: string; quantity: number; timestampMs: number }[],
): RollupDelta[] {
	const deltas = new Map<string, RollupDelta>();
	for (const e of events) {
		const gauge = isMetric(e.metric) && METRICS[e.metric].kind === "gauge";
		for (const [granularity, size] of [
			["hour", HOUR_MS],
			["day", DAY_MS],
		] as const) {
			const bucketStart = Math.floor(e.timestampMs / size) * size;
			const id = `${e.metric}|${e.keyId}|${granularity}|${bucketStart}`;
			const d = deltas.get(id) ?? {
				metric: e.metric,
				keyId: e.keyId,
				granularity,
				bucketStart,
				value: 0,
				gaugeAt: 0,
				gauge,
			};
			if (gauge) {
				if (e.timestampMs >= d.gaugeAt) {
					d.value = e.quantity;
					d.gaugeAt = e.timestampMs;
				}
			} else d.value += e.quantity;
			deltas.set(id, d);
		}
	}
	return [...deltas.values()];
}

export async function aggregateTenant(tenant: TenantData, nowMs: number): Promise<{ events: number; pages: number }> {
	let watermark = await readWatermark(tenant);
	let total = 0;
	let pages = 0;
	for (;;) {
		const events = await eventsAfter(tenant, watermark, PAGE_EVENTS);
		if (events.length === 0) break;
		const last = events[events.length - 1]?.seq ?? watermark;
		try {
			await writeRollups(tenant, foldEvents(events), watermark, last, nowMs);
		} catch (error) {
			// Another run folded these events first: they are counted once, by it.
			if (refusalOf(error) === "precondition_failed") break;
			throw error;
		}
		watermark = last;
		total += events.length;
		pages++;
		if (events.length < PAGE_EVENTS) break;
	}
	return { events: total, pages };
}
