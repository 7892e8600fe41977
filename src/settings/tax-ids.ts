// Tax ID schemes and their formats (with the ABN checksum). Values are normalised to upper case
// without spaces or dots before checking and storing.
const EU_VAT =
	/^(ATU\d{8}|BE[01]\d{9}|BG\d{9,10}|CY\d{8}[A-Z]|CZ\d{8,10}|DE\d{9}|DK\d{8}|EE\d{9}|(EL|GR)\d{9}|ES[A-Z0-9]\d{7}[A-Z0-9]|FI\d{8}|FR[A-HJ-NP-Z0-9]{2}\d{9}|HR\d{11}|HU\d{8}|IE\d{7}[A-W][A-IW]?|IE\d[A-Z+*]\d{5}[A-W]|IT\d{11}|LT(\d{9}|\d{12})|LU\d{8}|LV\d{11}|MT\d{8}|NL\d{9}B\d{2}|PL\d{10}|PT\d{9}|RO\d{2,10}|SE\d{12}|SI\d{8}|SK\d{10})$/;

function validAbn(value: string): boolean {
	if (!/^\d{11}$/.test(value)) return false;
	const weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
	const digits = [...value].map(Number);
	digits[0] = (digits[0] ?? 0) - 1;
	return digits.reduce((sum, d, i) => sum + d * (weights[i] ?? 0), 0) % 89 === 0;
}

export const TAX_ID_SCHEMES = {
	eu_vat: { label: "EU VAT number", example: "DE123456789", check: (v: string) => EU_VAT.test(v) },
	gb_vat: {
		label: "UK VAT number",
		example: "GB123456789",
		check: (v: string) => /^GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/.test(v),
	},
	us_ein: { label: "US EIN", example: "12-3456789", check: (v: string) => /^\d{2}-?\d{7}$/.test(v) },
	au_abn: { label: "Australian ABN", example: "51824753556", check: validAbn },
	// Stripe's ca_bn is the 9-digit business number (the RT program account is ca_gst_hst, not offered).
	ca_bn: { label: "Canadian BN", example: "123456789", check: (v: string) => /^\d{9}$/.test(v) },
	ch_vat: {
		label: "Swiss VAT number",
		example: "CHE-123.456.788",
		check: (v: string) => /^CHE-?\d{9}(MWST|TVA|IVA)?$/.test(v),
	},
	in_gst: {
		label: "Indian GSTIN",
		example: "27AAPFU0939F1ZV",
		check: (v: string) => /^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/.test(v),
	},
} as const;

export type TaxIdScheme = keyof typeof TAX_ID_SCHEMES;

export function normalizeTaxId(value: string): string {
	return value.toUpperCase().replace(/[\s.]/g, "");
}

export function checkTaxId(scheme: TaxIdScheme, value: string): string | null {
	const info = TAX_ID_SCHEMES[scheme];
	return info.check(normalizeTaxId(value)) ? null : `That is not a valid ${info.label}. It looks like ${info.example}.`;
}
