// CSV (RFC 4180) from rows of plain values; cells that a spreadsheet would run as a formula are quoted
// with a leading apostrophe.
function cell(value: unknown): string {
	let text =
		value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows without the header line, for a file written a page at a time. */
export function csvRows(rows: Record<string, unknown>[], columns: string[]): string {
	return rows.map((r) => `${columns.map((c) => cell(r[c])).join(",")}\r\n`).join("");
}

export function toCsv(rows: Record<string, unknown>[], columns?: string[]): string {
	const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
	return `${cols.join(",")}\r\n${csvRows(rows, cols)}`;
}
