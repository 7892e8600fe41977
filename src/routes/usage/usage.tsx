// The usage dashboard (`usage:read`) and its CSV export.
import { type Context, Hono } from "hono";
import { can } from "../../auth/permissions.ts";
import type { AppEnv } from "../../context.ts";
import { loadUsagePeriod } from "../../db/usage.ts";
import { toCsv } from "../../exports/csv.ts";
import { dateFormats } from "../../lib/dates.ts";
import { me, requirePermission, tenantOf } from "../../middleware/guards.ts";
import { metricUsage, periodFor } from "../../usage/dashboard.ts";
import { UsagePage } from "../../views/pages/usage/usage.tsx";
import { renderPage } from "../../views/render.tsx";

export const usageRoutes = new Hono<AppEnv>();
usageRoutes.use("*", requirePermission("usage:read"));

async function usageFor(c: Context<AppEnv>) {
	const { org, tenant } = tenantOf(c);
	const nowMs = Date.now();
	const period = periodFor(c.req.query("period") ?? null, nowMs);
	const db = c.get("db");
	const reads = await loadUsagePeriod(db, tenant, period.startMs, period.endMs, nowMs, c.get("pageMain"));
	const plan = reads.plans.find((p) => p.id === org.planId);
	return {
		period,
		plan,
		reads,
		metrics: metricUsage(plan?.limits ?? {}, reads, period, nowMs),
	};
}

usageRoutes.get("/", async (c) => {
	const viewer = me(c);
	const { period, plan, reads, metrics } = await usageFor(c);
	const nowMs = Date.now();
	const formats = dateFormats(viewer);
	const periods = Array.from({ length: 6 }, (_, i) => {
		const p = periodFor(null, Date.UTC(new Date(nowMs).getUTCFullYear(), new Date(nowMs).getUTCMonth() - i, 1));
		return { key: p.key, label: formats.month(p.startMs), current: i === 0 };
	});
	return renderPage(c, {
		title: "Usage",
		body: (
			<UsagePage
				periodLabel={formats.month(period.startMs)}
				periods={periods}
				periodKey={period.key}
				planName={plan?.name ?? "No"}
				metrics={metrics}
				keyNames={Object.fromEntries(reads.keyNames.map((k) => [k.id, k.name]))}
				lastUpdated={reads.watermark ? formats.dateTime(reads.watermark.updatedAt) : null}
				formatDay={formats.day}
				canUpgrade={can(viewer.membership, "billing:manage")}
				locale={viewer.locale}
			/>
		),
	});
});

usageRoutes.get("/export.csv", async (c) => {
	const { org } = tenantOf(c);
	const { period, metrics } = await usageFor(c);
	const rows = metrics.flatMap((m) =>
		m.daily.map((d) => ({ metric: m.metric, day: d.day, value: d.value, limit: m.limit ?? "" })),
	);
	return c.body(toCsv(rows, ["metric", "day", "value", "limit"]), 200, {
		"content-type": "text/csv; charset=utf-8",
		"content-disposition": `attachment; filename="${org.slug}-usage-${period.key}.csv"`,
	});
});
