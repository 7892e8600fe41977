// What each job does for one organization, in its tenant context. A consumer message runs exactly one
// of these; each is safe to run twice (a queue redelivers): the writes are conditional on what was read.
import { sealTenant } from "../audit/chain.ts";
import { reconcileOrganization } from "../billing/reconcile.ts";
import { purgeAuditEventsBefore } from "../db/audit.ts";
import { findOrganizationById, listPlans } from "../db/billing.ts";
import type { Db } from "../db/client.ts";
import { pruneNotificationsBefore } from "../db/notifications.ts";
import { purgePortalEventsBefore } from "../db/support.ts";
import type { TenantData } from "../db/tenant-data.ts";
import { deleteAggregatedEventsBefore, readWatermark } from "../db/usage.ts";
import { purgeWebhooksBefore } from "../db/webhooks.ts";
import { checkOrganizationDomains } from "../domains/job.ts";
import type { Bindings } from "../env.ts";
import { computeDailyMetrics } from "../metrics/daily.ts";
import { DAY_MS, startOfDay } from "../metrics/figures.ts";
import { checkCertificateExpiry } from "../sso/certificates.ts";
import { aggregateTenant } from "../usage/aggregate.ts";
import { checkUsageAlerts } from "../usage/alerts.ts";
import { RAW_RETENTION_DAYS } from "../usage/metrics.ts";
import { runTenantWebhooks } from "../webhooks/runner.ts";
import type { TenantJobName } from "./messages.ts";

export const NOTIFICATION_RETENTION_DAYS = 90;
/** Portal events: the metrics trend needs twelve weeks; a year and a month leaves room for comparisons. */
export const PORTAL_EVENT_RETENTION_DAYS = 400;
/** Webhook events, deliveries and attempts: the delivery log shows 30 days. */
export const WEBHOOK_RETENTION_DAYS = 30;
/** Audit retention per plan: 30 days on Free, a year on paid plans. */
export const AUDIT_RETENTION_DAYS = { free: 30, paid: 365 } as const;

export interface JobContext {
	bindings: Bindings;
	main: Db;
	tenant: TenantData;
	orgId: string;
	/** Whether the organization's tenant data has a database of its own (dedicated tier). */
	dedicated: boolean;
	/** The organization's portal address, for links in notices. */
	origin: string;
	nowMs: number;
}

type Report = Record<string, number> | undefined;

async function auditRetentionDays(main: Db, orgId: string): Promise<number> {
	const org = await findOrganizationById(main, orgId);
	const plan = (await listPlans(main)).find((p) => p.id === org?.planId);
	return plan && plan.priceMinor > 0 ? AUDIT_RETENTION_DAYS.paid : AUDIT_RETENTION_DAYS.free;
}

export const TENANT_JOB_RUNNERS: Record<TenantJobName, (ctx: JobContext) => Promise<Report>> = {
	usage: async ({ bindings, main, tenant, nowMs, origin }) => {
		const folded = await aggregateTenant(tenant, nowMs);
		if (folded.events === 0) return undefined;
		return { ...folded, alerts: await checkUsageAlerts(bindings, main, tenant, nowMs, origin) };
	},
	seal: async ({ tenant, nowMs }) => {
		const sealed = await sealTenant(tenant, nowMs);
		return sealed > 0 ? { sealed } : undefined;
	},
	reconcile: ({ bindings, main, tenant, nowMs }) => reconcileOrganization(bindings, main, tenant, nowMs),
	webhooks: ({ bindings, main, tenant, orgId, nowMs, origin }) =>
		runTenantWebhooks({ bindings, main, tenant, orgId, nowMs, origin }),
	domains: ({ bindings, main, tenant, nowMs, origin }) =>
		checkOrganizationDomains(bindings, main, tenant, origin, nowMs),
	/** Audit retention by plan, yesterday's (final) and today's portal figures, SAML certificate notices. */
	daily: async ({ bindings, main, tenant, orgId, nowMs, dedicated, origin }): Promise<Report> => {
		const auditEvents = await purgeAuditEventsBefore(tenant, nowMs - (await auditRetentionDays(main, orgId)) * DAY_MS);
		const { notices: certificateNotices } = await checkCertificateExpiry(bindings, main, tenant, origin, nowMs);
		const purged = await tenant.batch(
			purgeWebhooksBefore(tenant, nowMs - WEBHOOK_RETENTION_DAYS * DAY_MS) as [never, ...never[]],
		);
		const webhookRows = (purged as { rowsAffected?: number }[]).reduce((n, r) => n + (r.rowsAffected ?? 0), 0);
		const days = [startOfDay(nowMs) - DAY_MS, startOfDay(nowMs)];
		for (const day of days) await computeDailyMetrics(main, tenant, day, nowMs);
		// The shared tier's retention runs across organizations (housekeeping); a dedicated database's here.
		if (!dedicated) return { auditEvents, metricDays: days.length, certificateNotices, webhookRows };
		const [notifications, portalEvents, usageEvents] = await Promise.all([
			pruneNotificationsBefore(tenant, nowMs - NOTIFICATION_RETENTION_DAYS * DAY_MS),
			purgePortalEventsBefore(tenant, nowMs - PORTAL_EVENT_RETENTION_DAYS * DAY_MS),
			readWatermark(tenant).then((mark) =>
				deleteAggregatedEventsBefore(tenant, nowMs - RAW_RETENTION_DAYS * DAY_MS, mark),
			),
		]);
		return {
			auditEvents,
			metricDays: days.length,
			certificateNotices,
			webhookRows,
			notifications: notifications.rowsAffected,
			portalEvents: portalEvents.rowsAffected,
			usageEvents: usageEvents.rowsAffected,
		};
	},
};
