// Organization settings: name, billing contact and address, tax ID (branding and domains have their own pages).

import { TAX_ID_SCHEMES } from "../../../settings/tax-ids.ts";
import { Field } from "../../components/field.tsx";
import { Alert, Notice } from "../../components/flash.tsx";

export interface OrgSettingsValues {
	name: string;
	legalName: string;
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
	errors = {},
	notice,
}: {
	values: OrgSettingsValues;
	errors?: Record<string, string>;
	notice?: string | undefined;
}) {
	return (
		<section aria-labelledby="settings-title" class="stack">
			<h1 id="settings-title">Organization settings</h1>
			<p>
				<a href="/settings/branding">Branding</a> · <a href="/settings/domains">Domains</a> ·{" "}
				<a href="/settings/security">Security</a> · <a href="/settings/sso">Single sign-on</a> ·{" "}
				<a href="/settings/directory">Directory sync</a> · <a href="/settings/webhooks">Webhooks</a> ·{" "}
				<a href="/settings/export">Data export</a> · <a href="/settings/danger">Danger zone</a>
			</p>
			<Notice text={notice} />
			<Alert text={errors.form} />
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
					name="legalName"
					label="Legal name (on invoices)"
					value={values.legalName}
					error={errors.legalName}
					hint={`The registered company name, like "${values.name} Inc.". Leave empty to use the organization name.`}
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
