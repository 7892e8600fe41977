// The live preview of a brand: a miniature portal drawn in SVG (colours as presentation attributes, so
// the strict CSP needs no inline style) and the contrast check, pair by pair, with its explanation.
import type { ContrastCheck } from "../../branding/contrast.ts";

export interface PreviewColours {
	primary: string;
	secondary: string;
	surface: string;
	text: string;
	muted: string;
}

export function BrandPreview({
	name,
	colours,
	checks,
}: {
	name: string;
	colours: PreviewColours | null;
	checks: ContrastCheck[];
}) {
	return (
		<section id="brand-preview" class="panel" aria-labelledby="preview-title" aria-live="polite">
			<h2 id="preview-title">Preview</h2>
			{colours ? (
				<svg
					viewBox="0 0 320 180"
					width="100%"
					role="img"
					aria-label={`${name}'s portal in these colours`}
					class="brand-preview"
				>
					<rect x="0" y="0" width="320" height="180" fill={colours.surface} stroke="#9ca3af" />
					<rect x="0" y="34" width="320" height="3" fill={colours.primary} />
					<text x="14" y="23" fill={colours.text} font-size="14" font-weight="700">
						{name.slice(0, 28)}
					</text>
					<text x="200" y="23" fill={colours.primary} font-size="12" text-decoration="underline">
						Billing
					</text>
					<text x="250" y="23" fill={colours.primary} font-size="12" text-decoration="underline">
						Team
					</text>
					<text x="14" y="64" fill={colours.text} font-size="16" font-weight="700">
						Welcome back
					</text>
					<text x="14" y="86" fill={colours.text} font-size="12">
						Your plan renews on 1 December.
					</text>
					<text x="14" y="104" fill={colours.muted} font-size="11">
						Last updated 2 minutes ago
					</text>
					<rect x="14" y="118" width="110" height="30" rx="6" fill={colours.primary} />
					<text x="69" y="137" fill={colours.surface} font-size="12" font-weight="600" text-anchor="middle">
						Upgrade plan
					</text>
					<rect x="136" y="118" width="110" height="30" rx="6" fill={colours.surface} stroke={colours.primary} />
					<text x="191" y="137" fill={colours.primary} font-size="12" font-weight="600" text-anchor="middle">
						View invoices
					</text>
					<rect x="0" y="166" width="320" height="2" fill={colours.secondary} />
				</svg>
			) : (
				<p class="muted">Fix the colours above to see the preview.</p>
			)}
			<ul class="contrast-list">
				{checks.map((check) => (
					<li class={check.ok ? "ok" : "fail"}>
						{check.ok ? "✓ " : "✗ "}
						{check.label}: {check.explanation}
					</li>
				))}
			</ul>
		</section>
	);
}
