// The webhook event catalog: every type an endpoint can subscribe to, what it means, and the shape of
// its `data` (documented in the portal with an example). An event's body is always
// `{ "type": …, "timestamp": ISO 8601, "data": … }`; its `webhook-id` is the event's own id.
export const WEBHOOK_EVENT_TYPES = {
	"member.added": "Someone joined the organization (an invitation accepted, the directory, single sign-on).",
	"member.removed": "A member was removed, left, or was deprovisioned by the directory.",
	"member.role_changed": "A member's role changed.",
	"invitation.created": "Someone was invited.",
	"api_key.created": "An API key was created.",
	"api_key.revoked": "An API key was revoked.",
	"subscription.updated": "The plan or the subscription's state changed.",
	"invoice.paid": "An invoice was paid.",
	"invoice.payment_failed": "An invoice's payment failed.",
	"usage.threshold_crossed": "Usage crossed an alert threshold of the plan's limit.",
	"ticket.updated": "A support ticket was answered or changed state.",
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENT_TYPES;

export const EVENT_TYPE_LIST = Object.keys(WEBHOOK_EVENT_TYPES) as WebhookEventType[];

/** Each type's `data`, as an example (sent by "Send test event", shown in the catalog). */
export const EXAMPLE_DATA: Record<WebhookEventType, Record<string, unknown>> = {
	"member.added": { id: "mem_01jexample", email: "ana@example.com", roleId: "rol_builtin_member", via: "invitation" },
	"member.removed": { id: "mem_01jexample", email: "ana@example.com", reason: "removed" },
	"member.role_changed": {
		id: "mem_01jexample",
		email: "ana@example.com",
		role: "admin",
		previousRoleId: "rol_builtin_member",
		roleId: "rol_builtin_admin",
	},
	"invitation.created": { id: "inv_01jexample", email: "ben@example.com", roleId: "rol_builtin_member" },
	"api_key.created": { id: "key_01jexample", name: "Production server", scopes: ["usage:write"], last4: "a1b2" },
	"api_key.revoked": { id: "key_01jexample", name: "Production server", last4: "a1b2" },
	"subscription.updated": { plan: "pro", status: "active", currentPeriodEnd: "2027-01-01T00:00:00.000Z" },
	"invoice.paid": { id: "in_1Nexample", number: "ACME-0007", amountPaid: 4900, currency: "usd" },
	"invoice.payment_failed": { id: "in_1Nexample", number: "ACME-0008", amountDue: 4900, currency: "usd" },
	"usage.threshold_crossed": { metric: "api_calls", threshold: 80, used: 812000, limit: 1000000 },
	"ticket.updated": { id: "tkt_01jexample", subject: "Invoice address", status: "answered" },
};

function schemaOf(value: unknown): Record<string, unknown> {
	if (Array.isArray(value)) return { type: "array", items: value.length ? schemaOf(value[0]) : {} };
	if (value !== null && typeof value === "object")
		return {
			type: "object",
			properties: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, schemaOf(v)])),
			required: Object.keys(value),
		};
	return { type: typeof value === "number" ? (Number.isInteger(value) ? "integer" : "number") : typeof value };
}

/** The JSON schema (draft 2020-12) of a type's whole body. */
export function eventSchema(type: WebhookEventType) {
	return {
		$schema: "https://json-schema.org/draft/2020-12/schema",
		title: type,
		type: "object",
		properties: {
			type: { const: type },
			timestamp: { type: "string", format: "date-time" },
			data: schemaOf(EXAMPLE_DATA[type]),
		},
		required: ["type", "timestamp", "data"],
	};
}

export interface WebhookEvent {
	type: WebhookEventType;
	data: Record<string, unknown>;
}

/** The body every endpoint receives for an event. */
export function webhookBody(event: WebhookEvent, atMs: number): string {
	return JSON.stringify({ type: event.type, timestamp: new Date(atMs).toISOString(), data: event.data });
}
