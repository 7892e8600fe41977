// WCAG 2 contrast for the brand colours, as the stylesheet uses them: body text on the background,
// secondary text (a 72 % blend of text into the background, `--muted` in the CSS), links and buttons in
// the primary colour on the background (button labels are the background colour on primary), and the
// secondary colour's accents (borders, focus) as non-text UI. Text needs 4.5:1 (AA), UI parts 3:1.
export interface BrandColours {
	primary: string;
	secondary: string;
	surface: string;
	text: string;
}

export const MUTED_TEXT_SHARE = 0.72;

function channels(hex: string): [number, number, number] {
	const n = Number.parseInt(hex.slice(1), 16);
	return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function luminance(rgb: [number, number, number]): number {
	const [r, g, b] = rgb.map((v) => {
		const c = v / 255;
		return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	}) as [number, number, number];
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
	const [la, lb] = [luminance(channels(a)), luminance(channels(b))];
	return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The colour CSS `color-mix(in srgb, a share, b)` produces. */
export function mix(a: string, b: string, share: number): string {
	const [ca, cb] = [channels(a), channels(b)];
	return `#${ca
		.map((v, i) => Math.round(v * share + (cb[i] ?? 0) * (1 - share)))
		.map((v) => v.toString(16).padStart(2, "0"))
		.join("")}`;
}

export interface ContrastCheck {
	field: keyof BrandColours;
	label: string;
	ratio: number;
	required: number;
	ok: boolean;
	explanation: string;
}

export function checkBrandContrast(c: BrandColours): ContrastCheck[] {
	const muted = mix(c.text, c.surface, MUTED_TEXT_SHARE);
	const checks: (Omit<ContrastCheck, "ok" | "ratio" | "explanation"> & { fg: string; bg: string; why: string })[] = [
		{ field: "text", label: "Text on the background", fg: c.text, bg: c.surface, required: 4.5, why: "body text" },
		{
			field: "text",
			label: "Secondary text on the background",
			fg: muted,
			bg: c.surface,
			required: 4.5,
			why: "hints and dates, drawn as a blend of the text colour into the background",
		},
		{
			field: "primary",
			label: "Links and buttons on the background",
			fg: c.primary,
			bg: c.surface,
			required: 4.5,
			why: "links, button labels and the primary button (background-coloured text on the primary colour)",
		},
		{
			field: "secondary",
			label: "Accents on the background",
			fg: c.secondary,
			bg: c.surface,
			required: 3,
			why: "borders and focus accents, which must be visible (WCAG non-text contrast)",
		},
	];
	return checks.map(({ fg, bg, why, ...rest }) => {
		const ratio = Math.floor(contrastRatio(fg, bg) * 100) / 100;
		const ok = ratio >= rest.required;
		return {
			...rest,
			ratio,
			ok,
			explanation: ok
				? `${ratio.toFixed(2)}:1 — meets the ${rest.required}:1 WCAG AA minimum for ${why}.`
				: `${ratio.toFixed(2)}:1 is below the ${rest.required}:1 WCAG AA minimum for ${why}: people with low vision could not read it. Make one colour darker or the other lighter.`,
		};
	});
}
