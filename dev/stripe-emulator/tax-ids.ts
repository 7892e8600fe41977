// A customer's tax IDs (/v1/customers/:id/tax_ids), with the formats Stripe checks for the types
// Portico offers: a value Stripe refuses is refused here too (code tax_id_invalid).
import { list, type Route } from "./api-kit.ts";
import { missing, notFound, onlyParams, StripeApiError } from "./errors.ts";

const FORMATS: Record<string, { pattern: RegExp; country: (v: string) => string }> = {
	eu_vat: { pattern: /^(EL|[A-Z]{2})[0-9A-Z]{2,13}$/, country: (v) => (v.startsWith("EL") ? "GR" : v.slice(0, 2)) },
	gb_vat: { pattern: /^GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/, country: () => "GB" },
	us_ein: { pattern: /^\d{2}-\d{7}$/, country: () => "US" },
	au_abn: { pattern: /^\d{11}$/, country: () => "AU" },
	ca_bn: { pattern: /^\d{9}$/, country: () => "CA" },
	ch_vat: { pattern: /^CHE-?\d{3}\.?\d{3}\.?\d{3}\s?(MWST|TVA|IVA)?$/, country: () => "CH" },
	in_gst: { pattern: /^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/, country: () => "IN" },
};

export const taxIdRoutes: Route[] = [
	[
		"POST",
		/^\/v1\/customers\/(cus_\w+)\/tax_ids$/,
		(store, p, m) => {
			onlyParams(p, ["type", "value", "expand"]);
			const customer = store.get(m[1] ?? "", "customer");
			if (!p.type) throw missing("type");
			if (!p.value) throw missing("value");
			const format = FORMATS[p.type];
			if (!format)
				throw new StripeApiError(400, `Invalid type: must be one of ${Object.keys(FORMATS).join(", ")}`, {
					param: "type",
				});
			if (!format.pattern.test(p.value))
				throw new StripeApiError(400, `Invalid value for ${p.type}.`, { code: "tax_id_invalid", param: "value" });
			return store.put({
				id: store.id("txi"),
				object: "tax_id",
				type: p.type,
				value: p.value,
				country: format.country(p.value),
				customer: customer.id,
				created: store.now(),
				livemode: false,
				verification: { status: "pending", verified_address: null, verified_name: null },
			});
		},
	],
	[
		"GET",
		/^\/v1\/customers\/(cus_\w+)\/tax_ids$/,
		(store, p, m) => {
			store.get(m[1] ?? "", "customer");
			return list(
				store,
				store.all("tax_id").filter((t) => t.customer === m[1]),
				p,
				`/v1/customers/${m[1]}/tax_ids`,
			);
		},
	],
	[
		"DELETE",
		/^\/v1\/customers\/(cus_\w+)\/tax_ids\/(txi_\w+)$/,
		(store, _p, m) => {
			const taxId = store.find(m[2] ?? "");
			if (!taxId || taxId.customer !== m[1] || taxId.deleted) throw notFound("tax_id", m[2] ?? "");
			delete store.state.objects[taxId.id];
			return { id: taxId.id, object: "tax_id", deleted: true };
		},
	],
];
