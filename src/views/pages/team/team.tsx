// The team page: members (search, paging), invitations, seats, invite link and ownership transfer.
// Management sections appear only for `members:manage`.

import type { Child } from "hono/jsx";
import { ConfirmLink } from "../../components/confirm-action.tsx";
import { Alert, Notice } from "../../components/flash.tsx";
import { RoleSelect } from "../../components/role-select.tsx";

export interface MemberRow {
	id: string;
	name: string;
	email: string;
	roleId: string;
	roleName: string;
	mfaEnabled: boolean;
	joined: string;
	lastActive: string;
	isViewer: boolean;
	/** Directory sync: provisioned (it owns name, email and access) or deprovisioned by it. */
	directory: "managed" | "deprovisioned" | null;
	/** The mapped directory group the member's role comes from: not changed by hand. */
	roleGroup: string | null;
}

export interface TeamPageProps {
	members: MemberRow[];
	search: string;
	nextCursor: string | null;
	invitations: { id: string; email: string; roleName: string; expires: string }[];
	roles: { id: string; name: string }[];
	seatsUsed: number;
	seatLimit: number | null;
	canManage: boolean;
	/** May change the plan (billing:manage): seat messages link to Billing. */
	canUpgrade: boolean;
	/** Invitations that would not fit the plan's seats. */
	seatRefusal?: { limit: number; used: number; adding: number } | undefined;
	/** Team actions wait for a verified email address. */
	emailVerified: boolean;
	isOwner: boolean;
	inviteLink: { url: string; domains: string[] } | null;
	nominee: { name: string; isViewer: boolean } | null;
	notice?: string | undefined;
	errors?: Record<string, string>;
	values?: { emails?: string; roleId?: string };
}

function plural(n: number, one: string, many: string) {
	return `${n} ${n === 1 ? one : many}`;
}

/** "Upgrade the plan" as a link for those who may, as words for those who must ask. */
function UpgradeLink({ canUpgrade }: { canUpgrade: boolean }) {
	return canUpgrade ? <a href="/billing">Upgrade the plan</a> : <>Ask an Owner to upgrade the plan</>;
}

function SeatRefusal({
	refusal,
	canUpgrade,
}: {
	refusal: NonNullable<TeamPageProps["seatRefusal"]>;
	canUpgrade: boolean;
}) {
	return (
		<p class="alert" role="alert">
			Your plan has {plural(refusal.limit, "seat", "seats")} and {refusal.used} {refusal.used === 1 ? "is" : "are"}{" "}
			taken: {plural(refusal.adding, "more invitation", "more invitations")} would not fit.{" "}
			<UpgradeLink canUpgrade={canUpgrade} />, or free a seat by removing a member or revoking an invitation.
		</p>
	);
}

function Section({ title, children }: { title: string; children: Child }) {
	return (
		<div class="panel">
			<h2>{title}</h2>
			{children}
		</div>
	);
}

export function TeamPage(p: TeamPageProps) {
	const errors = p.errors ?? {};
	const full = p.seatLimit !== null && p.seatsUsed >= p.seatLimit;
	return (
		<section aria-labelledby="team-title" class="stack">
			<h1 id="team-title">Team</h1>
			<Notice text={p.notice} />
			<Alert text={errors.form} />
			{p.seatRefusal ? <SeatRefusal refusal={p.seatRefusal} canUpgrade={p.canUpgrade} /> : null}
			<p class="seats">
				<strong>
					{p.seatLimit === null ? `${p.seatsUsed} seats used (unlimited)` : `${p.seatsUsed} of ${p.seatLimit} seats`}
				</strong>{" "}
				<span class="muted">— members and pending invitations</span>
			</p>
			{p.nominee?.isViewer ? (
				<div class="notice" role="status">
					<p>You have been nominated as an Owner of this organization.</p>
					<form method="post" action="/team/ownership/accept" class="inline-form">
						<button class="button primary" type="submit">
							Accept ownership
						</button>
					</form>
					<form method="post" action="/team/ownership/cancel" class="inline-form">
						<button class="button" type="submit">
							Decline
						</button>
					</form>
				</div>
			) : null}
			<Section title="Members">
				<form method="get" action="/team" class="search" aria-label="Search members">
					<label for="team-search">Search members</label>
					<input id="team-search" name="q" type="search" value={p.search} placeholder="Name or email" />
					<button class="button" type="submit">
						Search
					</button>
				</form>
				<div class="table-wrap">
					<table class="stacked">
						<caption class="visually-hidden">Members</caption>
						<thead>
							<tr>
								<th scope="col">Name</th>
								<th scope="col">Role</th>
								<th scope="col">Two-step</th>
								<th scope="col">Joined</th>
								<th scope="col">Last active</th>
								{p.canManage ? <th scope="col">Manage</th> : null}
							</tr>
						</thead>
						<tbody>
							{p.members.map((m) => (
								<tr>
									<td data-label="Name">
										{m.name}
										<br />
										<span class="muted small">{m.email}</span>
										{m.directory ? (
											<>
												<br />
												<span class="badge">
													{m.directory === "deprovisioned"
														? "Deprovisioned by your directory"
														: "Managed by your directory"}
												</span>
											</>
										) : null}
									</td>
									<td data-label="Role">{m.roleName}</td>
									<td data-label="Two-step">{m.mfaEnabled ? "On" : "Off"}</td>
									<td data-label="Joined">{m.joined}</td>
									<td data-label="Last active">{m.lastActive}</td>
									{p.canManage ? (
										<td data-label="Manage">
											{m.isViewer ? (
												<span class="muted small">you</span>
											) : (
												<>
													{m.roleGroup ? (
														<span class="muted small">Role from the directory group “{m.roleGroup}”</span>
													) : (
														<form method="post" action={`/team/members/${m.id}/role`} class="inline-form">
															<RoleSelect
																name="roleId"
																id={`role-${m.id}`}
																label={`Role of ${m.name}`}
																roles={p.roles}
																selected={m.roleId}
															/>
															<button class="button" type="submit">
																Change role
															</button>
														</form>
													)}
													{m.directory === "managed" ? (
														<span class="muted small">Name, email and access come from your identity provider</span>
													) : (
														<ConfirmLink href={`/team/members/${m.id}/remove`} label={`Remove ${m.name}…`} danger />
													)}
													{p.isOwner && m.roleId !== "rol_builtin_owner" ? (
														<ConfirmLink href={`/team/members/${m.id}/nominate-owner`} label="Make Owner…" />
													) : null}
												</>
											)}
										</td>
									) : null}
								</tr>
							))}
						</tbody>
					</table>
				</div>
				{p.members.length === 0 ? <p>No members match.</p> : null}
				{p.nextCursor ? (
					<p>
						<a href={`/team?${new URLSearchParams({ q: p.search, after: p.nextCursor })}`}>Next page</a>
					</p>
				) : null}
				<p>
					<ConfirmLink href="/team/leave" label="Leave this organization…" />
				</p>
			</Section>
			{p.canManage && !p.emailVerified ? (
				<p class="notice" role="status">
					Verify your email address to invite people and manage the team: open the link we sent you, or send it again
					from <a href="/account">your account</a>.
				</p>
			) : null}
			{p.canManage && p.emailVerified ? (
				<>
					<Section title="Invite people">
						{full ? (
							<p class="alert" role="alert">
								All {p.seatLimit} seats of your plan are in use. <UpgradeLink canUpgrade={p.canUpgrade} />, remove a
								member or revoke an invitation to invite more people.
							</p>
						) : null}
						<form method="post" action="/team/invitations" novalidate>
							<div class={errors.emails ? "field has-error" : "field"}>
								<label for="invite-emails">Email addresses</label>
								<p class="hint" id="invite-emails-hint">
									One or more, separated by commas or new lines.
								</p>
								<textarea
									id="invite-emails"
									name="emails"
									rows={3}
									aria-describedby={errors.emails ? "invite-emails-hint invite-emails-error" : "invite-emails-hint"}
									aria-invalid={errors.emails ? "true" : undefined}
								>
									{p.values?.emails ?? ""}
								</textarea>
								{errors.emails ? (
									<p class="error" id="invite-emails-error">
										{errors.emails}
									</p>
								) : null}
							</div>
							<div class="field">
								<label for="invite-role">Role</label>
								<select id="invite-role" name="roleId">
									{p.roles.map((r) => (
										<option value={r.id} selected={r.id === (p.values?.roleId ?? "rol_builtin_member")}>
											{r.name}
										</option>
									))}
								</select>
							</div>
							<button class="button primary" type="submit">
								Send invitations
							</button>
						</form>
					</Section>
					<Section title="Pending invitations">
						{p.invitations.length === 0 ? <p>None.</p> : null}
						<ul class="plain-list">
							{p.invitations.map((i) => (
								<li>
									{i.email} · {i.roleName} · expires {i.expires}{" "}
									<form method="post" action={`/team/invitations/${i.id}/resend`} class="inline-form">
										<button class="link-button" type="submit">
											Resend
										</button>
									</form>
									<form method="post" action={`/team/invitations/${i.id}/revoke`} class="inline-form">
										<button class="link-button" type="submit">
											Revoke
										</button>
									</form>
								</li>
							))}
						</ul>
					</Section>
					<Section title="Invite link">
						{p.inviteLink ? (
							<>
								<p>
									Anyone with an address at {p.inviteLink.domains.join(", ")} can ask to join with this link; we email
									them an invitation as Member.
								</p>
								<p>
									<code class="secret">{p.inviteLink.url}</code>
								</p>
								<form method="post" action="/team/invite-link/disable">
									<button class="button" type="submit">
										Turn off the invite link
									</button>
								</form>
							</>
						) : (
							<form method="post" action="/team/invite-link" novalidate>
								<div class={errors.domains ? "field has-error" : "field"}>
									<label for="invite-domains">Allowed email domains</label>
									<input
										id="invite-domains"
										name="domains"
										placeholder="example.com"
										aria-invalid={errors.domains ? "true" : undefined}
										aria-describedby={errors.domains ? "invite-domains-error" : undefined}
									/>
									{errors.domains ? (
										<p class="error" id="invite-domains-error">
											{errors.domains}
										</p>
									) : null}
								</div>
								<button class="button" type="submit">
									Create an invite link
								</button>
							</form>
						)}
					</Section>
				</>
			) : null}
			{p.nominee && !p.nominee.isViewer && p.isOwner ? (
				<Section title="Ownership transfer">
					<p>{p.nominee.name} has been nominated as Owner and has not accepted yet.</p>
					<form method="post" action="/team/ownership/cancel">
						<button class="button" type="submit">
							Cancel the nomination
						</button>
					</form>
				</Section>
			) : null}
		</section>
	);
}
