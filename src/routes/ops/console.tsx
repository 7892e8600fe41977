// The operator console on the apex (`/ops`): sign-in first, then every page behind `requireOperator`.
// Tenant hosts have no /ops at all — the console exists only on the vendor's own host.
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../context.ts";
import { listOperatorAudit } from "../../db/operators.ts";
import { TICKET_CATEGORIES } from "../../db/schema.ts";
import { systemAccess } from "../../db/system.ts";
import { toCsv } from "../../exports/csv.ts";
import { DAY_MS, dayKey } from "../../metrics/figures.ts";
import { dayTotals, weeklyReport } from "../../metrics/report.ts";
import { requireOperator } from "../../ops/session.ts";
import { OpsAuditLog, OpsMetrics } from "../../views/pages/ops/metrics.tsx";
import { opsArticleRoutes } from "./articles.tsx";
import { opsDatabaseRoutes } from "./database.tsx";
import { opsRetentionRoutes } from "./retention.tsx";
import { consoleFormatter, opsPage } from "./shared.tsx";
import { opsAuthRoutes } from "./sign-in.tsx";
import { opsTenantRoutes } from "./tenants.tsx";
import { opsTicketRoutes } from "./tickets.tsx";

export const opsRoutes = new Hono<AppEnv>();
opsRoutes.route("/", opsAuthRoutes);
opsRoutes.use("*", requireOperator);

const TREND_WEEKS = 12;

async function report(c: Context<AppEnv>) {
	const from = dayKey(Date.now() - TREND_WEEKS * 7 * DAY_MS);
	const { totals, tickets } = await systemAccess(c.get("db")).console.dailyTotalsSince(from);
	const computedAt = totals.reduce((m, r) => Math.max(m, r.updatedAt), 0);
	return { weeks: weeklyReport(dayTotals(totals, tickets)), computedAt: computedAt || null };
}

opsRoutes.get("/", async (c) => {
	const [{ weeks, computedAt }, offers] = await Promise.all([
		report(c),
		systemAccess(c.get("db")).console.retentionStatsSince(Date.now() - 90 * DAY_MS),
	]);
	const retention = {
		shown: offers.reduce((n, r) => n + Number(r.shown), 0),
		accepted: offers.reduce((n, r) => n + Number(r.accepted), 0),
	};
	return opsPage(c, {
		title: "Portal metrics",
		body: (
			<OpsMetrics weeks={weeks} computedAt={computedAt ? consoleFormatter()(computedAt) : null} retention={retention} />
		),
	});
});

opsRoutes.get("/metrics.csv", async (c) => {
	const { weeks } = await report(c);
	const columns = [
		"week",
		"adoption_percent",
		"self_service_percent",
		"deflection_percent",
		"active_sessions",
		"suggestion_sessions",
		...TICKET_CATEGORIES.map((k) => `tickets_${k}`),
		"tickets_total",
	];
	const csv = toCsv(
		weeks.map((w) => ({
			week: w.week,
			adoption_percent: w.adoption,
			self_service_percent: w.selfService,
			deflection_percent: w.deflection,
			active_sessions: w.activeSessions,
			suggestion_sessions: w.suggestionSessions,
			...Object.fromEntries(Object.entries(w.tickets).map(([k, v]) => [`tickets_${k}`, v])),
			tickets_total: w.ticketTotal,
		})),
		columns,
	);
	return c.body(csv, 200, {
		"content-type": "text/csv; charset=utf-8",
		"content-disposition": `attachment; filename="portal-metrics-${dayKey(Date.now())}.csv"`,
		"cache-control": "private, no-store",
	});
});

opsRoutes.get("/audit", async (c) => {
	const format = consoleFormatter();
	const rows = await listOperatorAudit(c.get("db"), 200);
	return opsPage(c, {
		title: "Operator log",
		body: (
			<OpsAuditLog
				rows={rows.map((r) => ({
					when: format(r.createdAt),
					operator: r.operatorLabel,
					action: r.action,
					target: [r.orgId, r.targetType && r.targetId ? `${r.targetType} ${r.targetId}` : null]
						.filter(Boolean)
						.join(" · "),
				}))}
			/>
		),
	});
});

opsRoutes.route("/", opsTicketRoutes);
opsRoutes.route("/", opsArticleRoutes);
opsRoutes.route("/", opsTenantRoutes);
opsRoutes.route("/", opsDatabaseRoutes);
opsRoutes.route("/", opsRetentionRoutes);
