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

export function dateFormats({ locale, timeZone }: Zone): DateFormats {
	const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone });
	const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone });
	const instant = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium", timeZone });
	const utcDay = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
	const month = new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" });
	return {
		date: (ms) => date.format(ms),
		dateTime: (ms) => dateTime.format(ms),
		instant: (ms) => instant.format(ms),
		day: (isoDay) => utcDay.format(Date.parse(`${isoDay}T00:00:00Z`)),
		month: (ms) => month.format(ms),
	};
}

/** The console's operators work across time zones: UTC, said so. */
export const CONSOLE_ZONE: Zone = { locale: "en-US", timeZone: "UTC" };
