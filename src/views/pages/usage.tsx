// The usage dashboard: each metric against the plan with a progress bar, projection, a daily chart
// (accessible SVG with its data as a table) and a per-key breakdown.
import type { MetricUsage } from "../../usage/dashboard.ts";

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
}

function Chart({ m, locale }: { m: MetricUsage; locale: string }) {
	const width = 600;
	const height = 120;
	const max = Math.max(1, ...m.daily.map((d) => d.value), m.limit && m.limit < 1e9 ? 0 : 0);
	const bar = width / m.daily.length;
	return (
		<figure class="chart">
			<svg
				viewBox={`0 0 ${width} ${height}`}
				role="img"
				aria-labelledby={`chart-${m.metric}-title`}
				preserveAspectRatio="none"
			>
				<title
					id={`chart-${m.metric}-title`}
				>{`${m.label} per day this period; the table below has the numbers.`}</title>
				{m.daily.map((d, i) => {
					const h = (d.value / max) * (height - 4);
					return (
						<rect
							x={(i * bar + 1).toFixed(1)}
							y={(height - h).toFixed(1)}
							width={(bar - 2).toFixed(1)}
							height={h.toFixed(1)}
						/>
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
									<td>{d.day}</td>
									<td class="num">{d.value.toLocaleString(locale)}</td>
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
					{m.daily.length > 0 ? <Chart m={m} locale={p.locale} /> : null}
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
