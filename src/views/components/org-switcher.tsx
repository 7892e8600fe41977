// The organization switcher: a form per organization, so switching is a POST (it signs in elsewhere).
export interface SwitcherProps {
	currentOrgId: string;
	organizations: { id: string; slug: string; name: string }[];
}

export function OrgSwitcher({ currentOrgId, organizations }: SwitcherProps) {
	const others = organizations.filter((o) => o.id !== currentOrgId);
	if (others.length === 0) return null;
	return (
		<details class="switcher">
			<summary>Switch organization</summary>
			<ul>
				{others.map((o) => (
					<li>
						<form method="post" action="/switch">
							<input type="hidden" name="slug" value={o.slug} />
							<button class="link-button" type="submit">
								{o.name}
							</button>
						</form>
					</li>
				))}
			</ul>
		</details>
	);
}
