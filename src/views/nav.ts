// Portal sections. A section appears only for a role that holds its permission; each route checks
// the permission again on the server.
import type { Permission } from "../auth/permissions.ts";

export interface NavItem {
	href: string;
	label: string;
	permission: Permission;
}

export const PORTAL_SECTIONS: NavItem[] = [
	{ href: "/", label: "Overview", permission: "org:read" },
	{ href: "/team", label: "Team", permission: "org:read" },
	{ href: "/usage", label: "Usage", permission: "usage:read" },
	{ href: "/billing", label: "Billing", permission: "billing:read" },
	{ href: "/keys", label: "API keys", permission: "keys:manage" },
	{ href: "/team/roles", label: "Roles", permission: "roles:manage" },
	{ href: "/audit", label: "Audit log", permission: "audit:read" },
	{ href: "/support", label: "Support", permission: "support:use" },
	{ href: "/help", label: "Help", permission: "org:read" },
	{ href: "/settings", label: "Settings", permission: "settings:manage" },
];
