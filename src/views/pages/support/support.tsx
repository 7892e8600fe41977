// Support in the portal: the ticket list, the new-ticket form with suggested answers, one ticket.

import type { TicketCategory, TicketStatus } from "../../../db/schema.ts";
import { Alert, Notice } from "../../components/flash.tsx";
import { type Hit, Suggestions } from "../../components/search-hits.tsx";
import { StatusBadge, type ThreadMessage, TicketThread } from "../../components/ticket-thread.tsx";

export const CATEGORY_LABELS: Record<TicketCategory, string> = {
	billing: "Billing",
	account: "Account",
	usage: "Usage",
	technical: "Technical",
	other: "Other",
};

export interface TicketListItem {
	id: string;
	subject: string;
	category: TicketCategory;
	status: TicketStatus;
	requester: string;
	updated: string;
}

export function SupportList({
	tickets,
	scope,
	canSeeAll,
	older,
	notice,
}: {
	tickets: TicketListItem[];
	scope: "mine" | "all";
	canSeeAll: boolean;
	/** The next (older) page, when there is one. */
	older: string | null;
	notice?: string | undefined;
}) {
	return (
		<section class="panel" aria-labelledby="support-title">
			<div class="panel-head">
				<h1 id="support-title">Support</h1>
				<a class="button primary" href="/support/new">
					New ticket
				</a>
			</div>
			<Notice text={notice} />
			<p>
				Most answers are in the <a href="/help">help centre</a>.
			</p>
			{canSeeAll ? (
				<nav aria-label="Tickets shown" class="tabs">
					<a href="/support" aria-current={scope === "mine" ? "page" : undefined}>
						My tickets
					</a>
					<a href="/support?scope=all" aria-current={scope === "all" ? "page" : undefined}>
						All of the organization's tickets
					</a>
				</nav>
			) : null}
			{tickets.length === 0 ? (
				<p class="muted">No tickets yet.</p>
			) : (
				<div class="table-wrap">
					<table class="stacked">
						<thead>
							<tr>
								<th scope="col">Subject</th>
								<th scope="col">Category</th>
								<th scope="col">Status</th>
								{scope === "all" ? <th scope="col">Requester</th> : null}
								<th scope="col">Last activity</th>
							</tr>
						</thead>
						<tbody>
							{tickets.map((t) => (
								<tr>
									<td data-label="Subject">
										<a href={`/support/tickets/${t.id}`}>{t.subject}</a>
									</td>
									<td data-label="Category">{CATEGORY_LABELS[t.category]}</td>
									<td data-label="Status">
										<StatusBadge status={t.status} />
									</td>
									{scope === "all" ? <td data-label="Requester">{t.requester}</td> : null}
									<td data-label="Last activity">{t.updated}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			{older ? (
				<p>
					<a href={older}>Older tickets</a>
				</p>
			) : null}
		</section>
	);
}

export interface NewTicketProps {
	values?: { subject?: string; category?: string; description?: string };
	errors?: Record<string, string>;
	suggestions: Hit[];
	searched: boolean;
}

/** The fields that feed the suggestions: typing in either asks for matching articles (debounced). */
const suggest = {
	"hx-get": "/support/suggest",
	"hx-trigger": "input changed delay:300ms",
	"hx-target": "#suggestions",
	"hx-swap": "outerHTML",
	"hx-include": "#ticket-form [name=subject], #ticket-form [name=description]",
};

export function NewTicketForm({ values = {}, errors = {}, suggestions, searched }: NewTicketProps) {
	return (
		<div class="ticket-new">
			<section class="panel" aria-labelledby="new-ticket-title">
				<h1 id="new-ticket-title">New support ticket</h1>
				<Alert text={errors.form} />
				<form id="ticket-form" method="post" action="/support/tickets" enctype="multipart/form-data" novalidate>
					<div class={errors.subject ? "field has-error" : "field"}>
						<label for="field-subject">Subject</label>
						<input
							id="field-subject"
							name="subject"
							value={values.subject}
							maxlength={150}
							required
							autocomplete="off"
							aria-invalid={errors.subject ? "true" : undefined}
							aria-describedby={errors.subject ? "field-subject-error" : undefined}
							{...suggest}
						/>
						{errors.subject ? (
							<p class="error" id="field-subject-error">
								{errors.subject}
							</p>
						) : null}
					</div>
					<div class={errors.category ? "field has-error" : "field"}>
						<label for="field-category">Category</label>
						<select id="field-category" name="category" aria-invalid={errors.category ? "true" : undefined}>
							{Object.entries(CATEGORY_LABELS).map(([value, label]) => (
								<option value={value} selected={values.category === value}>
									{label}
								</option>
							))}
						</select>
						{errors.category ? <p class="error">{errors.category}</p> : null}
					</div>
					<div class={errors.description ? "field has-error" : "field"}>
						<label for="field-description">What happened?</label>
						<p class="hint" id="field-description-hint">
							What you tried, what you expected, what you saw. Your organization, plan and recent activity are attached
							for support automatically.
						</p>
						<textarea
							id="field-description"
							name="description"
							rows={8}
							maxlength={10000}
							required
							aria-invalid={errors.description ? "true" : undefined}
							aria-describedby={`field-description-hint${errors.description ? " field-description-error" : ""}`}
							{...suggest}
						>
							{values.description ?? ""}
						</textarea>
						{errors.description ? (
							<p class="error" id="field-description-error">
								{errors.description}
							</p>
						) : null}
					</div>
					<AttachmentField error={errors.attachments} />
					<button class="button primary" type="submit">
						Send to support
					</button>
				</form>
			</section>
			<Suggestions hits={suggestions} searched={searched} />
		</div>
	);
}

export function AttachmentField({ error }: { error?: string | undefined }) {
	return (
		<div class={error ? "field has-error" : "field"}>
			<label for="field-attachments">Attachments (optional)</label>
			<p class="hint" id="field-attachments-hint">
				Up to 3 files of 2 MB: images, PDF or text.
			</p>
			<input
				id="field-attachments"
				name="attachments"
				type="file"
				multiple
				accept=".png,.jpg,.jpeg,.gif,.webp,.pdf,.txt,.log,.csv,.json"
				aria-describedby={`field-attachments-hint${error ? " field-attachments-error" : ""}`}
				aria-invalid={error ? "true" : undefined}
			/>
			{error ? (
				<p class="error" id="field-attachments-error">
					{error}
				</p>
			) : null}
		</div>
	);
}

export interface TicketPageProps {
	id: string;
	subject: string;
	category: TicketCategory;
	status: TicketStatus;
	requester: string;
	opened: string;
	messages: ThreadMessage[];
	errors?: Record<string, string>;
	body?: string;
	notice?: string | undefined;
}

export function TicketPage(p: TicketPageProps) {
	const errors = p.errors ?? {};
	return (
		<section class="panel" aria-labelledby="ticket-title">
			<p class="muted small">
				<a href="/support">Support</a> · {CATEGORY_LABELS[p.category]} · opened by {p.requester} on {p.opened}
			</p>
			<h1 id="ticket-title">{p.subject}</h1>
			<p>
				<StatusBadge status={p.status} />
			</p>
			<Notice text={p.notice} />
			<TicketThread messages={p.messages} />
			{p.status === "resolved" ? (
				<form method="post" action={`/support/tickets/${p.id}/reopen`}>
					<p>This ticket is resolved. Still a problem?</p>
					<button class="button" type="submit">
						Reopen the ticket
					</button>
				</form>
			) : (
				<>
					<form method="post" action={`/support/tickets/${p.id}/reply`} enctype="multipart/form-data" novalidate>
						<div class={errors.body ? "field has-error" : "field"}>
							<label for="field-body">Your reply</label>
							<textarea
								id="field-body"
								name="body"
								rows={5}
								maxlength={10000}
								required
								aria-invalid={errors.body ? "true" : undefined}
								aria-describedby={errors.body ? "field-body-error" : undefined}
							>
								{p.body ?? ""}
							</textarea>
							{errors.body ? (
								<p class="error" id="field-body-error">
									{errors.body}
								</p>
							) : null}
						</div>
						<AttachmentField error={errors.attachments} />
						<button class="button primary" type="submit">
							Send reply
						</button>
					</form>
					<form method="post" action={`/support/tickets/${p.id}/resolve`}>
						<button class="link-button" type="submit">
							My problem is solved — close the ticket
						</button>
					</form>
				</>
			)}
		</section>
	);
}
