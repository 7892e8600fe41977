// Branding (`settings:manage`): colours with a live preview and contrast check, logo and favicon,
// support email and help links, and the email sender.

import { Field } from "../../components/field.tsx";
import { Alert } from "../../components/flash.tsx";

export interface BrandingValues {
	primary: string;
	secondary: string;
	surface: string;
	text: string;
	supportEmail: string;
	helpLinks: { label: string; url: string }[];
	mailFromName: string;
	mailFromAddress: string;
}

export const HELP_LINK_SLOTS = 5;

const COLOUR_FIELDS = [
	["primary", "Primary (links, buttons)"],
	["secondary", "Secondary (accents)"],
	["surface", "Background"],
	["text", "Text"],
] as const;

export function BrandingForm({
	values,
	errors = {},
	mailDomain,
	children,
}: {
	values: BrandingValues;
	errors?: Record<string, string>;
	mailDomain: { name: string; verified: boolean } | null;
	children: unknown;
}) {
	const links = [...values.helpLinks, ...Array(HELP_LINK_SLOTS).fill({ label: "", url: "" })].slice(0, HELP_LINK_SLOTS);
	return (
		<div class="ticket-new">
			<form method="post" action="/settings/branding" class="panel" id="branding-form" novalidate>
				<h2>Colours</h2>
				<Alert text={errors.form} />
				<div
					class="colour-fields"
					hx-get="/settings/branding/preview"
					hx-trigger="input delay:150ms"
					hx-include="#branding-form"
					hx-target="#brand-preview"
					hx-swap="outerHTML"
				>
					{COLOUR_FIELDS.map(([name, label]) => (
						<div class={errors[name] ? "field has-error" : "field"}>
							<label for={`field-${name}`}>{label}</label>
							<input
								id={`field-${name}`}
								name={name}
								type="color"
								value={values[name]}
								aria-invalid={errors[name] ? "true" : undefined}
								aria-describedby={errors[name] ? `field-${name}-error` : undefined}
							/>
							{errors[name] ? (
								<p class="error" id={`field-${name}-error`}>
									{errors[name]}
								</p>
							) : null}
						</div>
					))}
				</div>
				<p>
					<button class="button" type="submit" formmethod="get" formaction="/settings/branding/preview">
						Preview without saving
					</button>
				</p>
				<h2>Support contact</h2>
				<Field
					name="supportEmail"
					label="Support email (optional)"
					type="email"
					value={values.supportEmail}
					error={errors.supportEmail}
					hint="Shown in the portal's footer and at the end of every email."
				/>
				<fieldset>
					<legend>Help links (optional, up to {HELP_LINK_SLOTS})</legend>
					{errors.helpLinks ? <p class="error">{errors.helpLinks}</p> : null}
					{links.map((link, i) => (
						<div class="colour-fields">
							<Field
								name={`linkLabel${i}`}
								id={`field-link-label-${i}`}
								label={`Link ${i + 1} text`}
								value={link.label}
							/>
							<Field
								name={`linkUrl${i}`}
								id={`field-link-url-${i}`}
								label={`Link ${i + 1} address`}
								type="url"
								value={link.url}
							/>
						</div>
					))}
				</fieldset>
				<h2>Email sender</h2>
				<Field
					name="mailFromName"
					label="Sender name (optional)"
					value={values.mailFromName}
					error={errors.mailFromName}
					hint="Emails to your people come from this name; the organization's name when empty."
				/>
				<Field
					name="mailFromAddress"
					label="Sender address (optional)"
					type="email"
					value={values.mailFromAddress}
					error={errors.mailFromAddress}
					hint={
						mailDomain?.verified
							? `An address at ${mailDomain.name} (verified for email).`
							: "Needs your email domain verified on the Domains page; until then emails come from the portal's address with your name."
					}
				/>
				<button class="button primary" type="submit">
					Save branding
				</button>
			</form>
			{children}
		</div>
	);
}

export function BrandingImages({
	logoUrl,
	faviconUrl,
	errors = {},
}: {
	logoUrl: string | null;
	faviconUrl: string | null;
	errors?: Record<string, string>;
}) {
	const slots = [
		{
			name: "logo",
			label: "Logo",
			url: logoUrl,
			hint: "PNG, JPEG, GIF or WebP, up to 256 KB. A square image works best.",
		},
		{
			name: "favicon",
			label: "Favicon",
			url: faviconUrl,
			hint: "PNG, GIF or WebP, up to 64 KB, square (32×32 or larger).",
		},
	] as const;
	return (
		<div class="panel">
			{slots.map((slot) => (
				<section aria-labelledby={`${slot.name}-title`}>
					<h2 id={`${slot.name}-title`}>{slot.label}</h2>
					{slot.url ? (
						<img src={slot.url} alt={`Current ${slot.name}`} width="48" height="48" class="logo-preview" />
					) : (
						<p>None yet.</p>
					)}
					<form method="post" action={`/settings/${slot.name}`} enctype="multipart/form-data">
						<div class={errors[slot.name] ? "field has-error" : "field"}>
							<label for={`field-${slot.name}`}>Upload a {slot.name}</label>
							<p class="hint" id={`field-${slot.name}-hint`}>
								{slot.hint}
							</p>
							<input
								id={`field-${slot.name}`}
								name={slot.name}
								type="file"
								accept="image/png,image/jpeg,image/gif,image/webp"
								aria-describedby={`field-${slot.name}-hint${errors[slot.name] ? ` field-${slot.name}-error` : ""}`}
								aria-invalid={errors[slot.name] ? "true" : undefined}
							/>
							{errors[slot.name] ? (
								<p class="error" id={`field-${slot.name}-error`}>
									{errors[slot.name]}
								</p>
							) : null}
						</div>
						<button class="button" type="submit">
							Upload {slot.name}
						</button>
					</form>
					{slot.url ? (
						<form method="post" action={`/settings/${slot.name}/remove`}>
							<button class="link-button" type="submit">
								Remove the {slot.name}
							</button>
						</form>
					) : null}
				</section>
			))}
		</div>
	);
}
