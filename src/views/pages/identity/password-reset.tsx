import { Field } from "../../components/field.tsx";

export function ForgotPasswordForm({ email, errors = {} }: { email?: string; errors?: Record<string, string> }) {
	return (
		<section class="panel narrow" aria-labelledby="forgot-title">
			<h1 id="forgot-title">Reset your password</h1>
			<p>Enter the email you sign in with. If it has an account here, we will send a link to choose a new password.</p>
			<form method="post" action="/forgot-password" novalidate>
				<Field
					name="email"
					label="Email"
					type="email"
					value={email}
					error={errors.email}
					autocomplete="username"
					required
				/>
				<button class="button primary" type="submit">
					Send the reset link
				</button>
			</form>
		</section>
	);
}

export function ResetPasswordForm({ token, errors = {} }: { token: string; errors?: Record<string, string> }) {
	return (
		<section class="panel narrow" aria-labelledby="reset-title">
			<h1 id="reset-title">Choose a new password</h1>
			<form method="post" action="/reset-password" novalidate>
				<input type="hidden" name="token" value={token} />
				<Field
					name="password"
					label="New password"
					type="password"
					error={errors.password ?? errors.token}
					autocomplete="new-password"
					hint="At least 10 characters. A few unrelated words make a strong, memorable password."
					required
				/>
				<button class="button primary" type="submit">
					Save the new password
				</button>
			</form>
		</section>
	);
}
