// Threshold alerts: when a metric crosses 80 % and 100 % of its limit, once per period, an in-app notice
// and an email to those who chose usage alerts.

import { auditInsert, webhookEventInserts } from "../db/audit.ts";
import { findOrganizationById, listPlans } from "../db/billing.ts";
import type { Db } from "../db/client.ts";
import type { TenantData } from "../db/tenant-data.ts";
import { claimAlert, loadUsagePeriod } from "../db/usage.ts";
import type { Bindings } from "../env.ts";
import { notify } from "../notifications/notify.ts";
import { brandOf } from "../views/brand.ts";
import { ALERT_THRESHOLDS, metricUsage, periodFor } from "./dashboard.ts";

export async function checkUsageAlerts(
	bindings: Bindings,
	main: Db,
	tenant: TenantData,
	nowMs: number,
	origin: string,
): Promise<number> {
	const org = await findOrganizationById(main, tenant.orgId);
	const plan = (await listPlans(main)).find((p) => p.id === org?.planId);
	if (!org || !plan) return 0;
	const period = periodFor(null, nowMs);
	const reads = await loadUsagePeriod(main, tenant, period.startMs, period.endMs, nowMs);
	let sent = 0;
	for (const m of metricUsage(plan.limits, reads, period, nowMs)) {
		if (m.percent === null) continue;
		for (const threshold of ALERT_THRESHOLDS) {
			if (m.percent < threshold || !(await claimAlert(tenant, m.metric, period.startMs, threshold, nowMs))) continue;
			sent++;
			const data = { metric: m.metric, threshold, used: m.used, limit: m.limit };
			await tenant.batch([
				auditInsert(
					tenant,
					{ type: "system", id: null, label: "Usage alerts" },
					{ action: "usage.alert_sent", metadata: data },
				),
				...webhookEventInserts(tenant, { type: "usage.threshold_crossed", data }, nowMs),
			]);
			await notify(
				{ main, tenant, bindings, brand: brandOf(org), origin },
				{ permission: "usage:read" },
				{
					category: "usage",
					title:
						threshold >= 100
							? `${m.label}: the ${plan.name} limit is reached`
							: `${m.label}: ${threshold} % of the ${plan.name} limit used`,
					body: `${org.name} has used ${m.used.toLocaleString("en-US")} of ${m.limit?.toLocaleString("en-US")} ${m.unit} this month. ${threshold >= 100 ? "Upgrade the plan to keep going without interruption." : "Consider upgrading before the limit is reached."}`,
					link: "/usage",
				},
			);
		}
	}
	return sent;
}
