// Cron triggers only dispatch. Each one starts the first dispatcher page of its jobs (the pages after it
// arrive as queue messages) and, for housekeeping, runs the bounded cross-organization deletes; the work
// for each organization runs in the jobs queue's consumer (consumer.ts), in its own tenant context.
import { openDatabase } from "../db/client.ts";
import { countOrganizationsOn } from "../db/metrics.ts";
import { systemAccess } from "../db/system.ts";
import type { Bindings } from "../env.ts";
import { readConfig } from "../env.ts";
import { log } from "../lib/log.ts";
import { DAY_MS, dayKey, startOfDay } from "../metrics/figures.ts";
import { RAW_RETENTION_DAYS } from "../usage/metrics.ts";
import { jobDelivery, jobStatsTag, runTenantMessage } from "./consumer.ts";
import { dispatchPage } from "./dispatch.ts";
import type { TenantJobName } from "./messages.ts";
import { purgeDeletedOrganizations } from "./purge.ts";
import { NOTIFICATION_RETENTION_DAYS, PORTAL_EVENT_RETENTION_DAYS } from "./tenant-jobs.ts";

export { portalOrigin } from "./origin.ts";
export { NOTIFICATION_RETENTION_DAYS, PORTAL_EVENT_RETENTION_DAYS } from "./tenant-jobs.ts";

export const CRONS = {
	usageAggregation: "*/5 * * * *",
	stripeReconciliation: "0 * * * *",
	housekeeping: "30 3 * * *",
} as const;
export type CronName = keyof typeof CRONS;

/** The tenant jobs each cron dispatches: the audit chain is sealed on the usage beat. */
export const CRON_JOBS: Record<CronName, readonly TenantJobName[]> = {
	usageAggregation: ["usage", "seal", "webhooks"],
	stripeReconciliation: ["reconcile", "domains"],
	housekeeping: ["daily"],
};

/**
 * Housekeeping's part that pages through what expired, not through organizations: each delete takes at
 * most a bounded number of rows through its index (the next day takes the rest). `orgIds` limits the
 * tenant-scoped deletes to some organizations (tests).
 */
async function housekeeping(bindings: Bindings, nowMs: number, orgIds?: readonly string[]) {
	const config = readConfig(bindings);
	const mainConfig = { url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN };
	const main = openDatabase({
		...mainConfig,
		statsTag: config.DB_STATS === "1" ? `dispatch:housekeeping:${nowMs}` : undefined,
	});
	const system = systemAccess(main);
	await system.purgeExpired(nowMs, orgIds);
	await system.purgePastRetention(
		{
			notifications: nowMs - NOTIFICATION_RETENTION_DAYS * DAY_MS,
			portalEvents: nowMs - PORTAL_EVENT_RETENTION_DAYS * DAY_MS,
			usageEvents: nowMs - RAW_RETENTION_DAYS * DAY_MS,
		},
		orgIds,
	);
	await system.purgeGrowingTables(nowMs);
	// The denominator of adoption: active organizations, yesterday and today.
	if (!orgIds) await countOrganizationsOn(main, [dayKey(startOfDay(nowMs) - DAY_MS), dayKey(nowMs)], nowMs);
	await purgeDeletedOrganizations(main, mainConfig, bindings, nowMs, orgIds);
}

export interface JobReport {
	job: string;
	tenants: number;
	failed: string[];
}

/**
 * Runs a cron's jobs. Without `orgIds`, as the trigger does: dispatch (first pages now, the rest through
 * the queue). With `orgIds`, every job of the cron for those organizations right away, through the same
 * handler the consumer runs (tests, and `npm start` filling the demo) — due or not.
 */
export async function runJob(
	name: CronName,
	bindings: Bindings,
	nowMs = Date.now(),
	orgIds?: readonly string[],
): Promise<JobReport> {
	if (name === "housekeeping") await housekeeping(bindings, nowMs, orgIds);
	if (!orgIds) {
		const config = readConfig(bindings);
		let tenants = 0;
		for (const job of CRON_JOBS[name]) {
			const scan = { kind: "scan" as const, job, nowMs, after: "" };
			const main = openDatabase({
				url: config.DATABASE_URL,
				authToken: config.DATABASE_AUTH_TOKEN,
				statsTag: config.DB_STATS === "1" ? jobStatsTag(scan) : undefined,
			});
			tenants += await dispatchPage(main, bindings, scan, jobDelivery(bindings));
		}
		return { job: name, tenants, failed: [] };
	}
	const failed: string[] = [];
	for (const orgId of orgIds) {
		for (const job of CRON_JOBS[name]) {
			try {
				await runTenantMessage(bindings, { kind: "tenant", job, orgId, nowMs });
			} catch (error) {
				if (!failed.includes(orgId)) failed.push(orgId);
				log("error", "job tenant failed", { job, orgId, error });
			}
		}
	}
	return { job: name, tenants: orgIds.length, failed };
}

export async function scheduled(
	controller: { cron: string; scheduledTime: number },
	bindings: Bindings,
): Promise<void> {
	const entry = Object.entries(CRONS).find(([, cron]) => cron === controller.cron);
	if (!entry) {
		log("warn", "unknown cron", { cron: controller.cron });
		return;
	}
	const report = await runJob(entry[0] as CronName, bindings, controller.scheduledTime);
	log("info", "job dispatched", { ...report });
}
