// One webhook endpoint: its settings, its secret's rotation, a test event, and the delivery log — each
// delivery with its attempts (time, status, duration, the receiver's answer) and the body we sent,
// filtered by event type and status, paged by cursor, with replay of one or of every failure since a date.
import { EVENT_TYPE_LIST } from "../../../webhooks/catalog.ts";
import { ConfirmLink } from "../../components/confirm-action.tsx";
import { Field } from "../../components/field.tsx";
import { Alert, Notice } from "../../components/flash.tsx";
import { type EndpointRow, EventTypeChoice, endpointState, SecretShown, when } from "./webhooks.tsx";

export interface DeliveryRow {
	id: string;
	eventId: string;
	eventType: string;
	status: "pending" | "succeeded" | "failed";
	attempts: number;
	nextAttemptAt: number | null;
	lastStatusCode: number | null;
	createdAt: number;
	payload: string | null;
	tries: {
		id: string;
		attemptedAt: number;
		statusCode: number | null;
		durationMs: number;
		responseBody: string | null;
		error: string | null;
	}[];
}

export interface EndpointPageProps {
	endpoint: EndpointRow & { previousUntil: number | null };
	deliveries: DeliveryRow[];
	filter: { eventType: string; status: string };
	nextCursor: string | null;
	newSecret?: { secret: string; rotated: boolean } | undefined;
	notice?: string | undefined;
	errors?: Record<string, string> | undefined;
}

const STATUS_LABEL = { pending: "Retrying", succeeded: "Succeeded", failed: "Failed" } as const;

function Delivery({ d, endpointId }: { d: DeliveryRow; endpointId: string }) {
	const summary = `${d.eventType} · ${STATUS_LABEL[d.status]}${d.lastStatusCode ? ` (${d.lastStatusCode})` : ""} · ${when(d.createdAt)} UTC`;
	return (
		<li>
			<details>
				<summary>{summary}</summary>
				<p class="small">
					Event <code>{d.eventId}</code>, {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
					{d.status === "pending" && d.nextAttemptAt ? `, next at ${when(d.nextAttemptAt)} UTC` : ""}
				</p>
				<ol class="small">
					{d.tries.map((t) => (
						<li>
							{when(t.attemptedAt)} UTC — {t.statusCode ?? "no answer"}, {t.durationMs} ms
							{t.error ? ` — ${t.error}` : ""}
							{t.responseBody ? (
								<pre class="response">
									<code>{t.responseBody}</code>
								</pre>
							) : null}
						</li>
					))}
				</ol>
				{d.payload ? (
					<>
						<p class="small">The body we sent:</p>
						<pre class="response">
							<code>{d.payload}</code>
						</pre>
					</>
				) : null}
				<form method="post" action={`/settings/webhooks/${endpointId}/deliveries/${d.id}/replay`} class="inline-form">
					<button
						class="button"
						type="submit"
						aria-label={`${d.status === "pending" ? "Send now" : "Replay"} the ${d.eventType} delivery of ${when(d.createdAt)}`}
					>
						{d.status === "pending" ? "Send now" : "Replay"}
					</button>
				</form>
			</details>
		</li>
	);
}

export function EndpointPage(p: EndpointPageProps) {
	const e = p.errors ?? {};
	const ep = p.endpoint;
	const base = `/settings/webhooks/${ep.id}`;
	return (
		<section aria-labelledby="endpoint-title" class="stack">
			<p>
				<a href="/settings/webhooks">← Webhooks</a>
			</p>
			<h1 id="endpoint-title">
				<code>{ep.url}</code>
			</h1>
			<p>{endpointState(ep)}</p>
			<Notice text={p.notice} />
			<Alert text={e.form} />
			{p.newSecret ? <SecretShown secret={p.newSecret.secret} rotated={p.newSecret.rotated} /> : null}
			<div class="panel">
				<h2>Send a test event</h2>
				<form method="post" action={`${base}/test`} class="filter-row">
					<label for="test-type">Event type</label>
					<select id="test-type" name="type">
						{EVENT_TYPE_LIST.map((type) => (
							<option value={type}>{type}</option>
						))}
					</select>
					<button class="button primary" type="submit">
						Send test event
					</button>
				</form>
			</div>
			<div class="panel" id="deliveries">
				<h2>Deliveries</h2>
				<form method="get" action={`${base}#deliveries`} class="filter-row">
					<label for="filter-type">Show event type</label>
					<select id="filter-type" name="type">
						<option value="">All</option>
						{EVENT_TYPE_LIST.map((type) => (
							<option value={type} selected={p.filter.eventType === type}>
								{type}
							</option>
						))}
					</select>
					<label for="filter-status">Show status</label>
					<select id="filter-status" name="status">
						<option value="">All</option>
						{(["succeeded", "pending", "failed"] as const).map((s) => (
							<option value={s} selected={p.filter.status === s}>
								{STATUS_LABEL[s]}
							</option>
						))}
					</select>
					<button class="button" type="submit">
						Filter
					</button>
				</form>
				{p.deliveries.length === 0 ? (
					<p>No deliveries{p.filter.eventType || p.filter.status ? " match" : " yet"}.</p>
				) : (
					<ul class="plain deliveries">
						{p.deliveries.map((d) => (
							<Delivery d={d} endpointId={ep.id} />
						))}
					</ul>
				)}
				{p.nextCursor ? (
					<p>
						<a
							href={`${base}?${new URLSearchParams({ type: p.filter.eventType, status: p.filter.status, before: p.nextCursor })}#deliveries`}
						>
							Older deliveries
						</a>
					</p>
				) : null}
				<form method="post" action={`${base}/replay-failed`} novalidate>
					<Field
						name="since"
						id="replay-since"
						type="date"
						label="Replay every failed delivery since"
						error={e.since}
						required
					/>
					<button class="button" type="submit">
						Replay failed deliveries
					</button>
				</form>
				<p class="hint">Deliveries are kept 30 days.</p>
			</div>
			<div class="panel">
				<h2>Settings</h2>
				<form method="post" action={base} novalidate>
					<Field name="url" id="endpoint-url" label="URL" value={ep.url} error={e.url} required />
					<Field name="description" id="endpoint-description" label="Description (optional)" value={ep.description} />
					<EventTypeChoice
						scope={ep.eventTypes === null ? "all" : "chosen"}
						chosen={ep.eventTypes ?? []}
						error={e.eventTypes}
						idPrefix="edit-type"
					/>
					<div class="check">
						<input type="checkbox" id="endpoint-enabled" name="enabled" value="on" checked={ep.enabled} />
						<label for="endpoint-enabled">Enabled: send events to this endpoint</label>
					</div>
					<button class="button primary" type="submit">
						Save
					</button>
				</form>
			</div>
			<div class="panel">
				<h2>Signing secret</h2>
				<p>
					{ep.previousUntil && ep.previousUntil > Date.now()
						? `The previous secret keeps signing until ${when(ep.previousUntil)} UTC.`
						: "Rotate the secret if it may have been seen: the old one keeps signing for 24 hours."}
				</p>
				<form method="post" action={`${base}/rotate`} class="inline-form">
					<button class="button" type="submit">
						Rotate secret
					</button>
				</form>
				<p>
					<ConfirmLink href={`${base}/delete`} label="Delete this endpoint…" danger />
				</p>
			</div>
		</section>
	);
}
