// The audit log viewer: filters in the URL (shareable, back button works), newest first, cursor paging,
// each event expandable; times in the viewer's zone with UTC on hover.
import { AREAS } from "../../../audit/filters.ts";
import { dateFormats } from "../../../lib/dates.ts";

export interface AuditRow {
	id: string;
	actorLabel: string;
	actorType: string;
	action: string;
	targetType: string | null;
	targetId: string | null;
	ip: string | null;
	userAgent?: string | null;
	metadata?: Record<string, unknown>;
	createdAt: number;
}

export interface AuditPageProps {
	events: AuditRow[];
	timeZone: string;
	locale: string;
	query: Record<string, string>;
	problems: string[];
	nextCursor: string | null;
	canVerify: boolean;
	verification?: { ok: boolean; checked: number; brokenAt?: { id: string; when: string; reason: string } } | undefined;
}

export function AuditLogPage(p: AuditPageProps) {
	const format = { format: dateFormats(p).instant };
	const qs = (extra: Record<string, string>) => new URLSearchParams({ ...p.query, ...extra }).toString();
	return (
		<section aria-labelledby="audit-title" class="stack">
			<h1 id="audit-title">Audit log</h1>
			{p.problems.map((problem) => (
				<p class="alert" role="alert">
					{problem}
				</p>
			))}
			{p.verification ? (
				<p class={p.verification.ok ? "notice" : "alert"} role="status">
					{p.verification.ok
						? `The chain is intact: ${p.verification.checked} sealed events checked.`
						: `The chain is broken at event ${p.verification.brokenAt?.id} (${p.verification.brokenAt?.when}): ${p.verification.brokenAt?.reason}`}
				</p>
			) : null}
			<form method="get" action="/audit" class="panel filters" aria-label="Filter the audit log">
				<div class="filter-grid">
					<div class="field">
						<label for="f-q">Search</label>
						<input id="f-q" name="q" type="search" value={p.query.q} placeholder="Actor, action, target or detail" />
					</div>
					<div class="field">
						<label for="f-actor">Actor</label>
						<input id="f-actor" name="actor" value={p.query.actor} />
					</div>
					<div class="field">
						<label for="f-area">Area</label>
						<select id="f-area" name="area">
							<option value="">All areas</option>
							{AREAS.map((a) => (
								<option value={a} selected={p.query.area === a}>
									{a}
								</option>
							))}
						</select>
					</div>
					<div class="field">
						<label for="f-target-type">Target type</label>
						<input id="f-target-type" name="targetType" value={p.query.targetType} />
					</div>
					<div class="field">
						<label for="f-target-id">Target id</label>
						<input id="f-target-id" name="targetId" value={p.query.targetId} />
					</div>
					<div class="field">
						<label for="f-from">From</label>
						<input id="f-from" name="from" type="date" value={p.query.from} />
					</div>
					<div class="field">
						<label for="f-to">To</label>
						<input id="f-to" name="to" type="date" value={p.query.to} />
					</div>
				</div>
				<button class="button primary" type="submit">
					Filter
				</button>{" "}
				<a class="inline-link" href="/audit">
					Clear
				</a>{" "}
				<a class="inline-link" href={`/audit/export?${qs({ format: "csv" })}`}>
					Export CSV
				</a>{" "}
				<a class="inline-link" href={`/audit/export?${qs({ format: "jsonl" })}`}>
					Export JSON Lines
				</a>
			</form>
			{p.canVerify ? (
				<form method="post" action="/audit/verify">
					<button class="button" type="submit">
						Verify integrity
					</button>
				</form>
			) : null}
			{p.events.length === 0 ? (
				<p>No events match.</p>
			) : (
				<ol class="audit-list">
					{p.events.map((e) => (
						<li class="panel">
							<details>
								<summary>
									<time
										datetime={new Date(e.createdAt).toISOString()}
										title={`${new Date(e.createdAt).toISOString().replace("T", " ").slice(0, 19)} UTC`}
									>
										{format.format(e.createdAt)}
									</time>{" "}
									· <strong>{e.actorLabel}</strong> · <code>{e.action}</code>
									{e.targetType ? ` · ${e.targetType} ${e.targetId ?? ""}` : ""}
								</summary>
								<dl class="audit-detail">
									<dt>Actor type</dt>
									<dd>{e.actorType}</dd>
									<dt>IP address</dt>
									<dd>{e.ip ?? "—"}</dd>
									<dt>Browser</dt>
									<dd>{e.userAgent ?? "—"}</dd>
									<dt>Details</dt>
									<dd>
										<pre>{JSON.stringify(e.metadata ?? {}, null, 2)}</pre>
									</dd>
								</dl>
							</details>
						</li>
					))}
				</ol>
			)}
			{p.nextCursor ? <a href={`/audit?${qs({ before: p.nextCursor })}`}>Older events</a> : null}
		</section>
	);
}
