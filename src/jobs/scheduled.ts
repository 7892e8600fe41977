// Cron dispatch. Each job iterates the active organizations and runs each one in its own tenant
// context; one tenant's failure is logged and the others go on.

import { sealTenant } from "../audit/chain.ts";
import { reconcileOrganization } from "../billing/reconcile.ts";
import { purgeAuditEventsBefore } from "../db/audit.ts";
import { findOrganizationById, listPlans } from "../db/billing.ts";
import { type DatabaseConfig, type Db, openDatabase, openTenantDatabase } from "../db/client.ts";
import { pruneNotificationsBefore } from "../db/notifications.ts";
import { purgePortalEventsBefore } from "../db/support.ts";
import { systemAccess } from "../db/system.ts";
import { type TenantData, tenantData } from "../db/tenant-data.ts";
import { deleteAggregatedEventsBefore, readWatermark } from "../db/usage.ts";
import { checkOrganizationDomains } from "../domains/job.ts";
import type { Bindings } from "../env.ts";
import { readConfig } from "../env.ts";
import { log } from "../lib/log.ts";
import { computeDailyMetrics } from "../metrics/daily.ts";
import { startOfDay } from "../metrics/figures.ts";
import { aggregateTenant } from "../usage/aggregate.ts";
import { checkUsageAlerts } from "../usage/alerts.ts";
import { RAW_RETENTION_DAYS } from "../usage/metrics.ts";
import { purgeDeletedOrganizations } from "./purge.ts";

export const CRONS = {
	usageAggregation: "*/5 * * * *",
	stripeReconciliation: "0 * * * *",
	housekeeping: "30 3 * * *",
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;
export const NOTIFICATION_RETENTION_DAYS = 90;
/** Portal events: the metrics trend needs twelve weeks; a year and a month leaves room for comparisons. */
export const PORTAL_EVENT_RETENTION_DAYS = 400;
/** Audit retention per plan: 30 days on Free, a year on paid plans. */
async function auditRetentionDays(main: Db, orgId: string): Promise<number> {
	const org = await findOrganizationById(main, orgId);
	const plan = (await listPlans(main)).find((p) => p.id === org?.planId);
	return plan && plan.priceMinor > 0 ? 365 : 30;
}

export interface JobContext {
	bindings: Bindings;
	orgSlug: string;
	/** The organization's verified custom domain, if any: links in notices use it. */
	customDomain: string | null;
	main: Db;
	tenant: TenantData;
	orgId: string;
	nowMs: number;
}

type TenantJob = (ctx: JobContext) => Promise<Record<string, number> | undefined>;

export interface JobReport {
	job: string;
	tenants: number;
	failed: string[];
}

type GlobalJob = (
	main: Db,
	nowMs: number,
	env: { mainConfig: DatabaseConfig; bindings: Bindings; orgIds: readonly string[] | undefined },
) => Promise<void>;

const JOBS: Record<keyof typeof CRONS, { perTenant: TenantJob; global?: GlobalJob }> = {
	usageAggregation: {
		perTenant: async ({ bindings, main, tenant, nowMs, orgSlug, customDomain }) => {
			const folded = await aggregateTenant(tenant, nowMs);
			// The audit chain is sealed on the same 5-minute beat.
			const sealed = await sealTenant(tenant, nowMs);
			const alerts =
				folded.events > 0
					? await checkUsageAlerts(bindings, main, tenant, nowMs, portalOrigin(bindings, orgSlug, customDomain))
					: 0;
			return folded.events > 0 || sealed > 0 ? { ...folded, alerts, sealed } : undefined;
		},
	},
	stripeReconciliation: {
		// Hourly: the Stripe cache, and the DNS records of custom domains (a dangling domain is disabled).
		perTenant: async ({ bindings, main, tenant, nowMs, orgSlug, customDomain }) => ({
			...(await reconcileOrganization(bindings, main, tenant, nowMs)),
			...(await checkOrganizationDomains(bindings, main, tenant, portalOrigin(bindings, orgSlug, customDomain), nowMs)),
		}),
	},
	housekeeping: {
		perTenant: async ({ main, tenant, orgId, nowMs }) => ({
			...(await systemAccess(main).purgeExpiredFor(orgId, nowMs)),
			notifications: (await pruneNotificationsBefore(tenant, nowMs - NOTIFICATION_RETENTION_DAYS * DAY_MS))
				.rowsAffected,
			auditEvents: await purgeAuditEventsBefore(tenant, nowMs - (await auditRetentionDays(main, orgId)) * DAY_MS),
			usageEvents: (
				await deleteAggregatedEventsBefore(tenant, nowMs - RAW_RETENTION_DAYS * DAY_MS, await readWatermark(tenant))
			).rowsAffected,
			portalEvents: (await purgePortalEventsBefore(tenant, nowMs - PORTAL_EVENT_RETENTION_DAYS * DAY_MS)).rowsAffected,
			// Yesterday is final now; today so far keeps the console current between runs.
			metricDays: (
				await Promise.all(
					[startOfDay(nowMs) - DAY_MS, startOfDay(nowMs)].map((day) => computeDailyMetrics(main, tenant, day, nowMs)),
				)
			).length,
		}),
		global: async (main, nowMs, { mainConfig, bindings, orgIds }) => {
			await systemAccess(main).purgeExpiredApexSessions(nowMs);
			await systemAccess(main).purgeGrowingTables(nowMs);
			await purgeDeletedOrganizations(main, mainConfig, bindings, nowMs, orgIds);
		},
	},
};

/**
 * Runs one job for every active organization — or, with `orgIds`, for those organizations only (tests
 * run a job for the organizations they made, so other files' organizations cannot slow or fail them).
 */
export async function runJob(
	name: keyof typeof CRONS,
	bindings: Bindings,
	nowMs = Date.now(),
	orgIds?: readonly string[],
): Promise<JobReport> {
	const config = readConfig(bindings);
	const mainConfig = { url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN };
	const main = openDatabase(mainConfig);
	const job = JOBS[name];
	const orgs = await systemAccess(main).listActiveOrganizations(orgIds);
	const failed: string[] = [];
	for (const org of orgs) {
		try {
			const db = openTenantDatabase(main, mainConfig, org);
			const result = await job.perTenant({
				bindings,
				orgSlug: org.slug,
				customDomain: org.customDomain,
				main,
				tenant: tenantData({ orgId: org.id, db }),
				orgId: org.id,
				nowMs,
			});
			if (result) log("info", "job tenant done", { job: name, orgId: org.id, ...result });
		} catch (error) {
			failed.push(org.id);
			log("error", "job tenant failed", { job: name, orgId: org.id, error });
		}
	}
	await job.global?.(main, nowMs, { mainConfig, bindings, orgIds });
	return { job: name, tenants: orgs.length, failed };
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
	const report = await runJob(entry[0] as keyof typeof CRONS, bindings, controller.scheduledTime);
	log(report.failed.length ? "warn" : "info", "job done", { ...report });
}

/** The portal address of an organization, for links in notices sent by background jobs. */
export function portalOrigin(bindings: Bindings, slug: string, customDomain: string | null = null): string {
	const production = bindings.ENVIRONMENT === "production";
	const host = customDomain ?? `${slug}.${bindings.PORTAL_DOMAIN}`;
	return `${production ? "https" : "http"}://${host}${bindings.PORTAL_PORT ? `:${bindings.PORTAL_PORT}` : ""}`;
}
