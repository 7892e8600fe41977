import { Field } from "../../components/field.tsx";
import { Alert } from "../../components/flash.tsx";

export interface SignUpProps {
	values?: Record<string, string>;
	errors?: Record<string, string>;
	portalDomain: string;
}

export function SlugStatus({ message, ok }: { message: string; ok: boolean }) {
	return (
		<p id="slug-status" class={ok ? "hint ok" : "error"} aria-live="polite">
			{message}
		</p>
	);
}

export function SignUpForm({ values = {}, errors = {}, portalDomain }: SignUpProps) {
	return (
		<section class="panel narrow" aria-labelledby="sign-up-title">
			<h1 id="sign-up-title">Create your organization's portal</h1>
			<p>It starts on the Free plan. You can invite your team and change plans later.</p>
			<Alert text={errors.form} />
			<form method="post" action="/sign-up" novalidate>
				<Field
					name="orgName"
					label="Organization name"
					value={values.orgName}
					error={errors.orgName}
					autocomplete="organization"
					required
				/>
				<div class={errors.slug ? "field has-error" : "field"}>
					<label for="field-slug">Portal address</label>
					<p class="hint" id="field-slug-hint">
						Your portal will be at <strong>your-address.{portalDomain}</strong>
					</p>
					<input
						id="field-slug"
						name="slug"
						value={values.slug}
						required
						autocomplete="off"
						aria-describedby="field-slug-hint slug-status"
						aria-invalid={errors.slug ? "true" : undefined}
						hx-get="/sign-up/slug"
						hx-trigger="input changed delay:400ms"
						hx-target="#slug-status"
						hx-swap="outerHTML"
					/>
					{errors.slug ? <SlugStatus message={errors.slug} ok={false} /> : <p id="slug-status" aria-live="polite" />}
				</div>
				<Field name="name" label="Your name" value={values.name} error={errors.name} autocomplete="name" required />
				<Field
					name="email"
					label="Work email"
					type="email"
					value={values.email}
					error={errors.email}
					autocomplete="email"
					required
				/>
				<Field
					name="password"
					label="Password"
					type="password"
					error={errors.password}
					autocomplete="new-password"
					hint="At least 10 characters. If this email already has a Portico account, that account keeps its own password."
					required
				/>
				<button class="button primary" type="submit">
					Create the portal
				</button>
			</form>
		</section>
	);
}
