// Single sign-on setup: the guided steps for the admin's identity provider, the email domains proven by
// DNS, the OIDC or SAML connection, a real test sign-in and its result, and the switches.
import { Field } from "../../components/field.tsx";
import { Alert, Notice } from "../../components/flash.tsx";
import { PaidPlanOffer } from "../../components/paid-plan-offer.tsx";
import { OIDC_GUIDES, SAML_GUIDES } from "./sso-guides.tsx";

export interface SsoPageProps {
	paid: boolean;
	redirectUri: string;
	/** Our SAML service-provider addresses (entity ID = the metadata URL, ACS). */
	saml: { entityId: string; acs: string };
	/** The protocol tab asked for; else the connection's, else OIDC. */
	protocol?: "oidc" | "saml" | undefined;
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
		protocol: "oidc" | "saml";
		saml: {
			metadataUrl: string;
			idpEntityId: string;
			ssoUrl: string;
			certificates: { subject: string; notAfter: number; fingerprint: string }[];
			signed: "assertion" | "response";
			idpInitiated: boolean;
		};
		tested: boolean;
		enabled: boolean;
		requireSso: boolean;
	} | null;
	roles: { id: string; name: string }[];
	test: { ok: boolean; fields: [string, string][] } | null;
	notice?: string | undefined;
	errors?: Record<string, string> | undefined;
	/** What the admin sent, shown again in the form after a refusal (never the client secret). */
	sent?: Record<string, string> | undefined;
}

export function SsoPage(props: SsoPageProps) {
	const c = props.connection;
	const e = props.errors ?? {};
	const sent = props.sent ?? {};
	const protocol = props.protocol ?? c?.protocol ?? "oidc";
	if (!props.paid)
		return (
			<PaidPlanOffer id="sso-title" title="Single sign-on">
				Single sign-on with your identity provider (Okta, Microsoft Entra ID, Google Workspace or any OpenID Connect
				provider) comes with the paid plans.
			</PaidPlanOffer>
		);
	return (
		<section aria-labelledby="sso-title" class="stack">
			<h1 id="sso-title">Single sign-on</h1>
			<Notice text={props.notice} />
			<Alert text={e.form} />
			<div class="panel">
				<h2>1. Register Portico with your identity provider</h2>
				<nav aria-label="Protocol" class="tabs">
					<a href="/settings/sso?protocol=oidc" aria-current={protocol === "oidc" ? "page" : undefined}>
						OpenID Connect
					</a>{" "}
					<a href="/settings/sso?protocol=saml" aria-current={protocol === "saml" ? "page" : undefined}>
						SAML 2.0
					</a>
				</nav>
				{protocol === "oidc" ? (
					<p>
						Redirect URI to paste: <code data-copy>{props.redirectUri}</code>
					</p>
				) : (
					<dl>
						<dt>ACS URL (single sign-on URL, reply URL)</dt>
						<dd>
							<code data-copy>{props.saml.acs}</code>
						</dd>
						<dt>Entity ID (audience URI, identifier)</dt>
						<dd>
							<code data-copy>{props.saml.entityId}</code>
						</dd>
						<dt>Name ID</dt>
						<dd>The person's email address (format emailAddress)</dd>
						<dt>Attributes</dt>
						<dd>
							<code>email</code>, <code>name</code> and, for role mapping, <code>groups</code> (Entra ID's claim names
							work as well)
						</dd>
						<dt>Service-provider metadata</dt>
						<dd>
							<a href="/settings/sso/saml/metadata.xml" download>
								Download the SP metadata XML
							</a>
						</dd>
					</dl>
				)}
				{(protocol === "oidc" ? OIDC_GUIDES : SAML_GUIDES).map(([name, text]) => (
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
							<form method="post" action={`/settings/sso/domains/${d.id}/check`} class="inline-form">
								<button class="button" type="submit">
									Check now
								</button>
							</form>
							<form method="post" action={`/settings/sso/domains/${d.id}/remove`} class="inline-form">
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
						value={sent.domain}
						error={e.domain}
						required
					/>
					<button class="button" type="submit">
						Add domain
					</button>
				</form>
			</div>
			{protocol === "saml" ? (
				<SamlForm c={c} roles={props.roles} errors={e} sent={sent} />
			) : (
				<div class="panel">
					<h2>3. Connect your OpenID Connect provider</h2>
					<form method="post" action="/settings/sso/oidc">
						<Field
							name="issuer"
							id="sso-issuer"
							label="Issuer URL"
							value={sent.issuer ?? c?.issuer}
							error={e.issuer}
							hint="https://… as your provider names it"
							required
						/>
						<Field
							name="clientId"
							id="sso-clientId"
							label="Client ID"
							value={sent.clientId ?? c?.clientId}
							error={e.clientId}
							required
						/>
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
							value={sent.scopes ?? c?.scopes ?? "openid email profile"}
							error={e.scopes}
						/>
						<Provisioning c={c} roles={props.roles} errors={e} sent={sent} />
						<button class="button primary" type="submit">
							Save connection
						</button>
					</form>
				</div>
			)}
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
					<form method="post" action="/settings/sso/test" class="inline-form">
						<button class="button" type="submit">
							Test connection
						</button>
					</form>
					<form method="post" action="/settings/sso/enabled" class="inline-form">
						<input type="hidden" name="on" value={c.enabled ? "false" : "true"} />
						<button class={c.enabled ? "button" : "button primary"} type="submit" disabled={!c.tested && !c.enabled}>
							{c.enabled ? "Switch SSO off" : "Switch SSO on"}
						</button>
					</form>
					{c.enabled ? (
						<form method="post" action="/settings/sso/required" class="inline-form">
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

type Connection = SsoPageProps["connection"];
interface FormProps {
	c: Connection;
	roles: SsoPageProps["roles"];
	errors: Record<string, string>;
	sent: Record<string, string>;
}

/** Who a new person becomes: the default role, and roles by group. */
function Provisioning({ c, roles, errors: e, sent }: FormProps) {
	const defaultRoleId = sent.defaultRoleId ?? c?.defaultRoleId ?? "rol_builtin_member";
	const props = { roles };
	return (
		<>
			<Field
				name="groupsClaim"
				id="sso-groupsClaim"
				label="Groups claim or attribute (optional)"
				value={sent.groupsClaim ?? c?.groupsClaim}
				error={e.groupsClaim}
				hint="The ID token claim or SAML attribute that lists the person's groups, such as groups"
			/>
			<div class="field">
				<label for="sso-defaultRoleId">Role for people joining through SSO</label>
				<select id="sso-defaultRoleId" name="defaultRoleId">
					{props.roles.map((r) => (
						<option value={r.id} selected={r.id === defaultRoleId}>
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
					{sent.groupRoles ?? c?.groupRoles ?? ""}
				</textarea>
				{e.groupRoles ? <p class="error">{e.groupRoles}</p> : null}
			</div>
		</>
	);
}

const day = 86_400_000;

function SamlForm({ c, roles, errors: e, sent }: FormProps) {
	const saml = c?.protocol === "saml" ? c.saml : null;
	return (
		<div class="panel">
			<h2>3. Connect your SAML identity provider</h2>
			{saml?.certificates.length ? (
				<>
					<p>
						Identity provider <code>{saml.idpEntityId}</code>, signing in at <code>{saml.ssoUrl}</code>.
					</p>
					<ul class="plain">
						{saml.certificates.map((cert) => {
							const left = Math.floor((cert.notAfter - Date.now()) / day);
							return (
								<li>
									Certificate {cert.subject} —{" "}
									{left < 0
										? "expired"
										: `expires ${new Date(cert.notAfter).toISOString().slice(0, 10)} (in ${left} days)`}
									<span class="hint"> SHA-256 {cert.fingerprint.slice(0, 16)}…</span>
								</li>
							);
						})}
					</ul>
				</>
			) : null}
			<form method="post" action="/settings/sso/saml" enctype="multipart/form-data">
				<Field
					name="metadataUrl"
					id="sso-metadataUrl"
					label="IdP metadata URL"
					value={sent.metadataUrl ?? saml?.metadataUrl}
					error={e.metadataUrl}
					hint="Read again on every save. Or leave it empty and upload the file below."
				/>
				<Field
					name="metadataFile"
					id="sso-metadataFile"
					label="Or upload the IdP metadata file"
					type="file"
					accept=".xml,application/xml,text/xml"
					error={e.metadataFile}
				/>
				<fieldset class="field-group">
					<legend>What your identity provider signs</legend>
					<div class="check">
						<input
							type="radio"
							id="sso-signed-assertion"
							name="signed"
							value="assertion"
							checked={(sent.signed ?? saml?.signed) !== "response"}
						/>
						<label for="sso-signed-assertion">The assertion (Okta, Entra ID and Google do by default)</label>
					</div>
					<div class="check">
						<input
							type="radio"
							id="sso-signed-response"
							name="signed"
							value="response"
							checked={(sent.signed ?? saml?.signed) === "response"}
						/>
						<label for="sso-signed-response">The whole response</label>
					</div>
				</fieldset>
				<Provisioning c={c} roles={roles} errors={e} sent={sent} />
				<div class="field-group">
					<div class="check">
						<input
							type="checkbox"
							id="sso-idpInitiated"
							name="idpInitiated"
							aria-describedby="sso-idpInitiated-hint"
							checked={sent.signed ? sent.idpInitiated === "on" : saml?.idpInitiated}
						/>
						<label for="sso-idpInitiated">Allow sign-ins started at the identity provider (its app tile)</label>
					</div>
					<p class="hint" id="sso-idpInitiated-hint">
						Risk: such an answer is not tied to a sign-in started here, so someone who obtains one (or lures a person to
						post one) can use it within its few minutes of validity. Each answer still works once only. Leave it off
						unless your people need the tile.
					</p>
				</div>
				<button class="button primary" type="submit">
					Save connection
				</button>
			</form>
		</div>
	);
}
