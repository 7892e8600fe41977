// The signed-in person's menu: their picture (or initial) and name, then their account, notification
// settings and signing out — one place, as Clerk's user button has it.
export function UserMenu({
	name,
	email,
	avatarUrl,
	currentPath,
}: {
	name: string;
	email: string;
	avatarUrl: string | null;
	currentPath: string;
}) {
	const initial = (name.trim()[0] ?? email[0] ?? "?").toUpperCase();
	return (
		<details class="user-menu menu">
			<summary>
				{avatarUrl ? (
					<img src={avatarUrl} alt="" width="32" height="32" class="avatar" />
				) : (
					<span class="avatar initial" aria-hidden="true">
						{initial}
					</span>
				)}
				<span class="who-name">{name}</span>
			</summary>
			<div class="menu-panel">
				<p class="menu-heading">
					{name}
					<br />
					<span class="muted small">{email}</span>
				</p>
				<ul>
					<li>
						<a href="/account" aria-current={currentPath === "/account" ? "page" : undefined}>
							Your account
						</a>
					</li>
					<li>
						<a href="/account/notifications">Notification settings</a>
					</li>
					<li>
						<form method="post" action="/sign-out">
							<button type="submit" class="link-button">
								Sign out
							</button>
						</form>
					</li>
				</ul>
			</div>
		</details>
	);
}
