import { Field } from "../../components/field.tsx";

export function ConfirmPasswordForm({ next, error }: { next: string; error?: string | undefined }) {
	return (
		<section class="panel narrow" aria-labelledby="confirm-password-title">
			<h1 id="confirm-password-title">Confirm it is you</h1>
			<p>This change needs a recent sign-in. Enter your password to continue.</p>
			<form method="post" action="/account/confirm" novalidate>
				<input type="hidden" name="next" value={next} />
				<Field
					name="password"
					label="Password"
					type="password"
					autocomplete="current-password"
					error={error}
					required
				/>
				<button class="button primary" type="submit">
					Continue
				</button>
			</form>
		</section>
	);
}
