import { Notice } from "../../components/flash.tsx";
export interface ExportRow {
	id: string;
	status: "pending" | "ready" | "failed";
	requested: string;
	expires: string | null;
	downloadUrl: string | null;
	size: string | null;
}

export function ExportsPage({
	kind,
	rows,
	notice,
}: {
	kind: "organization" | "personal";
	rows: ExportRow[];
	notice?: string | undefined;
}) {
	const action = kind === "organization" ? "/settings/export" : "/account/export";
	return (
		<section aria-labelledby="export-title" class="stack">
			<h1 id="export-title">
				{kind === "organization" ? "Export your organization's data" : "Export your personal data"}
			</h1>
			<Notice text={notice} />
			<p>
				{kind === "organization"
					? "A ZIP archive of JSON and CSV files: the organization, members, roles, invitations and the audit log. No passwords, tokens or keys."
					: "A ZIP archive of your profile, organizations, sessions, your actions in the audit log and your notifications here."}{" "}
				We build it in the background and tell you by email and in the portal when it is ready. The download link works
				for 7 days.
			</p>
			<form method="post" action={action}>
				<button class="button primary" type="submit">
					Request an export
				</button>
			</form>
			{rows.length > 0 ? (
				<div class="table-wrap">
					<table>
						<caption class="visually-hidden">Recent exports</caption>
						<thead>
							<tr>
								<th scope="col">Requested</th>
								<th scope="col">Status</th>
								<th scope="col">Download</th>
							</tr>
						</thead>
						<tbody>
							{rows.map((r) => (
								<tr>
									<td>{r.requested}</td>
									<td>
										{r.status === "ready"
											? `Ready (${r.size})`
											: r.status === "pending"
												? "Being built…"
												: "Failed — request another"}
									</td>
									<td>{r.downloadUrl ? <a href={r.downloadUrl}>Download (until {r.expires})</a> : "—"}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			) : null}
		</section>
	);
}
