import { CredentialFields, Field } from "../../components/field.tsx";
import { Alert, Notice } from "../../components/flash.tsx";

export interface OAuthButton {
	provider: string;
	label: string;
	href: string;
}

export interface SignInProps {
	orgName: string;
	email?: string;
	errors?: Record<string, string>;
	formError?: string | undefined;
	/** Too many attempts: the message carries the way out (a reset link) instead of a plain error. */
	locked?: boolean;
	notice?: string | undefined;
	oauth?: OAuthButton[];
}

export function SignInForm({
	orgName,
	email,
	errors = {},
	formError: givenError,
	locked,
	notice,
	oauth = [],
}: SignInProps) {
	const formError = givenError ?? errors.form;
	return (
		<section class="panel narrow" id="sign-in" aria-labelledby="sign-in-title">
			<h1 id="sign-in-title">Sign in to {orgName}</h1>
			<Notice text={notice} />
			<Alert text={formError} />
			{locked ? (
				<p class="alert" role="alert">
					Too many attempts. Wait 15 minutes, or <a href="/forgot-password">reset your password by email</a> to get in
					now.
				</p>
			) : null}
			<form method="post" action="/sign-in" hx-post="/sign-in" hx-target="#sign-in" hx-swap="outerHTML" novalidate>
				<CredentialFields email={email} errors={errors} />
				<button type="submit" class="button primary">
					Sign in
				</button>
				<a class="inline-link" href="/forgot-password">
					Forgot your password?
				</a>
			</form>
			<details class="alt-sign-in">
				<summary>Sign in without a password</summary>
				<form method="post" action="/sign-in/link" novalidate>
					<Field
						name="email"
						id="magic-link-email"
						label="Email me a sign-in link"
						type="email"
						value={email}
						autocomplete="username"
						required
					/>
					<button type="submit" class="button">
						Send the link
					</button>
				</form>
			</details>
			<details class="alt-sign-in">
				<summary>Sign in with SSO</summary>
				<form method="post" action="/sign-in/sso" novalidate>
					<Field
						name="email"
						id="sso-email"
						label="Your work email"
						type="email"
						value={email}
						autocomplete="username"
						required
					/>
					<button type="submit" class="button">
						Continue with your identity provider
					</button>
				</form>
			</details>
			{oauth.length > 0 ? (
				<div class="oauth">
					<p class="muted">Or continue with</p>
					<ul>
						{oauth.map((o) => (
							<li>
								<a class="button" href={o.href}>
									{o.label}
								</a>
							</li>
						))}
					</ul>
				</div>
			) : null}
		</section>
	);
}
