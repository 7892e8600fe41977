// The one way dates reach a page: in the viewer's locale and time zone, day-precision or to the minute.
// CSV files and exports carry ISO 8601 (UTC) instead; machines read those.
export interface Zone {
	locale: string;
	timeZone: string;
}

export interface DateFormats {
	/** "Dec 1, 2026" */
	date(ms: number): string;
	/** "Dec 1, 2026, 9:57 PM" */
	dateTime(ms: number): string;
	/** To the second, for records where order matters (the audit log): "Dec 1, 2026, 9:57:42 PM" */
	instant(ms: number): string;
	/** A UTC calendar day ("2026-12-01", as usage buckets are keyed) in the viewer's words. */
	day(isoDay: string): string;
	/** "December 2026" (billing periods are UTC months) */
	month(ms: number): string;
}

/**
 * Building an Intl formatter costs far more than formatting with one (measured: a fifth of the overview's
 * CPU when every page built five), so each (locale, time zone, style) is built once per isolate, on first
 * use. The cache holds formatters, nothing of a request; bounded, since locales and zones are open sets.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 256;

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${locale}|${JSON.stringify(options)}`;
	let known = formatters.get(key);
	if (!known) {
		known = new Intl.DateTimeFormat(locale, options);
		if (formatters.size >= MAX_FORMATTERS) formatters.delete(formatters.keys().next().value as string);
		formatters.set(key, known);
	}
	return known;
}

export function dateFormats({ locale, timeZone }: Zone): DateFormats {
	return {
		date: (ms) => formatter(locale, { dateStyle: "medium", timeZone }).format(ms),
		dateTime: (ms) => formatter(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(ms),
		instant: (ms) => formatter(locale, { dateStyle: "medium", timeStyle: "medium", timeZone }).format(ms),
		day: (isoDay) =>
			formatter(locale, { dateStyle: "medium", timeZone: "UTC" }).format(Date.parse(`${isoDay}T00:00:00Z`)),
		month: (ms) => formatter(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(ms),
	};
}

/** The console's operators work across time zones: UTC, said so. */
export const CONSOLE_ZONE: Zone = { locale: "en-US", timeZone: "UTC" };
