// The support vocabulary: ticket categories and statuses, and the knowledge base's categories. The
// schema's enums and the pages' choices both read them from here (views import no runtime value from db/).
export const TICKET_CATEGORIES = ["billing", "account", "usage", "technical", "other"] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
export const TICKET_STATUSES = ["open", "waiting", "resolved"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const KB_CATEGORIES = [
	"Getting started",
	"Billing",
	"Team",
	"API keys",
	"Usage",
	"Account",
	"Security",
] as const;
