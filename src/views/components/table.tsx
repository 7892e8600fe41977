// A table with its column headings, scrolling sideways on a narrow screen instead of overflowing it.
import type { Child } from "hono/jsx";

export function Table({ columns, children }: { columns: string[]; children: Child }) {
	return (
		<div class="table-wrap">
			<table>
				<thead>
					<tr>
						{columns.map((c) => (
							<th scope="col">{c}</th>
						))}
					</tr>
				</thead>
				<tbody>{children}</tbody>
			</table>
		</div>
	);
}
