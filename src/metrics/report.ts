// Adding up the daily figures of every organization into the console's weekly trend. Weeks start on
// Monday (UTC). Adoption is a point-in-time share: the last day of the week with figures.
import type { TicketCategory } from "../db/schema.ts";
import { TICKET_CATEGORIES } from "../db/schema.ts";
import { DAY_MS, dayKey } from "./figures.ts";

export const TARGETS = { adoption: 70, selfService: 85 } as const;

export interface DailyFigures {
	day: string;
	orgId: string;
	adopted: boolean;
	activeSessions: number;
	selfServedSessions: number;
	suggestionSessions: number;
	deflectedSessions: number;
	tickets: Partial<Record<TicketCategory, number>>;
}

export interface WeekFigures {
	week: string;
	/** Percentages, null where there was nothing to measure. */
	adoption: number | null;
	selfService: number | null;
	deflection: number | null;
	activeSessions: number;
	suggestionSessions: number;
	tickets: Record<TicketCategory, number>;
	ticketTotal: number;
}

export function weekStart(day: string): string {
	const ms = Date.parse(`${day}T00:00:00Z`);
	const weekday = (new Date(ms).getUTCDay() + 6) % 7;
	return dayKey(ms - weekday * DAY_MS);
}

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

export function weeklyReport(rows: DailyFigures[]): WeekFigures[] {
	const weeks = new Map<string, DailyFigures[]>();
	for (const row of rows) {
		const key = weekStart(row.day);
		weeks.set(key, [...(weeks.get(key) ?? []), row]);
	}
	return [...weeks.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([week, list]) => {
			const lastDay =
				list
					.map((r) => r.day)
					.sort()
					.at(-1) ?? "";
			const onLastDay = list.filter((r) => r.day === lastDay);
			const sum = (f: (r: DailyFigures) => number) => list.reduce((n, r) => n + f(r), 0);
			const tickets = Object.fromEntries(TICKET_CATEGORIES.map((c) => [c, sum((r) => r.tickets[c] ?? 0)])) as Record<
				TicketCategory,
				number
			>;
			const active = sum((r) => r.activeSessions);
			const suggestions = sum((r) => r.suggestionSessions);
			return {
				week,
				adoption: percent(onLastDay.filter((r) => r.adopted).length, onLastDay.length),
				selfService: percent(
					sum((r) => r.selfServedSessions),
					active,
				),
				deflection: percent(
					sum((r) => r.deflectedSessions),
					suggestions,
				),
				activeSessions: active,
				suggestionSessions: suggestions,
				tickets,
				ticketTotal: Object.values(tickets).reduce((n, v) => n + v, 0),
			};
		});
}
