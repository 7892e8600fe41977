// CSV (RFC 4180) from rows of plain values; cells that a spreadsheet would run as a formula are quoted
// with a leading apostrophe.
export function toCsv(rows: Record<string, unknown>[], columns?: string[]): string {
	const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
	const cell = (value: unknown): string => {
		let text =
			value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
		if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
		return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
	};
	return `${[cols.join(","), ...rows.map((r) => cols.map((c) => cell(r[c])).join(","))].join("\r\n")}\r\n`;
}
