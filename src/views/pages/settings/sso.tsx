// Single sign-on setup: the guided steps for the admin's identity provider, the email domains proven by
// DNS, the OIDC connection, a real test sign-in and its result, and the switches.
import { Field } from "../../components/field.tsx";
import { Alert, Notice } from "../../components/flash.tsx";

export interface SsoPageProps {
	paid: boolean;
	redirectUri: string;
	domains: {
		id: string;
		domain: string;
		verified: boolean;
		record: { name: string; value: string };
		problem: string | null;
	}[];
	connection: {
		issuer: string;
		clientId: string;
		hasSecret: boolean;
		scopes: string;
		defaultRoleId: string;
		groupsClaim: string;
		groupRoles: string;
		tested: boolean;
		enabled: boolean;
		requireSso: boolean;
	} | null;
	roles: { id: string; name: string }[];
	test: { ok: boolean; fields: [string, string][] } | null;
	notice?: string | undefined;
	errors?: Record<string, string> | undefined;
}

const GUIDES = [
	[
		"Okta",
		"Applications → Create App Integration → OIDC, Web Application. Sign-in redirect URI: the address below. Assign the people or groups who may sign in. Issuer: https://<your-okta-domain> (or your authorization server's issuer).",
	],
	[
		"Microsoft Entra ID",
		"App registrations → New registration, Web platform, redirect URI: the address below. Certificates & secrets → New client secret. Issuer: https://login.microsoftonline.com/<tenant-id>/v2.0. For groups, Token configuration → Add groups claim.",
	],
	[
		"Google Workspace",
		"Google Cloud console → APIs & Services → Credentials → OAuth client ID, Web application, authorized redirect URI: the address below. Issuer: https://accounts.google.com.",
	],
	[
		"Other",
		"Any OpenID Connect provider: register a web application with the redirect URI below, scopes openid email profile, and copy its issuer URL, client ID and secret. The ID token must carry email and email_verified.",
	],
] as const;

export function SsoPage(props: SsoPageProps) {
	const c = props.connection;
	const e = props.errors ?? {};
	if (!props.paid) {
		return (
			<section aria-labelledby="sso-title" class="stack">
				<h1 id="sso-title">Single sign-on</h1>
				<div class="panel">
					<p>
						Single sign-on with your identity provider (Okta, Microsoft Entra ID, Google Workspace or any OpenID Connect
						provider) comes with the paid plans.
					</p>
					<p>
						<a class="button primary" href="/billing">
							See the plans
						</a>
					</p>
				</div>
			</section>
		);
	}
	return (
		<section aria-labelledby="sso-title" class="stack">
			<h1 id="sso-title">Single sign-on</h1>
			<Notice text={props.notice} />
			<Alert text={e.form} />
			<div class="panel">
				<h2>1. Register Portico with your identity provider</h2>
				<p>
					Redirect URI to paste: <code data-copy>{props.redirectUri}</code>
				</p>
				{GUIDES.map(([name, text]) => (
					<details>
						<summary>{name}</summary>
						<p>{text}</p>
					</details>
				))}
			</div>
			<div class="panel">
				<h2>2. Prove your email domains</h2>
				<p>People whose address is in a verified domain sign in through your identity provider.</p>
				<ul class="plain">
					{props.domains.map((d) => (
						<li>
							<strong>{d.domain}</strong> — {d.verified ? "verified" : "waiting for its DNS record"}
							{d.verified ? null : (
								<p class="hint">
									TXT <code>{d.record.name}</code> with the value <code>{d.record.value}</code>
								</p>
							)}
							{d.problem ? <p class="hint">{d.problem}</p> : null}
							<form method="post" action={`/settings/sso/domains/${d.id}/check`} class="inline">
								<button class="button" type="submit">
									Check now
								</button>
							</form>
							<form method="post" action={`/settings/sso/domains/${d.id}/remove`} class="inline">
								<button class="button" type="submit">
									Remove
								</button>
							</form>
						</li>
					))}
				</ul>
				<form method="post" action="/settings/sso/domains">
					<Field
						name="domain"
						id="sso-domain"
						label="Email domain"
						hint="For example example.com"
						error={e.domain}
						required
					/>
					<button class="button" type="submit">
						Add domain
					</button>
				</form>
			</div>
			<div class="panel">
				<h2>3. Connect your OpenID Connect provider</h2>
				<form method="post" action="/settings/sso/oidc">
					<Field
						name="issuer"
						id="sso-issuer"
						label="Issuer URL"
						value={c?.issuer}
						error={e.issuer}
						hint="https://… as your provider names it"
						required
					/>
					<Field name="clientId" id="sso-clientId" label="Client ID" value={c?.clientId} error={e.clientId} required />
					<Field
						name="clientSecret"
						id="sso-clientSecret"
						label="Client secret"
						type="password"
						autocomplete="off"
						hint={c?.hasSecret ? "Stored. Leave empty to keep it." : "Shown once by your provider; stored encrypted."}
					/>
					<Field
						name="scopes"
						id="sso-scopes"
						label="Scopes"
						value={c?.scopes ?? "openid email profile"}
						error={e.scopes}
					/>
					<Field
						name="groupsClaim"
						id="sso-groupsClaim"
						label="Groups claim (optional)"
						value={c?.groupsClaim}
						error={e.groupsClaim}
						hint="The ID token claim that lists the person's groups, such as groups"
					/>
					<div class="field">
						<label for="sso-defaultRoleId">Role for people joining through SSO</label>
						<select id="sso-defaultRoleId" name="defaultRoleId">
							{props.roles.map((r) => (
								<option value={r.id} selected={r.id === (c?.defaultRoleId ?? "rol_builtin_member")}>
									{r.name}
								</option>
							))}
						</select>
					</div>
					<div class={e.groupRoles ? "field has-error" : "field"}>
						<label for="sso-groupRoles">Group → role (optional)</label>
						<p class="hint" id="sso-groupRoles-hint">
							One per line: group = role name
						</p>
						<textarea id="sso-groupRoles" name="groupRoles" rows={3} aria-describedby="sso-groupRoles-hint">
							{c?.groupRoles ?? ""}
						</textarea>
						{e.groupRoles ? <p class="error">{e.groupRoles}</p> : null}
					</div>
					<button class="button primary" type="submit">
						Save connection
					</button>
				</form>
			</div>
			{c ? (
				<div class="panel">
					<h2>4. Test, then switch it on</h2>
					{props.test ? (
						<div role="status">
							<p>{props.test.ok ? "The test sign-in worked. This came back:" : "The test sign-in did not work:"}</p>
							<dl>
								{props.test.fields.map(([k, v]) => (
									<>
										<dt>{k}</dt>
										<dd>{v}</dd>
									</>
								))}
							</dl>
						</div>
					) : null}
					<form method="post" action="/settings/sso/test" class="inline">
						<button class="button" type="submit">
							Test connection
						</button>
					</form>
					<form method="post" action="/settings/sso/enabled" class="inline">
						<input type="hidden" name="on" value={c.enabled ? "false" : "true"} />
						<button class={c.enabled ? "button" : "button primary"} type="submit" disabled={!c.tested && !c.enabled}>
							{c.enabled ? "Switch SSO off" : "Switch SSO on"}
						</button>
					</form>
					{c.enabled ? (
						<form method="post" action="/settings/sso/required" class="inline">
							<input type="hidden" name="on" value={c.requireSso ? "false" : "true"} />
							<button class="button" type="submit">
								{c.requireSso ? "Stop requiring SSO" : "Require SSO"}
							</button>
						</form>
					) : null}
					{c.requireSso ? (
						<p class="hint">
							Required: people in your verified domains sign in only with SSO. Owners keep their password as a
							break-glass way in; each such sign-in is in the audit log.
						</p>
					) : null}
					<p class="hint">
						{c.enabled
							? "On: people in your verified domains can sign in with SSO."
							: c.tested
								? "Tested: ready to switch on."
								: "Run a test sign-in first."}
					</p>
				</div>
			) : null}
		</section>
	);
}
