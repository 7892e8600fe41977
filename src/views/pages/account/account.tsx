import { Field } from "../../components/field.tsx";
import { Alert, Notice } from "../../components/flash.tsx";

export interface SessionRowView {
	id: string;
	host: string;
	device: string;
	ip: string | null;
	lastSeen: string;
	current: boolean;
}

export interface AccountProps {
	name: string;
	timeZone: string;
	locale: string;
	timeZones: string[];
	locales: Record<string, string>;
	avatarUrl: string | null;
	email: string;
	emailVerified: boolean;
	mfaEnabled: boolean;
	recoveryCodesLeft: number;
	sessions: SessionRowView[];
	notice?: string | undefined;
	errors?: Record<string, string>;
	pendingEmail?: string | undefined;
}

export function AccountPage(p: AccountProps) {
	const errors = p.errors ?? {};
	return (
		<section aria-labelledby="account-title" class="stack">
			<h1 id="account-title">Your account</h1>
			<Notice text={p.notice} />
			<p>
				<a href="/account/notifications">Notification settings</a> · <a href="/account/export">Export your data</a>
			</p>
			<form method="post" action="/account/profile" class="panel" novalidate>
				<h2>Profile</h2>
				<Field name="name" label="Name" value={p.name} error={errors.name} autocomplete="name" required />
				<div class="field">
					<label for="field-timeZone">Time zone</label>
					<select id="field-timeZone" name="timeZone">
						{p.timeZones.map((tz) => (
							<option value={tz} selected={tz === p.timeZone}>
								{tz}
							</option>
						))}
					</select>
				</div>
				<div class="field">
					<label for="field-locale">Language and formats</label>
					<select id="field-locale" name="locale">
						{Object.entries(p.locales).map(([code, label]) => (
							<option value={code} selected={code === p.locale}>
								{label}
							</option>
						))}
					</select>
				</div>
				{errors.timeZone || errors.locale ? (
					<p class="error" role="alert">
						{errors.timeZone ?? errors.locale}
					</p>
				) : null}
				<button class="button primary" type="submit">
					Save profile
				</button>
			</form>
			<div class="panel">
				<h2>Picture</h2>
				{p.avatarUrl ? (
					<img src={p.avatarUrl} alt={`${p.name}`} width="64" height="64" class="avatar" />
				) : (
					<p>No picture yet.</p>
				)}
				<form method="post" action="/account/avatar" enctype="multipart/form-data">
					<Field
						name="avatar"
						label="Upload a picture"
						type="file"
						accept="image/png,image/jpeg,image/gif,image/webp"
						error={errors.avatar}
					/>
					<button class="button" type="submit">
						Upload
					</button>
				</form>
			</div>
			<div class="panel">
				<h2>Email</h2>
				<p>
					{p.email}{" "}
					{p.emailVerified ? <span class="badge ok">verified</span> : <span class="badge warn">not verified</span>}
				</p>
				{p.emailVerified ? null : (
					<form method="post" action="/account/verify-email">
						<button class="button" type="submit">
							Send the verification email again
						</button>
					</form>
				)}
				<form method="post" action="/account/email" novalidate>
					<Field
						name="email"
						label="New email address"
						type="email"
						value={p.pendingEmail}
						error={errors.email}
						autocomplete="email"
						hint="We send a link to the new address; the change happens when you open it."
						required
					/>
					<button class="button" type="submit">
						Change email
					</button>
				</form>
			</div>
			<div class="panel">
				<h2>Password</h2>
				<form method="post" action="/account/password" novalidate>
					<Field
						name="currentPassword"
						label="Current password"
						type="password"
						error={errors.currentPassword}
						autocomplete="current-password"
						required
					/>
					<Field
						name="newPassword"
						label="New password"
						type="password"
						error={errors.newPassword}
						autocomplete="new-password"
						hint="At least 10 characters."
						required
					/>
					<button class="button" type="submit">
						Change password
					</button>
				</form>
			</div>
			<div class="panel">
				<h2>Two-step verification</h2>
				{p.mfaEnabled ? (
					<>
						<p>
							On. {p.recoveryCodesLeft} recovery code{p.recoveryCodesLeft === 1 ? "" : "s"} left.
						</p>
						<form method="post" action="/account/mfa/recovery-codes" class="inline-form">
							<button class="button" type="submit">
								New recovery codes
							</button>
						</form>
						<form method="post" action="/account/mfa/disable" class="inline-form">
							<button class="button danger" type="submit">
								Turn off
							</button>
						</form>
					</>
				) : (
					<p>
						Off. <a href="/account/mfa">Set up two-step verification</a>
					</p>
				)}
			</div>
			<div class="panel">
				<h2>Sessions</h2>
				<div class="table-wrap">
					<table class="stacked">
						<caption class="visually-hidden">Your active sessions</caption>
						<thead>
							<tr>
								<th scope="col">Device</th>
								<th scope="col">Portal</th>
								<th scope="col">IP address</th>
								<th scope="col">Last seen</th>
								<th scope="col">
									<span class="visually-hidden">Action</span>
								</th>
							</tr>
						</thead>
						<tbody>
							{p.sessions.map((s) => (
								<tr>
									<td data-label="Device">{s.device}</td>
									<td data-label="Portal">{s.host}</td>
									<td data-label="IP address">{s.ip ?? "—"}</td>
									<td data-label="Last seen">{s.lastSeen}</td>
									<td>
										{s.current ? (
											<span class="badge ok">this session</span>
										) : (
											<form method="post" action={`/account/sessions/${s.id}/revoke`}>
												<button class="link-button" type="submit">
													Revoke
												</button>
											</form>
										)}
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
				<form method="post" action="/account/sessions/revoke-others">
					<button class="button" type="submit">
						Sign out everywhere else
					</button>
				</form>
			</div>
			<div class="panel danger-panel">
				<h2>Delete my account</h2>
				<p>Removes you from every organization and deletes your account. This cannot be undone.</p>
				<Alert text={errors.delete} />
				<form method="post" action="/account/delete" novalidate>
					<Field
						name="confirm"
						id="delete-confirm"
						label={`Type your email (${p.email}) to confirm`}
						autocomplete="off"
						required
					/>
					<button class="button danger" type="submit">
						Delete my account
					</button>
				</form>
			</div>
		</section>
	);
}
