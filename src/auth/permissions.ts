// The fixed permission vocabulary and the one check used by views and routes.
export const PERMISSIONS = {
	"org:read": "See the organization's portal",
	"settings:manage": "Change organization settings and branding",
	"members:manage": "Invite, remove and change the role of members",
	"roles:manage": "Create, edit and delete custom roles",
	"billing:read": "See the plan, invoices and payment method",
	"billing:manage": "Change the plan, payment method and cancel",
	"keys:manage": "Create, rotate and revoke API keys",
	"usage:read": "See usage against plan limits",
	"audit:read": "Search and export the audit log",
	"support:use": "Open and follow support tickets",
	"domains:manage": "Add and verify custom domains",
	"danger:manage": "Transfer ownership and delete the organization",
	"support:manage": "See and answer every support ticket of the organization",
	"sso:manage": "Set up single sign-on and the email domains it covers",
	"webhooks:manage": "Add and change webhook endpoints, see and replay their deliveries",
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

/** Built-in roles, shared by every organization (org_id NULL in the roles table). */
export const BUILT_IN_ROLES = {
	owner: { id: "rol_builtin_owner", name: "Owner", permissions: ALL_PERMISSIONS },
	admin: {
		id: "rol_builtin_admin",
		name: "Admin",
		permissions: ALL_PERMISSIONS.filter((p) => p !== "billing:manage" && p !== "danger:manage" && p !== "sso:manage"),
	},
	member: { id: "rol_builtin_member", name: "Member", permissions: ["org:read", "usage:read", "support:use"] },
} as const satisfies Record<string, { id: string; name: string; permissions: readonly Permission[] }>;

export interface PermissionHolder {
	permissions: readonly string[];
}

export function can(membership: PermissionHolder | null | undefined, permission: Permission): boolean {
	return membership?.permissions.includes(permission) ?? false;
}
