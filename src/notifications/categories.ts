// Notification categories, what they are for, and the defaults a role starts with.
import type { NotificationCategory } from "../db/schema.ts";

export const CATEGORY_INFO: Record<NotificationCategory, { label: string; description: string }> = {
	billing: { label: "Billing", description: "Payments, invoices and plan changes" },
	team: { label: "Team changes", description: "Invitations accepted, roles changed, members removed" },
	usage: { label: "Usage alerts", description: "Usage approaching or over the plan's limits" },
	keys: { label: "API keys", description: "Keys rotated, revoked or about to expire" },
	security: { label: "Security", description: "Sign-in and account changes (always on)" },
	support: { label: "Support replies", description: "Answers to your support tickets" },
	product: { label: "Product news", description: "New features and changes to the portal" },
};

export interface ChannelChoice {
	email: boolean;
	inApp: boolean;
}

/** Security notices reach everyone on both channels, whatever the preferences say. */
export function isForced(category: NotificationCategory): boolean {
	return category === "security";
}

/** Sensible defaults per role: email for what the role is responsible for, in-app for everything. */
export function defaultChoice(category: NotificationCategory, permissions: readonly string[]): ChannelChoice {
	const has = (p: string) => permissions.includes(p);
	const email: Record<NotificationCategory, boolean> = {
		billing: has("billing:read"),
		team: has("members:manage"),
		usage: has("billing:manage") || has("members:manage"),
		keys: has("keys:manage"),
		security: true,
		support: true,
		product: false,
	};
	return { email: email[category], inApp: true };
}
