// Organization settings (`settings:manage`): details, billing contact and tax ID.
import { type Context, Hono } from "hono";
import * as z from "zod";
import { emailSchema } from "../../auth/password-policy.ts";
import type { AppEnv } from "../../context.ts";
import { validateOr } from "../../lib/validate.ts";
import { redirectTo, requirePermission, tenantWithDetails } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { textField } from "../../settings/fields.ts";
import { saveOrganizationSettings } from "../../settings/service.ts";
import { checkTaxId, normalizeTaxId, TAX_ID_SCHEMES, type TaxIdScheme } from "../../settings/tax-ids.ts";
import { OrgSettingsPage, type OrgSettingsValues } from "../../views/pages/settings/organization.tsx";
import { renderPage } from "../../views/render.tsx";

export const settingsRoutes = new Hono<AppEnv>();
settingsRoutes.use("/", requirePermission("settings:manage"));

function currentValues(c: Context<AppEnv>): OrgSettingsValues {
	const { org } = tenantWithDetails(c);
	const a = org.billingAddress;
	return {
		name: org.name,
		legalName: org.legalName ?? "",
		billingEmail: org.billingEmail ?? "",
		line1: a?.line1 ?? "",
		line2: a?.line2 ?? "",
		city: a?.city ?? "",
		postalCode: a?.postalCode ?? "",
		state: a?.state ?? "",
		country: a?.country ?? "",
		taxIdType: org.taxIdType ?? "none",
		taxIdValue: org.taxIdValue ?? "",
	};
}

const NOTICES: Record<string, string> = {
	saved: "Settings saved.",
};

function settingsPage(
	c: Context<AppEnv>,
	extra: { values?: OrgSettingsValues; errors?: Record<string, string> } = {},
	status = 200,
) {
	return renderPage(c, {
		title: "Organization settings",
		status,
		body: (
			<OrgSettingsPage
				values={extra.values ?? currentValues(c)}
				errors={extra.errors}
				notice={NOTICES[c.req.query("notice") ?? ""]}
			/>
		),
	});
}

settingsRoutes.get("/", (c) => settingsPage(c));

const settingsSchema = z
	.strictObject({
		name: textField("the organization's name", 80),
		legalName: textField("the legal name", 120, false).default(""),
		billingEmail: z.union([z.literal(""), emailSchema]),
		line1: textField("the address", 120, false),
		line2: textField("the address", 120, false),
		city: textField("the city", 80, false),
		postalCode: textField("the postal code", 20, false),
		state: textField("the state or region", 80, false),
		country: z
			.string()
			.trim()
			.toUpperCase()
			.refine((v) => v === "" || /^[A-Z]{2}$/.test(v), { error: "Use the two-letter country code, like DE or US." }),
		taxIdType: z.enum(["none", ...(Object.keys(TAX_ID_SCHEMES) as TaxIdScheme[])], {
			error: "Choose a tax ID type from the list.",
		}),
		taxIdValue: textField("the tax ID", 32, false),
	})
	.superRefine((v, ctx) => {
		if (v.taxIdType !== "none") {
			const problem = v.taxIdValue ? checkTaxId(v.taxIdType, v.taxIdValue) : "Enter the tax ID, or choose None.";
			if (problem) ctx.addIssue({ code: "custom", path: ["taxIdValue"], message: problem });
		}
		const address = [v.line1, v.city, v.postalCode, v.country];
		if (address.some(Boolean) && !address.every(Boolean)) {
			ctx.addIssue({
				code: "custom",
				path: ["line1"],
				message: "A billing address needs line 1, city, postal code and country.",
			});
		}
	});

settingsRoutes.post(
	"/",
	validateOr("form", settingsSchema, (c, failure) => {
		const raw = failure.raw;
		const values = Object.fromEntries(
			Object.entries({ ...currentValues(c), ...raw }).map(([k, v]) => [k, typeof v === "string" ? v : ""]),
		) as unknown as OrgSettingsValues;
		return settingsPage(c, { values, errors: failure.errors }, 422);
	}),
	async (c) => {
		const { org } = tenantWithDetails(c);
		const v = c.req.valid("form");
		const next = {
			name: v.name,
			legalName: v.legalName || null,
			billingEmail: v.billingEmail || null,
			billingAddress: v.line1
				? { line1: v.line1, line2: v.line2, city: v.city, postalCode: v.postalCode, state: v.state, country: v.country }
				: null,
			taxIdType: v.taxIdType === "none" ? null : v.taxIdType,
			taxIdValue: v.taxIdType === "none" ? null : normalizeTaxId(v.taxIdValue),
		};
		await saveOrganizationSettings(unitOf(c), org, next);
		return redirectTo(c, "/settings?notice=saved");
	},
);
