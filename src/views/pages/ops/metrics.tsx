// Console: the portal's own figures against their targets, with the weekly trend as charts and a table.

import { TARGETS, type WeekFigures } from "../../../metrics/report.ts";
import { TICKET_CATEGORIES } from "../../../support/vocabulary.ts";
import { Table } from "../../components/table.tsx";
import { CATEGORY_LABELS } from "../support/support.tsx";

const fmt = (v: number | null) => (v === null ? "—" : `${v.toFixed(1)} %`);

/** A bar per week (0–100 %), with the target as a line; the table below carries the same numbers. */
function TrendChart({
	label,
	values,
	target,
	max = 100,
}: {
	label: string;
	values: (number | null)[];
	target?: number | undefined;
	/** The value a full-height bar stands for: 100 for shares, the busiest week for counts. */
	max?: number;
}) {
	const width = 24 * Math.max(values.length, 1);
	const height = 80;
	const scale = height / Math.max(1, max);
	return (
		<svg class="trend" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={label}>
			<title>{label}</title>
			{values.map((v, i) =>
				v === null ? null : (
					<rect x={i * 24 + 4} y={height - v * scale} width="16" height={v * scale} fill="currentColor" />
				),
			)}
			{target ? (
				<line
					x1="0"
					x2={width}
					y1={height - target * scale}
					y2={height - target * scale}
					stroke="var(--brand-secondary)"
					stroke-dasharray="4 3"
				/>
			) : null}
		</svg>
	);
}

export function OpsMetrics({
	weeks,
	computedAt,
	retention,
}: {
	weeks: WeekFigures[];
	computedAt: string | null;
	/** Retention offers in the last 90 days. */
	retention: { shown: number; accepted: number };
}) {
	const latest = weeks.at(-1);
	const cards = [
		{
			key: "adoption",
			label: "Portal adoption",
			help: "Active organizations with a sign-in in the last 30 days",
			target: TARGETS.adoption,
		},
		{
			key: "selfService",
			label: "Self-service completion",
			help: "Portal sessions that completed an action without a ticket",
			target: TARGETS.selfService,
		},
		{ key: "deflection", label: "Deflection", help: "Suggested article opened, no ticket filed in that session" },
	] as const;
	return (
		<section class="panel" aria-labelledby="metrics-title">
			<div class="panel-head">
				<h1 id="metrics-title">Portal metrics</h1>
				<a class="button" href="/ops/metrics.csv" download>
					Download CSV
				</a>
			</div>
			<p class="muted small">
				Computed by the daily job from recorded portal events{computedAt ? `; last run ${computedAt}` : ""}. Weeks start
				on Monday (UTC).
			</p>
			<div class="cards">
				{cards.map((card) => {
					const value = latest ? latest[card.key] : null;
					return (
						<div class="card">
							<h2>{card.label}</h2>
							<p class="figure">{fmt(value)}</p>
							<p class="muted small">
								{card.help}
								{"target" in card ? ` · target ${card.target} %` : ""}
							</p>
							<TrendChart
								label={`${card.label} per week: ${weeks.map((w) => `${w.week} ${fmt(w[card.key])}`).join(", ")}`}
								values={weeks.map((w) => w[card.key])}
								target={"target" in card ? card.target : undefined}
							/>
						</div>
					);
				})}
				<div class="card">
					<h2>Retention offers</h2>
					<p class="figure">
						{retention.shown > 0 ? `${Math.round((retention.accepted / retention.shown) * 100)} %` : "—"}
					</p>
					<p class="muted small">
						Accepted {retention.accepted} of {retention.shown} shown in the last 90 days ·{" "}
						<a href="/ops/retention">offers by reason</a>
					</p>
				</div>
				<div class="card">
					<h2>Tickets</h2>
					<p class="figure">{latest ? latest.ticketTotal : "—"}</p>
					<p class="muted small">
						This week
						{latest
							? `: ${TICKET_CATEGORIES.filter((c) => latest.tickets[c] > 0)
									.map((c) => `${latest.tickets[c]} ${CATEGORY_LABELS[c].toLowerCase()}`)
									.join(", ")}`
							: ""}
					</p>
					<TrendChart
						label={`Tickets per week: ${weeks.map((w) => `${w.week} ${w.ticketTotal}`).join(", ")}`}
						values={weeks.map((w) => w.ticketTotal)}
						max={Math.max(0, ...weeks.map((w) => w.ticketTotal))}
					/>
				</div>
			</div>
			<h2>Weekly trend</h2>
			<div class="table-wrap">
				<table>
					<thead>
						<tr>
							<th scope="col">Week of</th>
							<th scope="col">Adoption</th>
							<th scope="col">Self-service</th>
							<th scope="col">Deflection</th>
							{TICKET_CATEGORIES.map((c) => (
								<th scope="col">{CATEGORY_LABELS[c]} tickets</th>
							))}
							<th scope="col">All tickets</th>
						</tr>
					</thead>
					<tbody>
						{weeks.map((w) => (
							<tr>
								<th scope="row">{w.week}</th>
								<td>{fmt(w.adoption)}</td>
								<td>{fmt(w.selfService)}</td>
								<td>{fmt(w.deflection)}</td>
								{TICKET_CATEGORIES.map((c) => (
									<td>{w.tickets[c]}</td>
								))}
								<td>{w.ticketTotal}</td>
							</tr>
						))}
					</tbody>
				</table>
			</div>
		</section>
	);
}

export function OpsAuditLog({ rows }: { rows: { when: string; operator: string; action: string; target: string }[] }) {
	return (
		<section class="panel" aria-labelledby="oplog-title">
			<h1 id="oplog-title">Operator log</h1>
			<Table columns={["When", "Operator", "Action", "Target"]}>
				{rows.map((r) => (
					<tr>
						<td>{r.when}</td>
						<td>{r.operator}</td>
						<td>{r.action}</td>
						<td>{r.target}</td>
					</tr>
				))}
			</Table>
		</section>
	);
}
