// What a new ticket carries so support never asks "which account are you?": the organization, its plan
// and subscription, the requester's role, usage against limits, and recent activity and failures — read
// from the requester's own organization only (its tenant data, through the request's tenant context).
import type { Db } from "../db/client.ts";
import type { TicketContext } from "../db/schema.ts";
import type { OrganizationDetails, SiteOrganization } from "../db/site.ts";
import { recentActivity } from "../db/support.ts";
import type { TenantData } from "../db/tenant-data.ts";
import { loadUsagePeriod } from "../db/usage.ts";
import { metricUsage, periodFor } from "../usage/dashboard.ts";

export async function collectTicketContext(
	main: Db,
	tenant: TenantData,
	org: SiteOrganization & Pick<OrganizationDetails, "subscriptionStatus">,
	roleName: string,
	nowMs = Date.now(),
): Promise<TicketContext> {
	const period = periodFor(null, nowMs);
	const [usage, activity] = await Promise.all([
		loadUsagePeriod(main, tenant, period.startMs, period.endMs, nowMs),
		recentActivity(tenant),
	]);
	const plan = usage.plans.find((p) => p.id === org.planId);
	const metrics = metricUsage(plan?.limits ?? {}, usage, period, nowMs);
	return {
		organization: { id: org.id, name: org.name, slug: org.slug },
		plan: { key: org.planKey, name: org.planName, subscriptionStatus: org.subscriptionStatus },
		requester: { role: roleName },
		usage: metrics.map((m) => ({ metric: m.label, used: m.used, limit: m.limit, percent: m.percent })),
		recentEvents: activity.events.map((e) => ({ action: e.action, actor: e.actorLabel, at: e.createdAt })),
		recentErrors: activity.failures.map((e) => ({ action: e.action, at: e.createdAt })),
	};
}
