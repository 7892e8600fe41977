// The organization's recent audit events. Times are shown in the viewer's time zone.
export interface AuditRow {
	id: string;
	actorLabel: string;
	action: string;
	targetType: string | null;
	targetId: string | null;
	ip: string | null;
	createdAt: number;
}

export function AuditLogPage({ events, timeZone, locale }: { events: AuditRow[]; timeZone: string; locale: string }) {
	const format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone });
	return (
		<section aria-labelledby="audit-title">
			<h1 id="audit-title">Audit log</h1>
			<p class="muted">The latest actions in your organization, newest first.</p>
			{events.length === 0 ? (
				<p>No events yet.</p>
			) : (
				<div class="table-wrap">
					<table>
						<caption class="visually-hidden">Audit events</caption>
						<thead>
							<tr>
								<th scope="col">When</th>
								<th scope="col">Who</th>
								<th scope="col">Action</th>
								<th scope="col">Target</th>
							</tr>
						</thead>
						<tbody>
							{events.map((e) => (
								<tr>
									<td>
										<time datetime={new Date(e.createdAt).toISOString()}>{format.format(e.createdAt)}</time>
									</td>
									<td>{e.actorLabel}</td>
									<td>
										<code>{e.action}</code>
									</td>
									<td>{e.targetType ? `${e.targetType} ${e.targetId ?? ""}` : "—"}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
		</section>
	);
}
