// The organization switcher: a form per organization, so switching is a POST (it signs in elsewhere).
// A search box narrows a long list (src/client/menus.js; without JavaScript the whole list shows), and
// "Create an organization" leads to sign-up on the vendor's site.
export interface SwitcherProps {
	currentOrgId: string;
	organizations: { id: string; slug: string; name: string }[];
	createHref: string;
}

/** From this many other organizations on, the list gets a search box. */
const SEARCH_FROM = 5;

export function OrgSwitcher({ currentOrgId, organizations, createHref }: SwitcherProps) {
	const current = organizations.find((o) => o.id === currentOrgId);
	const others = organizations.filter((o) => o.id !== currentOrgId);
	return (
		<details class="switcher menu">
			<summary>
				<span class="switcher-name">{current?.name ?? "Organizations"}</span>
			</summary>
			<div class="menu-panel">
				{others.length > 0 ? (
					<>
						<p class="menu-heading">Switch organization</p>
						{others.length >= SEARCH_FROM ? (
							<>
								<label class="visually-hidden" for="switcher-search">
									Search organizations
								</label>
								<input
									id="switcher-search"
									type="search"
									placeholder="Search organizations"
									data-filter="switcher-list"
									autocomplete="off"
								/>
							</>
						) : null}
						<ul id="switcher-list">
							{others.map((o) => (
								<li data-filter-text={`${o.name} ${o.slug}`.toLowerCase()}>
									<form method="post" action="/switch">
										<input type="hidden" name="slug" value={o.slug} />
										<button class="link-button" type="submit">
											{o.name}
										</button>
									</form>
								</li>
							))}
						</ul>
					</>
				) : null}
				<p>
					<a href={createHref}>Create an organization</a>
				</p>
			</div>
		</details>
	);
}
