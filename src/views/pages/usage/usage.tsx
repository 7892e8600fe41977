// The usage dashboard: each metric against the plan with a progress bar, projection, a daily chart
// (accessible SVG with its data as a table) and a per-key breakdown.
import type { MetricUsage } from "../../../usage/dashboard.ts";

export interface UsageView {
	periodLabel: string;
	periods: { key: string; label: string; current: boolean }[];
	periodKey: string;
	planName: string;
	metrics: MetricUsage[];
	keyNames: Record<string, string>;
	lastUpdated: string | null;
	canUpgrade: boolean;
	locale: string;
	/** A UTC day key ("2026-12-01") in the viewer's words. */
	formatDay: (day: string) => string;
}

function Chart({ m, locale, formatDay }: { m: MetricUsage; locale: string; formatDay: (day: string) => string }) {
	// Plot area inside the view box, leaving room for the value axis (left) and the day axis (below).
	const left = 56;
	const width = 600;
	const top = 8;
	const plotHeight = 120;
	const height = plotHeight + top + 24;
	const max = Math.max(1, ...m.daily.map((d) => d.value));
	const bar = (width - left) / m.daily.length;
	const number = (n: number) => n.toLocaleString(locale, { maximumFractionDigits: 2 });
	const first = m.daily[0];
	const last = m.daily.at(-1);
	return (
		<figure class="chart">
			<svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`chart-${m.metric}-title`}>
				<title
					id={`chart-${m.metric}-title`}
				>{`${m.label} per day this period, up to ${number(max)} ${m.unit} a day; the table below has every day.`}</title>
				<g class="axis">
					<line x1={left} y1={top} x2={left} y2={top + plotHeight} />
					<line x1={left} y1={top + plotHeight} x2={width} y2={top + plotHeight} />
					<text x={left - 6} y={top + 4} text-anchor="end">
						{number(max)}
					</text>
					<text x={left - 6} y={top + plotHeight} text-anchor="end">
						0
					</text>
					{first ? (
						<text x={left} y={height - 4} text-anchor="start">
							{formatDay(first.day)}
						</text>
					) : null}
					{last ? (
						<text x={width} y={height - 4} text-anchor="end">
							{formatDay(last.day)}
						</text>
					) : null}
				</g>
				{m.daily.map((d, i) => {
					const h = (d.value / max) * (plotHeight - 2);
					return (
						<rect
							x={(left + i * bar + 1).toFixed(1)}
							y={(top + plotHeight - h).toFixed(1)}
							width={Math.max(1, bar - 2).toFixed(1)}
							height={h.toFixed(1)}
						>
							<title>{`${formatDay(d.day)}: ${number(d.value)} ${m.unit}`}</title>
						</rect>
					);
				})}
			</svg>
			<details>
				<summary>{m.label} per day as a table</summary>
				<table>
					<caption class="visually-hidden">{m.label} per day</caption>
					<thead>
						<tr>
							<th scope="col">Day</th>
							<th scope="col">{m.unit}</th>
						</tr>
					</thead>
					<tbody>
						{m.daily
							.filter((d) => d.value > 0)
							.map((d) => (
								<tr>
									<td>
										<time datetime={d.day}>{formatDay(d.day)}</time>
									</td>
									<td class="num">{number(d.value)}</td>
								</tr>
							))}
					</tbody>
				</table>
			</details>
		</figure>
	);
}

export function UsagePage(p: UsageView) {
	const over = p.metrics.filter((m) => m.level === "over");
	return (
		<section aria-labelledby="usage-title" class="stack">
			<h1 id="usage-title">Usage</h1>
			<form method="get" action="/usage" class="search">
				<label for="period">Period</label>
				<select id="period" name="period">
					{p.periods.map((o) => (
						<option value={o.key} selected={o.key === p.periodKey}>
							{o.label}
							{o.current ? " (current)" : ""}
						</option>
					))}
				</select>
				<button class="button" type="submit">
					Show
				</button>
				<a class="inline-link" href={`/usage/export.csv?period=${p.periodKey}`}>
					Download CSV
				</a>
			</form>
			<p class="muted">
				{p.planName} plan · {p.periodLabel} ·{" "}
				{p.lastUpdated ? `updated ${p.lastUpdated} (every 5 minutes)` : "not aggregated yet"}
			</p>
			{over.length > 0 ? (
				<div class="alert" role="alert">
					<p>
						<strong>Over the limit:</strong> {over.map((m) => m.label).join(", ")}.{" "}
						{p.canUpgrade ? <a href="/billing">Upgrade the plan</a> : "Ask an Owner to upgrade the plan."}
					</p>
				</div>
			) : null}
			{p.metrics.length === 0 ? <p>No usage in this period.</p> : null}
			{p.metrics.map((m) => (
				<div class="panel metric">
					<h2>{m.label}</h2>
					<p class="metric-figures">
						<strong>{m.used.toLocaleString(p.locale)}</strong>{" "}
						{m.limit === null ? `${m.unit} (no limit)` : `of ${m.limit.toLocaleString(p.locale)} ${m.unit}`}
						{m.percent !== null ? ` · ${m.percent.toLocaleString(p.locale)} %` : ""}
					</p>
					{m.limit !== null ? (
						// An SVG bar: its width is an attribute, so the page needs no inline style (the CSP allows none).
						<svg
							class={`meter ${m.level}`}
							viewBox="0 0 100 8"
							preserveAspectRatio="none"
							role="progressbar"
							aria-label={`${m.label} used`}
							aria-valuemin={0}
							aria-valuemax={100}
							aria-valuenow={Math.min(100, m.percent ?? 0)}
						>
							<rect class="track" x="0" y="0" width="100" height="8" />
							<rect class="fill" x="0" y="0" width={String(Math.min(100, m.percent ?? 0))} height="8" />
						</svg>
					) : null}
					{m.projected !== null ? (
						<p class="muted small">
							Projected for the whole period: {m.projected.toLocaleString(p.locale)} {m.unit}
							{m.limit !== null && m.projected > m.limit ? " — over the limit at this pace" : ""}
						</p>
					) : null}
					{m.daily.length > 0 ? <Chart m={m} locale={p.locale} formatDay={p.formatDay} /> : null}
					{m.byKey.length > 0 ? (
						<details>
							<summary>By API key</summary>
							<ul class="plain-list">
								{m.byKey.map((k) => (
									<li>
										{p.keyNames[k.keyId] ?? k.keyId}: {k.value.toLocaleString(p.locale)}
									</li>
								))}
							</ul>
						</details>
					) : null}
				</div>
			))}
		</section>
	);
}
