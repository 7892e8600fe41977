// Brand colours become CSS custom properties. Only well-formed hex colours pass, so the one raw
// <style> in the layout can never carry anything else.
const HEX = /^#[0-9a-fA-F]{6}$/;

export interface Brand {
	name: string;
	logoUrl: string | null;
	faviconUrl: string | null;
	supportEmail: string | null;
	helpLinks: { label: string; url: string }[];
	primary: string;
	secondary: string;
	surface: string;
	text: string;
}

export const PORTICO_BRAND: Brand = {
	name: "Portico",
	logoUrl: null,
	faviconUrl: null,
	supportEmail: null,
	helpLinks: [],
	primary: "#4338ca",
	secondary: "#0f766e",
	surface: "#ffffff",
	text: "#111827",
};

export function brandCss(brand: Brand): string {
	const pick = (value: string, fallback: string) => (HEX.test(value) ? value : fallback);
	return `:root{--brand-primary:${pick(brand.primary, PORTICO_BRAND.primary)};--brand-secondary:${pick(
		brand.secondary,
		PORTICO_BRAND.secondary,
	)};--brand-surface:${pick(brand.surface, PORTICO_BRAND.surface)};--brand-text:${pick(brand.text, PORTICO_BRAND.text)}}`;
}

/** The brand of an organization row (the portal, its emails, the console's previews). */
export function brandOf(org: {
	name: string;
	logoUrl: string | null;
	faviconUrl: string | null;
	supportEmail: string | null;
	helpLinks: { label: string; url: string }[];
	brandPrimary: string;
	brandSecondary: string;
	brandSurface: string;
	brandText: string;
}): Brand {
	return {
		name: org.name,
		logoUrl: org.logoUrl,
		faviconUrl: org.faviconUrl,
		supportEmail: org.supportEmail,
		helpLinks: org.helpLinks,
		primary: org.brandPrimary,
		secondary: org.brandSecondary,
		surface: org.brandSurface,
		text: org.brandText,
	};
}
