// The portal's own figures, from portal events grouped by portal session. A session belongs to the day
// of its first event. Definitions (also in the README):
// - active session: completed a self-service action or filed a ticket;
// - self-served: completed at least one action and filed no ticket;
// - suggestion session: opened an article suggested beside the ticket form;
// - deflected: a suggestion session in which no ticket followed the first opened suggestion.
export interface EventLike {
	sessionId: string;
	kind: "sign_in" | "action" | "ticket" | "article_open";
	createdAt: number;
}

export interface SessionFigures {
	activeSessions: number;
	selfServedSessions: number;
	suggestionSessions: number;
	deflectedSessions: number;
}

export function sessionFigures(events: EventLike[], dayStartMs: number, dayEndMs: number): SessionFigures {
	const bySession = new Map<string, EventLike[]>();
	for (const e of events) bySession.set(e.sessionId, [...(bySession.get(e.sessionId) ?? []), e]);
	const figures: SessionFigures = {
		activeSessions: 0,
		selfServedSessions: 0,
		suggestionSessions: 0,
		deflectedSessions: 0,
	};
	for (const list of bySession.values()) {
		const first = Math.min(...list.map((e) => e.createdAt));
		if (first < dayStartMs || first >= dayEndMs) continue;
		const acted = list.some((e) => e.kind === "action");
		const tickets = list.filter((e) => e.kind === "ticket").map((e) => e.createdAt);
		if (acted || tickets.length > 0) figures.activeSessions++;
		if (acted && tickets.length === 0) figures.selfServedSessions++;
		const opens = list.filter((e) => e.kind === "article_open").map((e) => e.createdAt);
		if (opens.length > 0) {
			figures.suggestionSessions++;
			const firstOpen = Math.min(...opens);
			if (!tickets.some((t) => t >= firstOpen)) figures.deflectedSessions++;
		}
	}
	return figures;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export function dayKey(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

export function startOfDay(ms: number): number {
	return Math.floor(ms / DAY_MS) * DAY_MS;
}
