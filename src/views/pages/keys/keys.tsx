// API keys: create, list (masked, with a 30-day sparkline), rotate, revoke, edit; the secret page.

import { API_SCOPES, GRACE_PERIODS } from "../../../keys/scopes.ts";
import { Field } from "../../components/field.tsx";
import { Alert, Notice } from "../../components/flash.tsx";
import { Sparkline } from "../../components/sparkline.tsx";

export interface KeyRow {
	id: string;
	name: string;
	masked: string;
	scopes: string[];
	createdBy: string;
	created: string;
	lastUsed: string;
	expires: string;
	status: string;
	active: boolean;
	/** Active or still in its rotation grace period. */
	revocable: boolean;
	usage: number[];
	needsNameToRevoke: boolean;
}

function ScopeBoxes({ prefix, checked }: { prefix: string; checked: string[] }) {
	return (
		<fieldset class="permissions">
			<legend>Scopes</legend>
			{Object.entries(API_SCOPES).map(([key, description]) => (
				<div class="check">
					<input type="checkbox" id={`${prefix}-${key}`} name="scopes" value={key} checked={checked.includes(key)} />
					<label for={`${prefix}-${key}`}>
						<code>{key}</code> — {description}
					</label>
				</div>
			))}
		</fieldset>
	);
}

export function KeyForm({
	action,
	values,
	errors = {},
	submit,
	idPrefix,
}: {
	action: string;
	values: { name: string; scopes: string[]; expires: string; rateLimit: string };
	errors?: Record<string, string>;
	submit: string;
	idPrefix: string;
}) {
	return (
		<form method="post" action={action} novalidate>
			<Field
				name="name"
				id={`${idPrefix}-name`}
				label="Name"
				value={values.name}
				error={errors.name}
				hint='What uses it, like "Production server".'
				required
			/>
			<ScopeBoxes prefix={idPrefix} checked={values.scopes} />
			{errors.scopes ? (
				<p class="error" role="alert">
					{errors.scopes}
				</p>
			) : null}
			<Field
				name="expires"
				id={`${idPrefix}-expires`}
				type="date"
				label="Expires on (optional)"
				value={values.expires}
				error={errors.expires}
			/>
			<Field
				name="rateLimit"
				id={`${idPrefix}-rate`}
				type="number"
				label="Requests per minute (optional)"
				value={values.rateLimit}
				error={errors.rateLimit}
			/>
			<button class="button primary" type="submit">
				{submit}
			</button>
		</form>
	);
}

export function KeysPage({
	keys,
	errors,
	values,
	notice,
}: {
	keys: KeyRow[];
	errors?: Record<string, string>;
	values?: { name: string; scopes: string[]; expires: string; rateLimit: string };
	notice?: string | undefined;
}) {
	// A refused revoke names its key: the message and what was typed stay beside that key's form.
	const revokeError = (id: string) => errors?.[`revoke-${id}`];
	return (
		<section aria-labelledby="keys-title" class="stack">
			<h1 id="keys-title">API keys</h1>
			<Notice text={notice} />
			<Alert text={errors?.form} />
			<div class="panel">
				<h2>Create a key</h2>
				<KeyForm
					action="/keys"
					idPrefix="new"
					values={values ?? { name: "", scopes: [], expires: "", rateLimit: "" }}
					errors={errors}
					submit="Create key"
				/>
			</div>
			<div class="panel">
				<h2>Keys</h2>
				{keys.length === 0 ? <p>No keys yet.</p> : null}
				{keys.length > 0 ? (
					<div class="table-wrap">
						<table class="stacked">
							<caption class="visually-hidden">API keys</caption>
							<thead>
								<tr>
									<th scope="col">Key</th>
									<th scope="col">Scopes</th>
									<th scope="col">Created</th>
									<th scope="col">Last used</th>
									<th scope="col">Status</th>
									<th scope="col">30 days</th>
									<th scope="col">Manage</th>
								</tr>
							</thead>
							<tbody>
								{keys.map((k) => (
									<tr>
										<td data-label="Key">
											{k.name}
											<br />
											<code>{k.masked}</code>
										</td>
										<td data-label="Scopes">{k.scopes.join(", ") || "—"}</td>
										<td data-label="Created">
											{k.created}
											<br />
											<span class="muted small">by {k.createdBy}</span>
										</td>
										<td data-label="Last used">{k.lastUsed}</td>
										<td data-label="Status">
											{k.status}
											<br />
											<span class="muted small">{k.expires}</span>
										</td>
										<td data-label="30 days">
											<Sparkline values={k.usage} label={`Use of ${k.name}`} />
										</td>
										<td data-label="Manage">
											{k.active ? (
												<>
													<a href={`/keys/${k.id}/edit`}>Edit</a>
													<form method="post" action={`/keys/${k.id}/rotate`} class="inline-form">
														<label for={`grace-${k.id}`}>Old key keeps working</label>{" "}
														<select id={`grace-${k.id}`} name="grace">
															{Object.keys(GRACE_PERIODS).map((g) => (
																<option value={g} selected={g === "24h"}>
																	{g === "none" ? "not at all" : `for ${g}`}
																</option>
															))}
														</select>
														<button class="button" type="submit">
															Rotate {k.name}
														</button>
													</form>
												</>
											) : null}
											{k.revocable ? (
												<form method="post" action={`/keys/${k.id}/revoke`} class="inline-form">
													{k.needsNameToRevoke ? (
														<>
															<label for={`confirm-${k.id}`}>Type the key's name to revoke it</label>{" "}
															<input
																id={`confirm-${k.id}`}
																name="confirmName"
																autocomplete="off"
																value={errors?.[`typed-${k.id}`] ?? ""}
																aria-invalid={revokeError(k.id) ? "true" : undefined}
																aria-describedby={revokeError(k.id) ? `confirm-${k.id}-error` : undefined}
															/>
															{revokeError(k.id) ? (
																<span id={`confirm-${k.id}-error`} class="error" role="alert">
																	{revokeError(k.id)}
																</span>
															) : null}
														</>
													) : null}
													<button class="button danger" type="submit">
														Revoke {k.name}
													</button>
												</form>
											) : null}
										</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				) : null}
			</div>
		</section>
	);
}

/** The secret, shown once. The page is never cached. */
export function SecretPage({
	name,
	secret,
	rotated,
	graceUntil,
}: {
	name: string;
	secret: string;
	rotated: boolean;
	graceUntil: string | null;
}) {
	return (
		<section class="panel narrow" aria-labelledby="secret-title">
			<h1 id="secret-title">{rotated ? `New secret for ${name}` : `Your new key: ${name}`}</h1>
			<p>
				<strong>Copy it now — it is shown only once.</strong> We keep only a fingerprint of it, so nobody can show it to
				you again.
			</p>
			<pre class="secret-box">
				<code data-secret>{secret}</code>
			</pre>
			<p>
				<button type="button" class="button primary" data-copy hidden>
					Copy the key
				</button>{" "}
				<span data-copy-status aria-live="polite" />
			</p>
			{rotated ? (
				<p>
					{graceUntil ? `The old secret keeps working until ${graceUntil}.` : "The old secret stopped working now."}
				</p>
			) : null}
			<p>
				<a class="button" href="/keys" data-secret-done>
					I have stored the key
				</a>
			</p>
		</section>
	);
}
