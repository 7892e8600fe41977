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

export interface WebhookEvent {
	type: WebhookEventType;
	data: Record<string, unknown>;
}

/** The body every endpoint receives for an event. */
export function webhookBody(event: WebhookEvent, atMs: number): string {
	return JSON.stringify({ type: event.type, timestamp: new Date(atMs).toISOString(), data: event.data });
}
