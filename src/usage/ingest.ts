// Validating a batch of usage events: each event on its own, so one bad event is refused with its
// reason while the good ones are written (together, atomically).
import * as z from "zod";
import type { NewUsageEvent } from "../db/usage.ts";
import { isMetric, MAX_EARLY_MS, MAX_LATE_MS, METRICS } from "./metrics.ts";

export const MAX_EVENTS = 1000;

const eventSchema = z.object({
	metric: z.string().max(64),
	quantity: z
		.number({ error: "quantity must be a number" })
		.finite({ error: "quantity must be a finite number" })
		.min(0, { error: "quantity cannot be negative" })
		.max(1e12, { error: "quantity is too large" }),
	timestamp: z.union([z.number().int(), z.iso.datetime({ offset: true })], {
		error: "timestamp must be an ISO 8601 time or milliseconds since the epoch",
	}),
	idempotency_key: z
		.string()
		.min(1, { error: "idempotency_key is required" })
		.max(100, { error: "idempotency_key is at most 100 characters" }),
	key_id: z
		.string()
		.regex(/^key_[0-9a-z]{26}$/, { error: "key_id is not an API key id" })
		.optional(),
});

export interface Rejection {
	index: number;
	code: string;
	message: string;
}

export function validateEvents(
	raw: unknown[],
	nowMs: number,
	knownKeyIds: Set<string>,
): { accepted: NewUsageEvent[]; rejected: Rejection[] } {
	const accepted: NewUsageEvent[] = [];
	const rejected: Rejection[] = [];
	raw.forEach((item, index) => {
		const parsed = eventSchema.safeParse(item);
		if (!parsed.success) {
			rejected.push({ index, code: "invalid", message: parsed.error.issues[0]?.message ?? "invalid event" });
			return;
		}
		const e = parsed.data;
		if (!isMetric(e.metric)) {
			rejected.push({
				index,
				code: "unknown_metric",
				message: `Unknown metric "${e.metric}". Known: ${Object.keys(METRICS).join(", ")}.`,
			});
			return;
		}
		const timestampMs = typeof e.timestamp === "number" ? e.timestamp : Date.parse(e.timestamp);
		if (timestampMs > nowMs + MAX_EARLY_MS) {
			rejected.push({ index, code: "timestamp_in_future", message: "timestamp is more than 5 minutes in the future" });
			return;
		}
		if (timestampMs < nowMs - MAX_LATE_MS) {
			rejected.push({
				index,
				code: "timestamp_too_old",
				message: "timestamp is older than the 35-day retention window",
			});
			return;
		}
		if (e.key_id && !knownKeyIds.has(e.key_id)) {
			rejected.push({ index, code: "unknown_key", message: "key_id is not a key of this organization" });
			return;
		}
		accepted.push({
			metric: e.metric,
			quantity: e.quantity,
			timestampMs,
			idempotencyKey: e.idempotency_key,
			keyId: e.key_id ?? "",
		});
	});
	return { accepted, rejected };
}
