import type { NotificationCategory } from "../../../db/schema.ts";
import { CATEGORY_INFO } from "../../../notifications/categories.ts";
import { Notice } from "../../components/flash.tsx";

export interface InboxItem {
	id: string;
	title: string;
	body: string;
	category: NotificationCategory;
	when: string;
	read: boolean;
	hasLink: boolean;
}

export function InboxPage({
	items,
	nextCursor,
	unread,
}: {
	items: InboxItem[];
	nextCursor: string | null;
	unread: number;
}) {
	return (
		<section aria-labelledby="inbox-title" class="stack">
			<h1 id="inbox-title">Notifications</h1>
			<p>
				{unread === 0 ? "Nothing unread." : `${unread} unread.`}{" "}
				<a href="/account/notifications">Notification settings</a>
			</p>
			{unread > 0 ? (
				<form method="post" action="/notifications/read-all">
					<button class="button" type="submit">
						Mark all as read
					</button>
				</form>
			) : null}
			{items.length === 0 ? <p>No notifications yet.</p> : null}
			<ul class="inbox">
				{items.map((n) => (
					<li class={n.read ? "panel read" : "panel unread"}>
						<p class="muted small">
							{CATEGORY_INFO[n.category].label} · {n.when} {n.read ? null : <span class="badge warn">unread</span>}
						</p>
						<h2 class="inbox-title">{n.hasLink ? <a href={`/notifications/${n.id}/open`}>{n.title}</a> : n.title}</h2>
						<p>{n.body}</p>
						{n.read ? null : (
							<form method="post" action={`/notifications/${n.id}/read`}>
								<button class="link-button" type="submit">
									Mark as read
								</button>
							</form>
						)}
					</li>
				))}
			</ul>
			{nextCursor ? <a href={`/notifications?before=${nextCursor}`}>Older notifications</a> : null}
		</section>
	);
}

export interface PreferenceRow {
	category: NotificationCategory;
	email: boolean;
	inApp: boolean;
	forced: boolean;
}

export function PreferencesPage({ rows, notice }: { rows: PreferenceRow[]; notice?: string | undefined }) {
	return (
		<section aria-labelledby="prefs-title" class="stack">
			<h1 id="prefs-title">Notification settings</h1>
			<Notice text={notice} />
			<form method="post" action="/account/notifications" class="panel">
				<div class="table-wrap">
					<table>
						<caption class="visually-hidden">What reaches you, by category and channel</caption>
						<thead>
							<tr>
								<th scope="col">Category</th>
								<th scope="col">Email</th>
								<th scope="col">In the portal</th>
							</tr>
						</thead>
						<tbody>
							{rows.map((r) => (
								<tr>
									<th scope="row">
										{CATEGORY_INFO[r.category].label}
										<br />
										<span class="muted small">{CATEGORY_INFO[r.category].description}</span>
									</th>
									<td>
										<input
											type="checkbox"
											name={`${r.category}.email`}
											aria-label={`${CATEGORY_INFO[r.category].label} by email`}
											checked={r.email}
											disabled={r.forced}
										/>
									</td>
									<td>
										<input
											type="checkbox"
											name={`${r.category}.inApp`}
											aria-label={`${CATEGORY_INFO[r.category].label} in the portal`}
											checked={r.inApp}
											disabled={r.forced}
										/>
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
				<input type="hidden" name="submitted" value="1" />
				<button class="button primary" type="submit">
					Save settings
				</button>
			</form>
		</section>
	);
}
