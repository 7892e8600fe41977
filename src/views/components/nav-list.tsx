// A navigation list that marks the current page: the portal's sections and the operator console's.
export function NavList({
	label,
	items,
	currentPath,
}: {
	label: string;
	items: { href: string; label: string }[];
	currentPath: string;
}) {
	return (
		<nav aria-label={label}>
			<ul>
				{items.map((item) => (
					<li>
						<a href={item.href} aria-current={item.href === currentPath ? "page" : undefined}>
							{item.label}
						</a>
					</li>
				))}
			</ul>
		</nav>
	);
}
