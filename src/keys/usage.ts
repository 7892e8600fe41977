// Counting verifications: each one becomes a queue message; the consumer adds them up per key and day
// and writes one batch, so verification itself writes nothing.
import * as z from "zod";
import type { Db } from "../db/client.ts";
import { recordKeyUsage } from "../db/keys.ts";

export const usageMessageSchema = z.object({ orgId: z.string(), keyId: z.string(), at: z.number().int() });
export type UsageMessage = z.infer<typeof usageMessageSchema>;

export function utcDay(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

export async function writeUsage(db: Db, messages: UsageMessage[]): Promise<void> {
	const totals = new Map<string, { orgId: string; keyId: string; day: string; count: number; lastUsedAt: number }>();
	for (const m of messages) {
		const day = utcDay(m.at);
		const id = `${m.orgId}|${m.keyId}|${day}`;
		const entry = totals.get(id) ?? { orgId: m.orgId, keyId: m.keyId, day, count: 0, lastUsedAt: 0 };
		entry.count++;
		entry.lastUsedAt = Math.max(entry.lastUsedAt, m.at);
		totals.set(id, entry);
	}
	await recordKeyUsage(db, [...totals.values()]);
}
