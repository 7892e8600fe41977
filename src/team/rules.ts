// The rules of team administration, independent of HTTP.
import * as z from "zod";
import { emailSchema } from "../auth/password-policy.ts";
import { BUILT_IN_ROLES, PERMISSIONS, type Permission } from "../auth/permissions.ts";
import { singleLine } from "../lib/text.ts";

export const INVITATION_DAYS = 7;
export const INVITATION_MS = INVITATION_DAYS * 24 * 60 * 60 * 1000;
export const MAX_INVITES_AT_ONCE = 20;

export function isOwnerRole(roleId: string): boolean {
	return roleId === BUILT_IN_ROLES.owner.id;
}

/** Nobody hands out more than they hold: a role may be granted only by someone holding all its permissions. */
export function canGrant(actorPermissions: readonly string[], rolePermissions: readonly string[]): boolean {
	return rolePermissions.every((p) => actorPermissions.includes(p));
}

/** The plan's seat limit (members plus pending invitations), or null for unlimited. */
export function seatLimit(planLimits: Record<string, number | null> | null | undefined): number | null {
	const seats = planLimits?.seats;
	return typeof seats === "number" ? seats : null;
}

/** Splits "a@x.com, b@y.com\nc@z.com" into addresses, each validated; duplicates collapse. */
export const emailListSchema = z
	.string({ error: "Enter at least one email address." })
	.max(5000, { error: "That is too much text." })
	.transform((text, ctx) => {
		const parts = [
			...new Set(
				text
					.split(/[\s,;]+/)
					.filter(Boolean)
					.map((p) => p.toLowerCase()),
			),
		];
		if (parts.length === 0) {
			ctx.addIssue({ code: "custom", message: "Enter at least one email address." });
			return z.NEVER;
		}
		if (parts.length > MAX_INVITES_AT_ONCE) {
			ctx.addIssue({ code: "custom", message: `Invite at most ${MAX_INVITES_AT_ONCE} people at once.` });
			return z.NEVER;
		}
		const bad = parts.filter((p) => !emailSchema.safeParse(p).success);
		if (bad.length > 0) {
			ctx.addIssue({ code: "custom", message: `Not valid email addresses: ${bad.join(", ")}` });
			return z.NEVER;
		}
		return parts;
	});

export const permissionListSchema = z
	.array(z.enum(Object.keys(PERMISSIONS) as [Permission, ...Permission[]], { error: "Unknown permission." }))
	.min(1, { error: "Choose at least one permission." })
	.transform((list) => [...new Set(["org:read", ...list])]);

export const roleNameSchema = singleLine(
	z
		.string({ error: "Name the role." })
		.trim()
		.min(2, { error: "Use at least 2 characters." })
		.max(40, { error: "Use at most 40 characters." }),
	"The role name",
).refine((name) => !["owner", "admin", "member"].includes(name.toLowerCase()), {
	error: "That name belongs to a built-in role.",
});

export function roleKey(name: string): string {
	return (
		name
			.toLowerCase()
			.normalize("NFKD")
			.replace(/[^a-z0-9]+/g, "-")
			.replace(/^-|-$/g, "")
			.slice(0, 40) || "role"
	);
}

export const domainListSchema = z
	.string()
	.max(1000)
	.transform((text, ctx) => {
		const domains = [
			...new Set(
				text
					.split(/[\s,;]+/)
					.filter(Boolean)
					.map((d) => d.toLowerCase().replace(/^@/, "")),
			),
		];
		const bad = domains.filter((d) => !/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(d));
		if (domains.length === 0 || bad.length > 0) {
			ctx.addIssue({
				code: "custom",
				message: bad.length
					? `Not valid domains: ${bad.join(", ")}`
					: "Enter at least one email domain, like example.com.",
			});
			return z.NEVER;
		}
		return domains.slice(0, 20);
	});

export function emailDomain(email: string): string {
	return email.slice(email.lastIndexOf("@") + 1);
}
