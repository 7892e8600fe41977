// Field rules shared by the settings forms: trimmed, length-limited, no control characters. Names are
// stored as typed and always rendered as text, so HTML in them is harmless.
import * as z from "zod";
import { hasControlCharacter } from "../lib/text.ts";

export function textField(label: string, max: number, required = true) {
	const base = z
		.string({ error: `Enter ${label}.` })
		.trim()
		.max(max, { error: `Use at most ${max} characters.` })
		.refine((v) => !hasControlCharacter(v), {
			error: `${label[0]?.toUpperCase()}${label.slice(1)} cannot contain control characters.`,
		});
	return required ? base.refine((v) => v.length > 0, { error: `Enter ${label}.` }) : base;
}

export const LOCALES = {
	"en-US": "English (United States)",
	"en-GB": "English (United Kingdom)",
	"de-DE": "Deutsch (Deutschland)",
	"fr-FR": "Français (France)",
	"es-ES": "Español (España)",
	"nl-NL": "Nederlands (Nederland)",
	"pt-BR": "Português (Brasil)",
	"ja-JP": "日本語 (日本)",
} as const;

export function timeZones(): string[] {
	return Intl.supportedValuesOf("timeZone");
}

export function isTimeZone(value: string): boolean {
	try {
		new Intl.DateTimeFormat("en-US", { timeZone: value });
		return true;
	} catch {
		return false;
	}
}
