import { Field } from "../../components/field.tsx";
import { Alert } from "../../components/flash.tsx";

export interface InvitationProps {
	orgName: string;
	email: string;
	roleName: string;
	token: string;
	mode: "join" | "sign-in" | "create" | "wrong-account";
	signedInAs?: string | undefined;
	errors?: Record<string, string>;
}

export function InvitationPage(p: InvitationProps) {
	const errors = p.errors ?? {};
	return (
		<section class="panel narrow" aria-labelledby="invitation-title">
			<h1 id="invitation-title">Join {p.orgName}</h1>
			<p>
				This invitation is for <strong>{p.email}</strong>, as {p.roleName}.
			</p>
			<Alert text={errors.form} />
			{p.mode === "wrong-account" ? (
				<>
					<p>You are signed in as {p.signedInAs}. Sign out, then open the invitation link again.</p>
					<form method="post" action="/sign-out">
						<button class="button" type="submit">
							Sign out
						</button>
					</form>
				</>
			) : (
				<form method="post" action="/invitation/accept" novalidate>
					<input type="hidden" name="token" value={p.token} />
					{p.mode === "create" ? (
						<>
							<Field name="name" label="Your name" autocomplete="name" error={errors.name} required />
							<Field
								name="password"
								label="Choose a password"
								type="password"
								autocomplete="new-password"
								hint="At least 10 characters."
								error={errors.password}
								required
							/>
						</>
					) : null}
					{p.mode === "sign-in" ? (
						<Field
							name="password"
							label="Your password"
							type="password"
							autocomplete="current-password"
							hint="You already have an account with this address."
							error={errors.password}
							required
						/>
					) : null}
					<button class="button primary" type="submit">
						Join {p.orgName}
					</button>
				</form>
			)}
		</section>
	);
}

export function JoinLinkPage({
	orgName,
	domains,
	token,
	error,
}: {
	orgName: string;
	domains: string[];
	token: string;
	error?: string | undefined;
}) {
	return (
		<section class="panel narrow" aria-labelledby="join-title">
			<h1 id="join-title">Ask to join {orgName}</h1>
			<p>Enter your work address at {domains.join(" or ")}. We will email you an invitation.</p>
			<form method="post" action="/join" novalidate>
				<input type="hidden" name="token" value={token} />
				<Field name="email" label="Work email" type="email" autocomplete="email" error={error} required />
				<button class="button primary" type="submit">
					Email me an invitation
				</button>
			</form>
		</section>
	);
}
