// Adding up the day totals (all organizations together, kept by the daily job) into the console's
// weekly trend. Weeks start on Monday (UTC). Adoption is a point-in-time share: adopted organizations
// over active organizations on the last day of the week with figures.
import type { TicketCategory } from "../db/schema.ts";
import { TICKET_CATEGORIES } from "../db/schema.ts";
import { DAY_MS, dayKey } from "./figures.ts";

export const TARGETS = { adoption: 70, selfService: 85 } as const;

/** One day, all organizations together. */
export interface DayTotals {
	day: string;
	organizations: number;
	adopted: number;
	activeSessions: number;
	selfServedSessions: number;
	suggestionSessions: number;
	deflectedSessions: number;
	tickets: Partial<Record<string, number>>;
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

/** Day totals with their tickets, from the two totals tables' rows. */
export function dayTotals(
	totals: Omit<DayTotals, "tickets">[],
	tickets: { day: string; category: string; count: number }[],
): DayTotals[] {
	const byDay = new Map(totals.map((t) => [t.day, { ...t, tickets: {} as Partial<Record<string, number>> }]));
	for (const t of tickets) {
		const day = byDay.get(t.day);
		if (day) day.tickets[t.category] = (day.tickets[t.category] ?? 0) + t.count;
	}
	return [...byDay.values()];
}

export function weeklyReport(days: DayTotals[]): WeekFigures[] {
	const weeks = new Map<string, DayTotals[]>();
	for (const day of days) {
		const key = weekStart(day.day);
		weeks.set(key, [...(weeks.get(key) ?? []), day]);
	}
	return [...weeks.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([week, list]) => {
			const last = [...list].sort((a, b) => a.day.localeCompare(b.day)).at(-1);
			const sum = (f: (d: DayTotals) => number) => list.reduce((n, d) => n + f(d), 0);
			const tickets = Object.fromEntries(TICKET_CATEGORIES.map((c) => [c, sum((d) => d.tickets[c] ?? 0)])) as Record<
				TicketCategory,
				number
			>;
			const active = sum((d) => d.activeSessions);
			const suggestions = sum((d) => d.suggestionSessions);
			return {
				week,
				adoption: last ? percent(last.adopted, last.organizations) : null,
				selfService: percent(
					sum((d) => d.selfServedSessions),
					active,
				),
				deflection: percent(
					sum((d) => d.deflectedSessions),
					suggestions,
				),
				activeSessions: active,
				suggestionSessions: suggestions,
				tickets,
				ticketTotal: Object.values(tickets).reduce((n, v) => n + v, 0),
			};
		});
}
