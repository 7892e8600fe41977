// A role picker with a visually hidden label (one per table row), optionally with a "none" choice.

export function RoleSelect({
	name,
	roles,
	selected,
	label,
	id,
	none,
}: {
	name: string;
	roles: { id: string; name: string }[];
	selected?: string | undefined;
	label: string;
	id: string;
	/** The label of an empty choice ("No role"), when there is one. */
	none?: string | undefined;
}) {
	return (
		<>
			<label for={id} class="visually-hidden">
				{label}
			</label>
			<select id={id} name={name}>
				{none ? (
					<option value="" selected={!selected}>
						{none}
					</option>
				) : null}
				{roles.map((r) => (
					<option value={r.id} selected={r.id === selected}>
						{r.name}
					</option>
				))}
			</select>
		</>
	);
}
