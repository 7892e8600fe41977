// A labelled form field with its error message tied to it for screen readers.
export interface FieldProps {
	name: string;
	/** Needed when two forms on one page have a field of the same name: ids must be unique. */
	id?: string;
	label: string;
	type?: string;
	value?: string | undefined;
	error?: string | undefined;
	autocomplete?: string;
	required?: boolean;
	hint?: string;
	/** For a file input: the types offered. */
	accept?: string;
}

export function Field({
	name,
	id: givenId,
	label,
	type = "text",
	value,
	error,
	autocomplete,
	required,
	hint,
	accept,
}: FieldProps) {
	const id = givenId ?? `field-${name}`;
	const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
	return (
		<div class={error ? "field has-error" : "field"}>
			<label for={id}>{label}</label>
			{hint ? (
				<p class="hint" id={`${id}-hint`}>
					{hint}
				</p>
			) : null}
			<input
				id={id}
				name={name}
				type={type}
				value={value}
				autocomplete={autocomplete}
				accept={accept}
				required={required}
				aria-invalid={error ? "true" : undefined}
				aria-describedby={described}
			/>
			{error ? (
				<p class="error" id={`${id}-error`}>
					{error}
				</p>
			) : null}
		</div>
	);
}

/** Email and password, as every sign-in form asks them. */
export function CredentialFields({ email, errors }: { email?: string | undefined; errors: Record<string, string> }) {
	return (
		<>
			<Field
				name="email"
				label="Email"
				type="email"
				value={email}
				error={errors.email}
				autocomplete="username"
				required
			/>
			<Field
				name="password"
				label="Password"
				type="password"
				error={errors.password}
				autocomplete="current-password"
				required
			/>
		</>
	);
}
