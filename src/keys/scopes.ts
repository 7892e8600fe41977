// The scopes the vendor's product understands. A key carries a subset; verification returns them.
export const API_SCOPES = {
	"data:read": "Read data through the product API",
	"data:write": "Create and change data through the product API",
	"usage:write": "Report usage events",
	webhooks: "Manage webhook endpoints",
} as const;

export type ApiScope = keyof typeof API_SCOPES;

export const GRACE_PERIODS = { none: 0, "1h": 3_600_000, "24h": 86_400_000, "7d": 604_800_000 } as const;
export type GracePeriod = keyof typeof GRACE_PERIODS;
