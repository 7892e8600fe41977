// A 30-day sparkline as inline SVG: one point per day, scaled to the busiest day.
export function Sparkline({ values, label }: { values: number[]; label: string }) {
	const width = 120;
	const height = 28;
	const max = Math.max(1, ...values);
	const step = values.length > 1 ? width / (values.length - 1) : width;
	const points = values
		.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`)
		.join(" ");
	const total = values.reduce((n, v) => n + v, 0);
	return (
		<svg
			class="sparkline"
			width={width}
			height={height}
			viewBox={`0 0 ${width} ${height}`}
			role="img"
			aria-label={`${label}: ${total} calls in 30 days`}
		>
			<title>{`${total} calls in 30 days`}</title>
			<polyline points={points} fill="none" stroke="currentColor" stroke-width="1.5" />
		</svg>
	);
}
