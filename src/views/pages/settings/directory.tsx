// Directory sync (SCIM 2.0): the base URL and tokens to paste into the identity provider, steps for
// Okta and Microsoft Entra ID, and the latest requests the identity provider made, with their result.
import { Field } from "../../components/field.tsx";
import { Alert, Notice } from "../../components/flash.tsx";
import { PaidPlanOffer } from "../../components/paid-plan-offer.tsx";
import { RoleSelect } from "../../components/role-select.tsx";

export interface DirectoryPageProps {
	paid: boolean;
	baseUrl: string;
	tokens: {
		id: string;
		name: string;
		last4: string;
		lastUsedAt: number | null;
		revokedAt: number | null;
		createdAt: number;
	}[];
	requests: { id: string; method: string; path: string; status: number; error: string | null; createdAt: number }[];
	groups: { id: string; displayName: string; roleId: string | null; members: number }[];
	/** The roles a group may map to (never Owner; only what the viewer may grant). */
	roles: { id: string; name: string }[];
	/** A token just created: shown this once. */
	newToken?: { name: string; token: string } | undefined;
	notice?: string | undefined;
	errors?: Record<string, string> | undefined;
}

const when = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 16);

const GUIDES: [string, string][] = [
	[
		"Okta",
		"Applications → your Portico app → General → App Settings → Provisioning: SCIM. Then Provisioning → Integration: SCIM connector base URL = the base URL above, unique identifier field = userName, supported actions Push New Users, Push Profile Updates and Push Groups, authentication mode HTTP Header, Authorization = the token. Test Connector Configuration, save, then under To App enable Create Users, Update User Attributes and Deactivate Users; under Push Groups, push the groups whose members should get a role here.",
	],
	[
		"Microsoft Entra ID",
		"Enterprise applications → your Portico app → Provisioning → Get started → Provisioning mode Automatic. Tenant URL = the base URL above, Secret token = the token. Test Connection, save; under Mappings keep userPrincipalName → userName (or mail → userName) and keep Provision Microsoft Entra ID Groups enabled, assign the users and groups to the app, switch provisioning status On. Entra syncs every 40 minutes; Provision on demand syncs one person at once.",
	],
];

export function DirectoryPage(props: DirectoryPageProps) {
	const e = props.errors ?? {};
	if (!props.paid)
		return (
			<PaidPlanOffer id="directory-title" title="Directory sync">
				Directory sync (SCIM 2.0) lets your identity provider add, update and remove your members: when someone leaves
				your company, their access here ends with it. It comes with the paid plans.
			</PaidPlanOffer>
		);
	return (
		<section aria-labelledby="directory-title" class="stack">
			<h1 id="directory-title">Directory sync</h1>
			<Notice text={props.notice} />
			<Alert text={e.form} />
			{props.newToken ? (
				<div class="panel" role="status">
					<h2>Your new token “{props.newToken.name}”</h2>
					<p>Copy it into your identity provider now: it is shown this once and cannot be read again.</p>
					<p>
						<code data-copy>{props.newToken.token}</code>
					</p>
				</div>
			) : null}
			<div class="panel">
				<h2>1. Connect your identity provider</h2>
				<dl>
					<dt>SCIM base URL (tenant URL)</dt>
					<dd>
						<code data-copy>{props.baseUrl}</code>
					</dd>
					<dt>Authentication</dt>
					<dd>HTTP header Authorization: Bearer and a token from step 2</dd>
				</dl>
				{GUIDES.map(([name, text]) => (
					<details>
						<summary>{name}</summary>
						<p>{text}</p>
					</details>
				))}
			</div>
			<div class="panel">
				<h2>2. Tokens</h2>
				<p class="hint">Create a new token before revoking the old one: both work meanwhile, so rotation has no gap.</p>
				<ul class="plain">
					{props.tokens.map((t) => (
						<li>
							<strong>{t.name}</strong> — …{t.last4}, created {when(t.createdAt)},{" "}
							{t.revokedAt
								? `revoked ${when(t.revokedAt)}`
								: t.lastUsedAt
									? `last used ${when(t.lastUsedAt)}`
									: "not used yet"}
							{t.revokedAt ? null : (
								<form method="post" action={`/settings/directory/tokens/${t.id}/revoke`} class="inline-form">
									<button class="button" type="submit" aria-label={`Revoke ${t.name}`}>
										Revoke
									</button>
								</form>
							)}
						</li>
					))}
				</ul>
				<form method="post" action="/settings/directory/tokens">
					<Field
						name="name"
						id="directory-token-name"
						label="Token name"
						hint="For example Okta production"
						error={e.name}
						required
					/>
					<button class="button primary" type="submit">
						Create token
					</button>
				</form>
			</div>
			<div class="panel" id="directory-groups">
				<h2>3. Groups and roles</h2>
				<p class="hint">
					Push groups from your identity provider, then give a group a role: its members hold the highest role of their
					groups (Admin, then custom roles, then Member), and the default role outside every mapped group. Owners keep
					their role; ownership moves on the Team page.
				</p>
				{props.groups.length === 0 ? (
					<p>No groups yet. In Okta, use Push Groups; Entra ID sends the groups assigned to the app.</p>
				) : (
					<div class="table-wrap">
						<table class="stacked">
							<caption class="visually-hidden">Directory groups and the roles they give</caption>
							<thead>
								<tr>
									<th scope="col">Group</th>
									<th scope="col">Members</th>
									<th scope="col">Role</th>
								</tr>
							</thead>
							<tbody>
								{props.groups.map((g) => (
									<tr>
										<td data-label="Group">{g.displayName}</td>
										<td data-label="Members">{g.members}</td>
										<td data-label="Role">
											<form method="post" action={`/settings/directory/groups/${g.id}/role`} class="inline-form">
												<RoleSelect
													name="roleId"
													id={`group-role-${g.id}`}
													label={`Role of the group ${g.displayName}`}
													roles={props.roles}
													selected={g.roleId ?? undefined}
													none="No role"
												/>
												<button class="button" type="submit" aria-label={`Save the role of ${g.displayName}`}>
													Save
												</button>
											</form>
										</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				)}
			</div>
			<div class="panel">
				<h2>4. What your identity provider did</h2>
				{props.requests.length === 0 ? (
					<p>No requests yet.</p>
				) : (
					<div class="table-wrap">
						<table class="stacked">
							<caption class="visually-hidden">The latest SCIM requests</caption>
							<thead>
								<tr>
									<th scope="col">Time (UTC)</th>
									<th scope="col">Request</th>
									<th scope="col">Result</th>
								</tr>
							</thead>
							<tbody>
								{props.requests.map((r) => (
									<tr>
										<td data-label="Time (UTC)">{when(r.createdAt)}</td>
										<td data-label="Request">
											<code>
												{r.method} {r.path}
											</code>
										</td>
										<td data-label="Result">
											{r.status}
											{r.error ? ` — ${r.error}` : ""}
										</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				)}
			</div>
		</section>
	);
}
