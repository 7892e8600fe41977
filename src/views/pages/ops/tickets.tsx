// Console: the ticket inbox across organizations and one ticket with its context.
import type { TicketContext } from "../../../db/schema.ts";
import {
	TICKET_CATEGORIES,
	TICKET_STATUSES,
	type TicketCategory,
	type TicketStatus,
} from "../../../support/vocabulary.ts";
import { Alert } from "../../components/flash.tsx";
import { Table } from "../../components/table.tsx";
import { STATUS_LABELS, StatusBadge, type ThreadMessage, TicketThread } from "../../components/ticket-thread.tsx";
import { AttachmentField, CATEGORY_LABELS } from "../support/support.tsx";

export interface InboxRow {
	href: string;
	subject: string;
	orgName: string;
	category: TicketCategory;
	status: TicketStatus;
	requester: string;
	age: string;
}

export interface InboxFilters {
	status: string;
	category: string;
	org: string;
	age: string;
}

export function OpsInbox({
	rows,
	filters,
	unknownOrganization,
	unreadable,
	notRead = 0,
}: {
	rows: InboxRow[];
	filters: InboxFilters;
	unknownOrganization: boolean;
	unreadable: number;
	/** Dedicated databases past the per-page limit: their tickets show when filtered by organization. */
	notRead?: number;
}) {
	return (
		<section class="panel" aria-labelledby="inbox-title">
			<h1 id="inbox-title">Tickets</h1>
			<Alert text={unknownOrganization ? `No organization has the address ${filters.org}.` : null} />
			{unreadable > 0 ? (
				<p class="alert" role="status">
					The tickets of {unreadable} database{unreadable === 1 ? "" : "s"} could not be read just now; the list below
					is without them.
				</p>
			) : null}
			{notRead > 0 ? (
				<p class="alert" role="status">
					{notRead} more organization{notRead === 1 ? " has" : "s have"} a dedicated database not read for this list;
					filter by organization to see their tickets.
				</p>
			) : null}
			<form method="get" action="/ops/tickets" class="filters">
				<label>
					Status
					<select name="status">
						<option value="">Any</option>
						{TICKET_STATUSES.map((s) => (
							<option value={s} selected={filters.status === s}>
								{STATUS_LABELS[s]}
							</option>
						))}
					</select>
				</label>
				<label>
					Category
					<select name="category">
						<option value="">Any</option>
						{TICKET_CATEGORIES.map((s) => (
							<option value={s} selected={filters.category === s}>
								{CATEGORY_LABELS[s]}
							</option>
						))}
					</select>
				</label>
				<label>
					Organization (address)
					<input name="org" value={filters.org} placeholder="acme" size={12} autocomplete="off" />
				</label>
				<label>
					Waiting longer than
					<select name="age">
						<option value="">Any time</option>
						{[
							["1h", "1 hour"],
							["1d", "1 day"],
							["3d", "3 days"],
							["7d", "7 days"],
						].map(([v, l]) => (
							<option value={v} selected={filters.age === v}>
								{l}
							</option>
						))}
					</select>
				</label>
				<button class="button" type="submit">
					Filter
				</button>
			</form>
			{rows.length === 0 ? (
				<p class="muted">No tickets match.</p>
			) : (
				<Table columns={["Subject", "Organization", "Category", "Status", "Requester", "Last activity"]}>
					{rows.map((r) => (
						<tr>
							<td>
								<a href={r.href}>{r.subject}</a>
							</td>
							<td>{r.orgName}</td>
							<td>{CATEGORY_LABELS[r.category]}</td>
							<td>
								<StatusBadge status={r.status} />
							</td>
							<td>{r.requester}</td>
							<td>{r.age}</td>
						</tr>
					))}
				</Table>
			)}
		</section>
	);
}

export interface OpsTicketProps {
	action: string;
	subject: string;
	orgName: string;
	orgHref: string;
	requester: string;
	category: TicketCategory;
	status: TicketStatus;
	opened: string;
	context: TicketContext;
	messages: ThreadMessage[];
	format: (ms: number) => string;
	error?: string | undefined;
	body?: string;
}

function ContextPanel({ context, format }: { context: TicketContext; format: (ms: number) => string }) {
	return (
		<aside class="panel context" aria-labelledby="context-title">
			<h2 id="context-title">Context</h2>
			<dl>
				<dt>Organization</dt>
				<dd>
					{context.organization.name} ({context.organization.slug})
				</dd>
				<dt>Plan</dt>
				<dd>
					{context.plan.name ?? "None"}
					{context.plan.subscriptionStatus ? ` · ${context.plan.subscriptionStatus}` : ""}
				</dd>
				<dt>Requester's role</dt>
				<dd>{context.requester.role}</dd>
			</dl>
			<h3>Usage this period</h3>
			<ul>
				{context.usage.map((u) => (
					<li>
						{u.metric}: {u.used.toLocaleString("en-US")}
						{u.limit !== null ? ` of ${u.limit.toLocaleString("en-US")} (${u.percent ?? 0} %)` : " (no limit)"}
					</li>
				))}
			</ul>
			<h3>Recent activity</h3>
			<ul class="small">
				{context.recentEvents.map((e) => (
					<li>
						{format(e.at)} · {e.action} · {e.actor}
					</li>
				))}
			</ul>
			<h3>Recent failures</h3>
			{context.recentErrors.length === 0 ? (
				<p class="muted small">None.</p>
			) : (
				<ul class="small">
					{context.recentErrors.map((e) => (
						<li>
							{format(e.at)} · {e.action}
						</li>
					))}
				</ul>
			)}
		</aside>
	);
}

export function OpsTicket(p: OpsTicketProps) {
	return (
		<div class="ops-ticket">
			<section class="panel" aria-labelledby="ticket-title">
				<p class="muted small">
					<a href="/ops/tickets">Tickets</a> · <a href={p.orgHref}>{p.orgName}</a> · {CATEGORY_LABELS[p.category]} ·
					opened by {p.requester} on {p.opened}
				</p>
				<h1 id="ticket-title">{p.subject}</h1>
				<p>
					<StatusBadge status={p.status} />
				</p>
				<TicketThread messages={p.messages} />
				<form method="post" action={`${p.action}/reply`} enctype="multipart/form-data" novalidate>
					<Alert text={p.error} />
					<div class="field">
						<label for="field-body">Reply or note</label>
						<textarea id="field-body" name="body" rows={6} maxlength={10000} required>
							{p.body ?? ""}
						</textarea>
					</div>
					<AttachmentField />
					<div class="check">
						<input id="field-internal" type="checkbox" name="internal" value="on" />
						<label for="field-internal">Internal note (not shown to the customer)</label>
					</div>
					<div class="field">
						<label for="field-status">Status after this</label>
						<select id="field-status" name="status">
							{TICKET_STATUSES.map((s) => (
								<option value={s} selected={s === "waiting"}>
									{STATUS_LABELS[s]}
								</option>
							))}
						</select>
					</div>
					<button class="button primary" type="submit">
						Send
					</button>
				</form>
			</section>
			<ContextPanel context={p.context} format={p.format} />
		</div>
	);
}
