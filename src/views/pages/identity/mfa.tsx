import { Field } from "../../components/field.tsx";

export function MfaChallengeForm({
	error,
	action = "/sign-in/mfa",
	signOutAction = "/sign-out",
}: {
	error?: string | undefined;
	action?: string;
	signOutAction?: string;
}) {
	return (
		<section class="panel narrow" aria-labelledby="mfa-title">
			<h1 id="mfa-title">Two-step verification</h1>
			<p>Enter the 6-digit code from your authenticator app.</p>
			<form method="post" action={action} novalidate>
				<Field name="code" label="Code or recovery code" autocomplete="one-time-code" error={error} required />
				<button class="button primary" type="submit">
					Verify
				</button>
			</form>
			<p class="muted small">Lost your device? Enter one of your recovery codes instead.</p>
			<form method="post" action={signOutAction}>
				<button class="link-button" type="submit">
					Cancel and sign out
				</button>
			</form>
		</section>
	);
}

export interface MfaEnrolProps {
	/** data: URI of the QR code SVG (img-src allows data:), so no markup is injected into the page. */
	qrDataUri: string;
	secret: string;
	error?: string | undefined;
	required: boolean;
	action?: string;
}

export function MfaEnrolForm({ qrDataUri, secret, error, required, action = "/account/mfa" }: MfaEnrolProps) {
	return (
		<section class="panel" aria-labelledby="enrol-title">
			<h1 id="enrol-title">Set up two-step verification</h1>
			{required ? (
				<p class="notice" role="status">
					Your organization requires two-step verification for every member.
				</p>
			) : null}
			<ol class="steps">
				<li>Open an authenticator app (1Password, Google Authenticator, Authy…).</li>
				<li>
					Scan this code, or enter the key by hand.
					<img class="qr" src={qrDataUri} alt="QR code for your authenticator app" width="200" height="200" />
					<p>
						Key: <code class="secret">{secret}</code>
					</p>
				</li>
				<li>Enter the 6-digit code the app shows.</li>
			</ol>
			<form method="post" action={action} novalidate>
				<Field name="code" label="Code from the app" autocomplete="one-time-code" error={error} required />
				<button class="button primary" type="submit">
					Turn on two-step verification
				</button>
			</form>
		</section>
	);
}

export function RecoveryCodesPage({ codes }: { codes: string[] }) {
	return (
		<section class="panel narrow" aria-labelledby="codes-title">
			<h1 id="codes-title">Save your recovery codes</h1>
			<p>
				Each code signs you in once if you lose your device. Store them somewhere safe now: they will not be shown
				again.
			</p>
			<ul class="codes">
				{codes.map((code) => (
					<li>
						<code>{code}</code>
					</li>
				))}
			</ul>
			<p>
				<a class="button primary" href="/account">
					I have saved them
				</a>
			</p>
		</section>
	);
}
