// Reads for data exports and the export records themselves. Organization data comes through the
// organization-bound helpers and queries that name the organization; nothing here reads secrets
// (no password or token hashes, no TOTP secrets).
import { and, asc, desc, eq, getTableColumns } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import { auditAfter } from "./audit-chain.ts";
import type { Db } from "./client.ts";
import {
	apiKeys,
	auditEvents,
	dataExports,
	domains,
	invitations,
	memberships,
	notifications,
	organizations,
	plans,
	roles,
	sessions,
	users,
} from "./schema.ts";
import { ticketsForExport } from "./support.ts";
import type { TenantData } from "./tenant-data.ts";

export function insertExport(tenant: TenantData, kind: "organization" | "personal", requestedBy: string) {
	const id = newId("evt");
	return { id, query: tenant.insert(dataExports, { id, kind, requestedBy }) };
}

export async function findExport(tenant: TenantData, id: string) {
	const rows = await tenant.select(dataExports, eq(dataExports.id, id)).limit(1);
	return rows[0] ?? null;
}

export async function listExports(tenant: TenantData, requestedBy: string | null) {
	const rows = await tenant
		.select(dataExports, requestedBy ? eq(dataExports.requestedBy, requestedBy) : undefined)
		.orderBy(desc(dataExports.createdAt))
		.limit(10);
	return rows;
}

export function completeExport(
	tenant: TenantData,
	id: string,
	input: { objectKey: string; sizeBytes: number; expiresAt: number; completedAt: number },
) {
	return tenant.update(dataExports, { status: "ready", ...input }, eq(dataExports.id, id));
}

export function failExport(tenant: TenantData, id: string) {
	return tenant.update(dataExports, { status: "failed", completedAt: Date.now() }, eq(dataExports.id, id));
}

export async function organizationExportData(main: Db, tenant: TenantData) {
	const orgId = tenant.orgId;
	const [org, members, roleRows, invitationRows] = await main.batch([
		main
			.select({
				id: organizations.id,
				slug: organizations.slug,
				name: organizations.name,
				status: organizations.status,
				plan: plans.name,
				billingEmail: organizations.billingEmail,
				billingAddress: organizations.billingAddress,
				taxIdType: organizations.taxIdType,
				taxIdValue: organizations.taxIdValue,
				brandPrimary: organizations.brandPrimary,
				brandSecondary: organizations.brandSecondary,
				brandSurface: organizations.brandSurface,
				brandText: organizations.brandText,
				logoUrl: organizations.logoUrl,
				faviconUrl: organizations.faviconUrl,
				supportEmail: organizations.supportEmail,
				helpLinks: organizations.helpLinks,
				mailFromName: organizations.mailFromName,
				mailFromAddress: organizations.mailFromAddress,
				mailDomain: organizations.mailDomain,
				requireMfa: organizations.requireMfa,
				createdAt: organizations.createdAt,
			})
			.from(organizations)
			.leftJoin(plans, eq(plans.id, organizations.planId))
			.where(eq(organizations.id, orgId)),
		main
			.select({
				name: users.name,
				email: users.email,
				role: roles.name,
				mfaEnabled: users.mfaEnabled,
				joinedAt: memberships.createdAt,
				lastActiveAt: memberships.lastActiveAt,
			})
			.from(memberships)
			.innerJoin(users, eq(users.id, memberships.userId))
			.innerJoin(roles, eq(roles.id, memberships.roleId))
			.where(eq(memberships.orgId, orgId)),
		main
			.select({ id: roles.id, name: roles.name, permissions: roles.permissions, builtIn: roles.builtIn })
			.from(roles)
			.where(eq(roles.orgId, orgId)),
		main
			.select({
				email: invitations.email,
				role: roles.name,
				createdAt: invitations.createdAt,
				expiresAt: invitations.expiresAt,
				acceptedAt: invitations.acceptedAt,
				revokedAt: invitations.revokedAt,
			})
			.from(invitations)
			.innerJoin(roles, eq(roles.id, invitations.roleId))
			.where(eq(invitations.orgId, orgId)),
	]);
	// Key metadata only: never the hash (nor the secret, which is not stored at all).
	const keys = await main
		.select({
			id: apiKeys.id,
			name: apiKeys.name,
			prefix: apiKeys.prefix,
			last4: apiKeys.last4,
			scopes: apiKeys.scopes,
			createdBy: apiKeys.createdByLabel,
			createdAt: apiKeys.createdAt,
			expiresAt: apiKeys.expiresAt,
			revokedAt: apiKeys.revokedAt,
			lastUsedAt: apiKeys.lastUsedAt,
		})
		.from(apiKeys)
		.where(eq(apiKeys.orgId, orgId));
	const [domainRows, ticketList] = await Promise.all([
		main
			.select({ hostname: domains.hostname, verifiedAt: domains.verifiedAt, createdAt: domains.createdAt })
			.from(domains)
			.where(eq(domains.orgId, orgId)),
		ticketsForExport(tenant, null),
	]);
	return {
		organization: org[0] ?? null,
		members,
		roles: roleRows,
		invitations: invitationRows,
		keys,
		domains: domainRows,
		tickets: ticketList,
	};
}

export async function personalExportData(main: Db, tenant: TenantData, userId: string) {
	const [profile, orgs, sessionRows] = await main.batch([
		main
			.select({
				id: users.id,
				name: users.name,
				email: users.email,
				emailVerifiedAt: users.emailVerifiedAt,
				timeZone: users.timeZone,
				locale: users.locale,
				mfaEnabled: users.mfaEnabled,
				createdAt: users.createdAt,
			})
			.from(users)
			.where(eq(users.id, userId)),
		main
			.select({
				organization: organizations.name,
				slug: organizations.slug,
				role: roles.name,
				joinedAt: memberships.createdAt,
			})
			.from(memberships)
			.innerJoin(organizations, eq(organizations.id, memberships.orgId))
			.innerJoin(roles, eq(roles.id, memberships.roleId))
			.where(eq(memberships.userId, userId)),
		main
			.select({
				host: sessions.host,
				ip: sessions.ip,
				userAgent: sessions.userAgent,
				createdAt: sessions.createdAt,
				lastSeenAt: sessions.lastSeenAt,
			})
			.from(sessions)
			.where(eq(sessions.userId, userId)),
	]);
	const inbox = (await tenant.select(notifications, and(eq(notifications.userId, userId)))).map(
		({ orgId: _o, userId: _u, ...row }) => row,
	);
	const ticketList = await ticketsForExport(tenant, userId);
	return {
		profile: profile[0] ?? null,
		organizations: orgs,
		sessions: sessionRows,
		notifications: inbox,
		tickets: ticketList,
	};
}

/** The audit log's columns in an export (everything but the organization id). */
export const AUDIT_EXPORT_COLUMNS = Object.keys(getTableColumns(auditEvents)).filter((k) => k !== "orgId");

/**
 * One page of the audit log after a (createdAt, id) cursor, oldest first — everything, or one person's
 * own actions. Exports read the log this way, so its size never sits in memory.
 */
export async function auditPageForExport(
	tenant: TenantData,
	after: { createdAt: number; id: string } | null,
	limit: number,
	actorId?: string,
) {
	const rows = await tenant
		.select(auditEvents, and(actorId ? eq(auditEvents.actorId, actorId) : undefined, auditAfter(after)))
		.orderBy(asc(auditEvents.createdAt), asc(auditEvents.id))
		.limit(limit);
	return rows.map(({ orgId: _o, ...row }) => row);
}
