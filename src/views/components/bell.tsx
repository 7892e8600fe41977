// The notification bell. Its count comes with the page's own batch; a light htmx poll keeps it current
// (and fills it in on the dedicated tier, where the count is not part of the page's reads).
export function Bell({ unread }: { unread: number | null }) {
	const label =
		unread === null ? "Notifications" : unread === 0 ? "Notifications, none unread" : `Notifications, ${unread} unread`;
	return (
		<a
			id="bell"
			class="bell"
			href="/notifications"
			aria-label={label}
			hx-get="/notifications/badge"
			hx-trigger={unread === null ? "load, every 60s" : "every 60s"}
			hx-swap="outerHTML"
		>
			<span aria-hidden="true">🔔</span>
			{unread ? (
				<span class="count" aria-hidden="true">
					{unread > 99 ? "99+" : unread}
				</span>
			) : null}
		</a>
	);
}
