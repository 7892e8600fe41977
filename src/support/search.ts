// Turning what someone typed into an FTS5 query: only words survive (FTS syntax such as quotes,
// NEAR or column filters in the input is never passed through), common words are dropped, and the
// last word matches as a prefix because the person may still be typing it.
const STOP_WORDS = new Set(
	"a an and are as at be can do does for from how i if in is it my of on or our the to we what when where why with you your".split(
		" ",
	),
);

export function ftsQuery(text: string): string | null {
	const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
		.filter((w) => !STOP_WORDS.has(w))
		.slice(0, 12)
		.map((w) => w.slice(0, 40));
	if (words.length === 0) return null;
	const last = words.length - 1;
	return words.map((w, i) => (i === last && w.length >= 3 ? `"${w}"*` : `"${w}"`)).join(" OR ");
}

/** Splits FTS5 highlight output (matches between \u0002 and \u0003) into plain and marked parts. */
export function markedParts(text: string): { text: string; marked: boolean }[] {
	const parts: { text: string; marked: boolean }[] = [];
	for (const [i, piece] of text.replaceAll("\u0003", "\u0002").split("\u0002").entries()) {
		if (piece) parts.push({ text: piece, marked: i % 2 === 1 });
	}
	return parts;
}

/** A snippet of an article's Markdown as plain words: emphasis, code and heading marks and link targets dropped. */
export function plainSnippet(text: string): string {
	return text
		.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
		.replace(/(\*\*|__|`)/g, "")
		.replace(/(^|\s)#{1,6}\s/g, "$1")
		.replace(/\s+/g, " ");
}
