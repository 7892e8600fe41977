import { Field } from "../components/field.tsx";

export interface SignInProps {
	orgName: string;
	email?: string;
	errors?: Record<string, string>;
	formError?: string | undefined;
}

export function SignInForm({ orgName, email, errors = {}, formError }: SignInProps) {
	return (
		<section class="panel narrow" id="sign-in" aria-labelledby="sign-in-title">
			<h1 id="sign-in-title">Sign in to {orgName}</h1>
			{formError ? (
				<p class="alert" role="alert">
					{formError}
				</p>
			) : null}
			<form method="post" action="/sign-in" hx-post="/sign-in" hx-target="#sign-in" hx-swap="outerHTML" novalidate>
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
				<button type="submit" class="button primary">
					Sign in
				</button>
			</form>
		</section>
	);
}
