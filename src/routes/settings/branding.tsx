// Branding (`settings:manage`): colours checked for WCAG AA contrast before they are saved, a live
// preview, support contact and help links, and the email sender. Applied only through the layout's CSS
// custom properties and the email template; read with the organization in the page's one batch.
import { type Context, Hono } from "hono";
import * as z from "zod";
import { emailSchema } from "../../auth/password-policy.ts";
import { type BrandColours, checkBrandContrast, MUTED_TEXT_SHARE, mix } from "../../branding/contrast.ts";
import type { AppEnv } from "../../context.ts";
import type { BrandingInput } from "../../db/branding.ts";
import { formBody } from "../../lib/form-body.ts";
import { fieldErrors } from "../../lib/forms.ts";
import { singleLine } from "../../lib/text.ts";
import { redirectTo, requirePermission, tenantWithDetails } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { saveBranding } from "../../settings/service.ts";
import { BrandPreview } from "../../views/components/brand-preview.tsx";
import {
	BrandingForm,
	BrandingImages,
	type BrandingValues,
	HELP_LINK_SLOTS,
} from "../../views/pages/settings/branding.tsx";
import { renderPage } from "../../views/render.tsx";

export const brandingRoutes = new Hono<AppEnv>();
brandingRoutes.use("*", requirePermission("settings:manage"));

const HEX = /^#[0-9a-f]{6}$/;
const colour = (what: string) =>
	z
		.string()
		.trim()
		.toLowerCase()
		.regex(HEX, { error: `Give the ${what} colour as #rrggbb, for example #1d4ed8.` });

const linkUrl = z
	.string()
	.trim()
	.max(300, { error: "Keep each link under 300 characters." })
	.regex(/^(https:\/\/[^\s<>"]+|mailto:[^\s<>"]+)$/, { error: "Each help link must start with https:// or mailto:." });

const brandingSchema = z.object({
	primary: colour("primary"),
	secondary: colour("secondary"),
	surface: colour("background"),
	text: colour("text"),
	supportEmail: z.union([z.literal(""), emailSchema]),
	helpLinks: z
		.array(
			z.object({
				label: singleLine(
					z
						.string()
						.trim()
						.min(1, { error: "Give each help link both a text and an address." })
						.max(40, { error: "Keep link texts under 40 characters." }),
					"A link text",
				),
				url: linkUrl,
			}),
		)
		.max(HELP_LINK_SLOTS, { error: `Add at most ${HELP_LINK_SLOTS} help links.` }),
	mailFromName: singleLine(
		z.string().trim().max(64, { error: "Keep the sender name under 64 characters." }),
		"The sender name",
	),
	mailFromAddress: z.union([z.literal(""), emailSchema]),
});

function currentValues(c: Context<AppEnv>): BrandingValues {
	const { org } = tenantWithDetails(c);
	return {
		primary: org.brandPrimary,
		secondary: org.brandSecondary,
		surface: org.brandSurface,
		text: org.brandText,
		supportEmail: org.supportEmail ?? "",
		helpLinks: org.helpLinks,
		mailFromName: org.mailFromName ?? "",
		mailFromAddress: org.mailFromAddress ?? "",
	};
}

/** The form's fields as typed, before validation (help links come as numbered pairs; empty pairs are skipped). */
function valuesFrom(input: Record<string, unknown>): BrandingValues & { linkProblem: string | null } {
	const text = (key: string) => (typeof input[key] === "string" ? (input[key] as string) : "");
	const helpLinks: { label: string; url: string }[] = [];
	let linkProblem: string | null = null;
	for (let i = 0; i < HELP_LINK_SLOTS; i++) {
		const label = text(`linkLabel${i}`).trim();
		const url = text(`linkUrl${i}`).trim();
		if (!label && !url) continue;
		if (!label || !url) linkProblem = "Give each help link both a text and an address.";
		helpLinks.push({ label, url });
	}
	return {
		primary: text("primary"),
		secondary: text("secondary"),
		surface: text("surface"),
		text: text("text"),
		supportEmail: text("supportEmail").trim(),
		helpLinks,
		mailFromName: text("mailFromName"),
		mailFromAddress: text("mailFromAddress").trim(),
		linkProblem,
	};
}

function previewOf(values: BrandingValues) {
	const colours = { primary: values.primary, secondary: values.secondary, surface: values.surface, text: values.text };
	const valid = Object.values(colours).every((v) => HEX.test(v.toLowerCase()));
	if (!valid) return { colours: null, checks: [] };
	const c = Object.fromEntries(
		Object.entries(colours).map(([k, v]) => [k, v.toLowerCase()]),
	) as unknown as BrandColours;
	return { colours: { ...c, muted: mix(c.text, c.surface, MUTED_TEXT_SHARE) }, checks: checkBrandContrast(c) };
}

export function brandingPage(
	c: Context<AppEnv>,
	options: { values?: BrandingValues; errors?: Record<string, string>; status?: number; notice?: string } = {},
) {
	const { org } = tenantWithDetails(c);
	const values = options.values ?? currentValues(c);
	const preview = previewOf(values);
	return renderPage(c, {
		title: "Branding",
		status: options.status ?? 200,
		body: (
			<section aria-labelledby="branding-title" class="stack">
				<h1 id="branding-title">Branding</h1>
				<p>
					<a href="/settings">Settings</a> · <a href="/settings/domains">Domains</a>
				</p>
				{options.notice ? (
					<p class="notice" role="status">
						{options.notice}
					</p>
				) : null}
				<BrandingForm
					values={values}
					errors={options.errors}
					mailDomain={org.mailDomain ? { name: org.mailDomain, verified: org.mailDomainVerifiedAt !== null } : null}
				>
					<BrandPreview name={org.name} colours={preview.colours} checks={preview.checks} />
				</BrandingForm>
				<BrandingImages logoUrl={org.logoUrl} faviconUrl={org.faviconUrl} errors={options.errors} />
			</section>
		),
	});
}

const NOTICES: Record<string, string> = {
	saved: "Branding saved.",
	"logo-saved": "Logo updated.",
	"logo-removed": "Logo removed.",
	"favicon-saved": "Favicon updated.",
	"favicon-removed": "Favicon removed.",
	preview: "This is a preview: nothing is saved until you choose Save branding.",
};

brandingRoutes.get("/", (c) => brandingPage(c, { notice: NOTICES[c.req.query("notice") ?? ""] }));

/** The preview for typed colours: the panel for htmx, the whole page (nothing saved) without JavaScript. */
brandingRoutes.get("/preview", (c) => {
	const values = valuesFrom(c.req.query());
	if (c.req.header("hx-request") === "true") {
		const preview = previewOf(values);
		return c.html(
			<BrandPreview name={tenantWithDetails(c).org.name} colours={preview.colours} checks={preview.checks} />,
		);
	}
	return brandingPage(c, { values, notice: NOTICES.preview });
});

brandingRoutes.post("/", async (c) => {
	const { org } = tenantWithDetails(c);
	const values = valuesFrom(await formBody(c));
	const parsed = brandingSchema.safeParse(values);
	const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error);
	if (values.linkProblem) errors.helpLinks = values.linkProblem;
	if (parsed.success) {
		for (const check of checkBrandContrast(parsed.data)) {
			if (!check.ok) errors[check.field] ??= `${check.label}: ${check.explanation}`;
		}
		const address = parsed.data.mailFromAddress;
		if (address) {
			const domain = address.split("@")[1] ?? "";
			if (!org.mailDomain || !org.mailDomainVerifiedAt || domain !== org.mailDomain.toLowerCase()) {
				errors.mailFromAddress = org.mailDomainVerifiedAt
					? `Use an address at ${org.mailDomain}, the domain verified for email.`
					: "Verify your email domain on the Domains page first: until then emails use the portal's address with your name.";
			}
		}
	}
	if (!parsed.success || Object.keys(errors).length > 0) {
		return brandingPage(c, { values, errors, status: 422 });
	}
	const data = parsed.data;
	const next: BrandingInput = {
		brandPrimary: data.primary,
		brandSecondary: data.secondary,
		brandSurface: data.surface,
		brandText: data.text,
		supportEmail: data.supportEmail || null,
		helpLinks: data.helpLinks,
		mailFromName: data.mailFromName || null,
		mailFromAddress: data.mailFromAddress || null,
	};
	const before: BrandingInput = {
		brandPrimary: org.brandPrimary,
		brandSecondary: org.brandSecondary,
		brandSurface: org.brandSurface,
		brandText: org.brandText,
		supportEmail: org.supportEmail,
		helpLinks: org.helpLinks,
		mailFromName: org.mailFromName,
		mailFromAddress: org.mailFromAddress,
	};
	await saveBranding(unitOf(c), before, next);
	return redirectTo(c, "/settings/branding?notice=saved");
});
