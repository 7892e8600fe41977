// Organization settings: name, logo, billing contact and address, tax ID.
import { TAX_ID_SCHEMES } from "../../settings/tax-ids.ts";
import { Field } from "../components/field.tsx";

export interface OrgSettingsValues {
	name: string;
	billingEmail: string;
	line1: string;
	line2: string;
	city: string;
	postalCode: string;
	state: string;
	country: string;
	taxIdType: string;
	taxIdValue: string;
}

export function OrgSettingsPage({
	values,
	logoUrl,
	errors = {},
	notice,
}: {
	values: OrgSettingsValues;
	logoUrl: string | null;
	errors?: Record<string, string>;
	notice?: string | undefined;
}) {
	return (
		<section aria-labelledby="settings-title" class="stack">
			<h1 id="settings-title">Organization settings</h1>
			<p>
				<a href="/settings/security">Security</a> · <a href="/settings/export">Data export</a> ·{" "}
				<a href="/settings/danger">Danger zone</a>
			</p>
			{notice ? (
				<p class="notice" role="status">
					{notice}
				</p>
			) : null}
			{errors.form ? (
				<p class="alert" role="alert">
					{errors.form}
				</p>
			) : null}
			<div class="panel">
				<h2>Logo</h2>
				{logoUrl ? (
					<img src={logoUrl} alt="Current logo" width="64" height="64" class="logo-preview" />
				) : (
					<p>No logo yet.</p>
				)}
				<form method="post" action="/settings/logo" enctype="multipart/form-data">
					<div class={errors.logo ? "field has-error" : "field"}>
						<label for="field-logo">Upload a logo</label>
						<p class="hint" id="field-logo-hint">
							PNG, JPEG, GIF or WebP, up to 256 KB. A square image works best.
						</p>
						<input
							id="field-logo"
							name="logo"
							type="file"
							accept="image/png,image/jpeg,image/gif,image/webp"
							aria-describedby={errors.logo ? "field-logo-hint field-logo-error" : "field-logo-hint"}
							aria-invalid={errors.logo ? "true" : undefined}
						/>
						{errors.logo ? (
							<p class="error" id="field-logo-error">
								{errors.logo}
							</p>
						) : null}
					</div>
					<button class="button" type="submit">
						Upload
					</button>
				</form>
				{logoUrl ? (
					<form method="post" action="/settings/logo/remove">
						<button class="link-button" type="submit">
							Remove the logo
						</button>
					</form>
				) : null}
			</div>
			<form method="post" action="/settings" class="panel" novalidate>
				<h2>Details</h2>
				<Field
					name="name"
					label="Organization name"
					value={values.name}
					error={errors.name}
					autocomplete="organization"
					required
				/>
				<Field
					name="billingEmail"
					label="Billing email"
					type="email"
					value={values.billingEmail}
					error={errors.billingEmail}
					hint="Invoices and billing notices go here. Leave empty to use the Owners' addresses."
				/>
				<fieldset class="address">
					<legend>Billing address</legend>
					<Field
						name="line1"
						label="Address line 1"
						value={values.line1}
						error={errors.line1}
						autocomplete="address-line1"
					/>
					<Field
						name="line2"
						label="Address line 2"
						value={values.line2}
						error={errors.line2}
						autocomplete="address-line2"
					/>
					<Field name="city" label="City" value={values.city} error={errors.city} autocomplete="address-level2" />
					<Field
						name="postalCode"
						label="Postal code"
						value={values.postalCode}
						error={errors.postalCode}
						autocomplete="postal-code"
					/>
					<Field
						name="state"
						label="State or region"
						value={values.state}
						error={errors.state}
						autocomplete="address-level1"
					/>
					<Field
						name="country"
						label="Country code"
						value={values.country}
						error={errors.country}
						autocomplete="country"
						hint="Two letters, like DE or US."
					/>
				</fieldset>
				<div class="field">
					<label for="field-taxIdType">Tax ID type</label>
					<select id="field-taxIdType" name="taxIdType">
						<option value="none" selected={values.taxIdType === "none"}>
							None
						</option>
						{Object.entries(TAX_ID_SCHEMES).map(([key, scheme]) => (
							<option value={key} selected={values.taxIdType === key}>
								{scheme.label}
							</option>
						))}
					</select>
				</div>
				{errors.taxIdType ? (
					<p class="error" role="alert">
						{errors.taxIdType}
					</p>
				) : null}
				<Field name="taxIdValue" label="Tax ID" value={values.taxIdValue} error={errors.taxIdValue} />
				<button class="button primary" type="submit">
					Save
				</button>
			</form>
		</section>
	);
}
