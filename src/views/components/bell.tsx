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
			{/* An inline icon, not an emoji: no emoji font is needed, and it takes the text colour. */}
			<svg class="icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
				<path
					d="M12 3a6 6 0 0 0-6 6v3.6L4.3 15.4A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.6L18 12.6V9a6 6 0 0 0-6-6Zm-2.5 15a2.5 2.5 0 0 0 5 0"
					fill="none"
					stroke="currentColor"
					stroke-width="1.8"
					stroke-linecap="round"
					stroke-linejoin="round"
				/>
			</svg>
			{unread ? (
				<span class="count" aria-hidden="true">
					{unread > 99 ? "99+" : unread}
				</span>
			) : null}
		</a>
	);
}
