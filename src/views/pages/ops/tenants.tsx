// Console: the directory of organizations and one organization's page.

import { ConfirmLink } from "../../components/confirm-action.tsx";
import { Notice } from "../../components/flash.tsx";
import { Table } from "../../components/table.tsx";
export interface DirectoryRow {
	id: string;
	name: string;
	slug: string;
	plan: string;
	status: string;
	members: number;
	lastActive: string;
}

export function OpsDirectory({ rows, search, more }: { rows: DirectoryRow[]; search: string; more: boolean }) {
	return (
		<section class="panel" aria-labelledby="directory-title">
			<h1 id="directory-title">Organizations</h1>
			<form method="get" action="/ops/tenants" class="search-row">
				<label for="directory-q" class="visually-hidden">
					Search organizations by name or address
				</label>
				<input id="directory-q" name="q" type="search" value={search} placeholder="Name or address" />
				<button class="button" type="submit">
					Search
				</button>
			</form>
			{more ? <p class="muted">Showing the first 100 by name: search to narrow the list.</p> : null}
			{rows.length === 0 ? <p class="muted">No organization matches.</p> : null}
			<Table columns={["Organization", "Plan", "Status", "Members", "Last active"]}>
				{rows.map((r) => (
					<tr>
						<td>
							<a href={`/ops/tenants/${r.id}`}>{r.name}</a> <span class="muted small">{r.slug}</span>
						</td>
						<td>{r.plan}</td>
						<td>{r.status}</td>
						<td>{r.members}</td>
						<td>{r.lastActive}</td>
					</tr>
				))}
			</Table>
		</section>
	);
}

export interface TenantDetailProps {
	id: string;
	name: string;
	slug: string;
	plan: string;
	status: "active" | "suspended" | "deleted";
	subscriptionStatus: string | null;
	created: string;
	members: { userId: string; name: string; email: string; role: string; lastActive: string }[];
	usage: { label: string; used: string; limit: string }[];
	activity: { when: string; action: string; actor: string }[];
	notice?: string | undefined;
	/** Where its tenant data lives, and since when a move is running (formatted), if one is. */
	tier: "shared" | "dedicated";
	movingSince: string | null;
}

function Storage(p: TenantDetailProps) {
	return (
		<>
			<h2>Storage</h2>
			<p>
				{p.tier === "dedicated"
					? "Tenant data is in a dedicated database of its own."
					: "Tenant data is in the shared database."}
			</p>
			{p.movingSince ? (
				<>
					<p role="status">
						Moving since {p.movingSince}. Its changes are refused for the moment (people see "try again in a few
						seconds"); reading goes on.
					</p>
					<form method="post" action={`/ops/tenants/${p.id}/database/cancel`}>
						<button class="button" type="submit">
							Cancel the move
						</button>
					</form>
				</>
			) : p.status === "active" ? (
				<p>
					<ConfirmLink
						href={`/ops/tenants/${p.id}/database?to=${p.tier === "dedicated" ? "shared" : "dedicated"}`}
						label={p.tier === "dedicated" ? "Move back to the shared database…" : "Move to a dedicated database…"}
					/>
				</p>
			) : null}
		</>
	);
}

export function OpsTenant(p: TenantDetailProps) {
	return (
		<section class="panel" aria-labelledby="tenant-title">
			<p class="muted small">
				<a href="/ops/tenants">Organizations</a>
			</p>
			<h1 id="tenant-title">{p.name}</h1>
			<Notice text={p.notice} />
			<dl class="facts">
				<div>
					<dt>Portal</dt>
					<dd>{p.slug}</dd>
				</div>
				<div>
					<dt>Plan</dt>
					<dd>
						{p.plan}
						{p.subscriptionStatus ? ` · ${p.subscriptionStatus}` : ""}
					</dd>
				</div>
				<div>
					<dt>Status</dt>
					<dd>{p.status}</dd>
				</div>
				<div>
					<dt>Created</dt>
					<dd>{p.created}</dd>
				</div>
			</dl>
			<p>
				<a href={`/ops/tickets?org=${p.slug}`}>Tickets of {p.name}</a>
			</p>
			{p.status === "active" ? (
				<p>
					<ConfirmLink href={`/ops/tenants/${p.id}/suspend`} label="Suspend the organization…" danger />
				</p>
			) : p.status === "suspended" ? (
				<form method="post" action={`/ops/tenants/${p.id}/restore`}>
					<button class="button primary" type="submit">
						Restore the organization
					</button>
				</form>
			) : null}
			<Storage {...p} />
			<h2>Members</h2>
			<div class="table-wrap">
				<table>
					<thead>
						<tr>
							<th scope="col">Member</th>
							<th scope="col">Role</th>
							<th scope="col">Last active</th>
							<th scope="col">
								<span class="visually-hidden">Actions</span>
							</th>
						</tr>
					</thead>
					<tbody>
						{p.members.map((m) => (
							<tr>
								<td>
									{m.name} <span class="muted small">{m.email}</span>
								</td>
								<td>{m.role}</td>
								<td>{m.lastActive}</td>
								<td>
									{p.status === "active" ? (
										<form method="post" action={`/ops/tenants/${p.id}/view-as`}>
											<input type="hidden" name="userId" value={m.userId} />
											<button class="button" type="submit" aria-label={`View the portal as ${m.name}, read-only`}>
												View as
											</button>
										</form>
									) : null}
								</td>
							</tr>
						))}
					</tbody>
				</table>
			</div>
			<h2>Usage this period</h2>
			<ul>
				{p.usage.map((u) => (
					<li>
						{u.label}: {u.used} of {u.limit}
					</li>
				))}
			</ul>
			<h2>Recent activity</h2>
			<ul class="small">
				{p.activity.map((a) => (
					<li>
						{a.when} · {a.action} · {a.actor}
					</li>
				))}
			</ul>
		</section>
	);
}
