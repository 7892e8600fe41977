// The daily cron's part: one organization's figures for a day, from its own portal events and tickets.
import type { Db } from "../db/client.ts";
import { upsertDailyMetrics } from "../db/metrics.ts";
import { countSignInsBetween, sessionEventsAround, ticketsByCategoryBetween } from "../db/support.ts";
import type { TenantData } from "../db/tenant-data.ts";
import { DAY_MS, dayKey, sessionFigures } from "./figures.ts";

export const ADOPTION_WINDOW_DAYS = 30;

export async function computeDailyMetrics(main: Db, tenant: TenantData, dayStartMs: number, nowMs = Date.now()) {
	const dayEndMs = dayStartMs + DAY_MS;
	const [events, signIns, tickets] = await Promise.all([
		sessionEventsAround(tenant, dayStartMs, dayEndMs),
		countSignInsBetween(tenant, dayEndMs - ADOPTION_WINDOW_DAYS * DAY_MS, dayEndMs),
		ticketsByCategoryBetween(tenant, dayStartMs, dayEndMs),
	]);
	const row = {
		day: dayKey(dayStartMs),
		orgId: tenant.orgId,
		adopted: signIns > 0,
		...sessionFigures(events, dayStartMs, dayEndMs),
		tickets,
		computedAt: nowMs,
	};
	await upsertDailyMetrics(main, row);
	return row;
}
