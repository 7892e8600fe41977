// Webhooks: the organization's endpoints (where, what, whether they work), adding one — its signing
// secret shown once — and the way to the event catalog.
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "../../../webhooks/catalog.ts";
import { Field } from "../../components/field.tsx";
import { Alert, Notice } from "../../components/flash.tsx";

export interface EndpointRow {
	id: string;
	url: string;
	description: string;
	eventTypes: string[] | null;
	enabled: boolean;
	disabledReason: "manual" | "failing" | "gone" | null;
	failingSince: number | null;
}

export interface WebhooksPageProps {
	endpoints: EndpointRow[];
	max: number;
	/** A secret just made: shown this once. */
	newSecret?: { endpointId: string; secret: string; rotated: boolean } | undefined;
	notice?: string | undefined;
	errors?: Record<string, string> | undefined;
	values?: { url?: string; description?: string; eventTypes?: string[]; scope?: string } | undefined;
}

export const when = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 16);

export function endpointState(e: Pick<EndpointRow, "enabled" | "disabledReason" | "failingSince">): string {
	if (!e.enabled)
		return e.disabledReason === "gone"
			? "Disabled: the receiver answered 410 Gone"
			: e.disabledReason === "failing"
				? "Disabled: every delivery failed for 5 days"
				: "Disabled";
	return e.failingSince ? `Failing since ${when(e.failingSince)} UTC` : "Enabled";
}

export function SecretShown({ secret, rotated }: { secret: string; rotated: boolean }) {
	return (
		<div class="panel" role="status">
			<h2>{rotated ? "The new signing secret" : "The endpoint's signing secret"}</h2>
			<p>
				Copy it into your receiver now: it is shown this once.
				{rotated ? " The previous secret keeps signing for 24 hours, so deliveries verify with either meanwhile." : ""}
			</p>
			<p>
				<code data-copy>{secret}</code>
			</p>
		</div>
	);
}

/** The event types, as "all" or a chosen set of checkboxes. */
export function EventTypeChoice(props: {
	scope: string;
	chosen: string[];
	error?: string | undefined;
	idPrefix: string;
}) {
	return (
		<fieldset class="permissions">
			<legend>Events</legend>
			<div class="check">
				<input type="radio" id={`${props.idPrefix}-all`} name="scope" value="all" checked={props.scope !== "chosen"} />
				<label for={`${props.idPrefix}-all`}>Every event type, including ones added later</label>
			</div>
			<div class="check">
				<input
					type="radio"
					id={`${props.idPrefix}-chosen`}
					name="scope"
					value="chosen"
					checked={props.scope === "chosen"}
				/>
				<label for={`${props.idPrefix}-chosen`}>Only the types chosen here:</label>
			</div>
			{(Object.keys(WEBHOOK_EVENT_TYPES) as WebhookEventType[]).map((type) => (
				<div class="check">
					<input
						type="checkbox"
						id={`${props.idPrefix}-${type}`}
						name="eventTypes"
						value={type}
						checked={props.chosen.includes(type)}
					/>
					<label for={`${props.idPrefix}-${type}`}>
						<code>{type}</code> — {WEBHOOK_EVENT_TYPES[type]}
					</label>
				</div>
			))}
			{props.error ? <p class="error">{props.error}</p> : null}
		</fieldset>
	);
}

export function WebhooksPage(p: WebhooksPageProps) {
	const e = p.errors ?? {};
	const v = p.values ?? {};
	return (
		<section aria-labelledby="webhooks-title" class="stack">
			<h1 id="webhooks-title">Webhooks</h1>
			<p>
				Your systems hear about changes here as they happen: each event is sent as JSON, signed following the{" "}
				<a href="https://www.standardwebhooks.com">Standard Webhooks</a> specification, so any of its libraries can
				verify it. See the <a href="/settings/webhooks/events">event catalog</a> for every type and its payload.
			</p>
			<Notice text={p.notice} />
			<Alert text={e.form} />
			{p.newSecret ? <SecretShown secret={p.newSecret.secret} rotated={p.newSecret.rotated} /> : null}
			<div class="panel">
				<h2>Endpoints</h2>
				{p.endpoints.length === 0 ? (
					<p>No endpoints yet.</p>
				) : (
					<ul class="plain">
						{p.endpoints.map((endpoint) => (
							<li>
								<a href={`/settings/webhooks/${endpoint.id}`}>
									<code>{endpoint.url}</code>
								</a>
								{endpoint.description ? ` — ${endpoint.description}` : ""}
								<br />
								<span class="muted small">
									{endpointState(endpoint)} ·{" "}
									{endpoint.eventTypes === null ? "every event type" : `${endpoint.eventTypes.length} event types`}
								</span>
							</li>
						))}
					</ul>
				)}
			</div>
			{p.endpoints.length < p.max ? (
				<div class="panel">
					<h2>Add an endpoint</h2>
					<form method="post" action="/settings/webhooks" novalidate>
						<Field
							name="url"
							id="webhook-url"
							label="URL"
							hint="Where we send the events, such as https://example.com/webhooks/portico"
							value={v.url}
							error={e.url}
							required
						/>
						<Field
							name="description"
							id="webhook-description"
							label="Description (optional)"
							value={v.description}
							error={e.description}
						/>
						<EventTypeChoice
							scope={v.scope ?? "all"}
							chosen={v.eventTypes ?? []}
							error={e.eventTypes}
							idPrefix="new-type"
						/>
						<button class="button primary" type="submit">
							Add endpoint
						</button>
					</form>
				</div>
			) : (
				<p>This organization has {p.max} endpoints, the most it can have. Delete one to add another.</p>
			)}
		</section>
	);
}
