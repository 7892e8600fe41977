// The one rule for single-line text we store and later put in headers, subjects and names: no control
// characters (CR LF would reach an email header; NUL and the rest confuse every consumer). Multi-line
// fields (descriptions, replies) allow only line breaks and tabs. `headerText` is the same rule applied
// to output, for any header we build from stored text.
import type { z } from "zod";

function isControl(code: number, allowBreaks: boolean): boolean {
	if (allowBreaks && (code === 0x0a || code === 0x0d || code === 0x09)) return false;
	return code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0x2028 || code === 0x2029;
}

export function hasControlCharacter(value: string, allowBreaks = false): boolean {
	for (const ch of value) if (isControl(ch.codePointAt(0) ?? 0, allowBreaks)) return true;
	return false;
}

/** A zod refinement for single-line text: `z.string().check(singleLine("The name"))`-style via `.refine`. */
export function singleLine<T extends z.ZodType<string>>(schema: T, label: string) {
	return schema.refine((v) => !hasControlCharacter(v), { error: `${label} cannot contain control characters.` });
}

/** Multi-line text: line breaks and tabs allowed, other control characters refused. */
export function multiLine<T extends z.ZodType<string>>(schema: T, label: string) {
	return schema.refine((v) => !hasControlCharacter(v, true), { error: `${label} cannot contain control characters.` });
}

/** Stored text made safe for a header value or subject line: control characters become spaces. */
export function headerText(value: string): string {
	return [...value]
		.map((ch) => (isControl(ch.codePointAt(0) ?? 0, false) ? " " : ch))
		.join("")
		.replace(/\s+/g, " ")
		.trim();
}
