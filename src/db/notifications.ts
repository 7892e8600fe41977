// Notifications and preferences (tenant data: every query goes through the organization-bound helpers),
// and the recipients of a notification (control plane: members and their roles).
import { and, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import type { Db } from "./client.ts";
import {
	memberships,
	type NotificationCategory,
	notificationPreferences,
	notifications,
	roles,
	users,
} from "./schema.ts";
import type { TenantData } from "./tenant-data.ts";

export const INBOX_PAGE = 50;

/** Members of the organization (or the given users, member or not), with their permissions there. */
export function recipientsQuery(db: Db, orgId: string, userIds: string[] | null) {
	return db
		.select({
			userId: users.id,
			email: users.email,
			name: users.name,
			permissions: roles.permissions,
			isMember: sql<number>`${memberships.id} is not null`,
		})
		.from(users)
		.leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, orgId)))
		.leftJoin(roles, eq(roles.id, memberships.roleId))
		.where(userIds ? inArray(users.id, userIds) : eq(memberships.orgId, orgId));
}

export async function preferencesFor(tenant: TenantData, userIds: string[], category?: NotificationCategory) {
	if (userIds.length === 0) return [];
	const rows = await tenant.select(
		notificationPreferences,
		and(
			inArray(notificationPreferences.userId, userIds),
			category ? eq(notificationPreferences.category, category) : undefined,
		),
	);
	return rows;
}

export function insertNotification(
	tenant: TenantData,
	input: { userId: string; category: NotificationCategory; title: string; body: string; link: string | null },
) {
	return tenant.insert(notifications, { id: newId("evt"), ...input });
}

/** A page of the inbox and the unread count, in one round trip. */
export async function loadInbox(tenant: TenantData, userId: string, beforeId: string | null) {
	const [rows, unread] = await tenant.batch([
		tenant
			.select(
				notifications,
				and(eq(notifications.userId, userId), beforeId ? lt(notifications.id, beforeId) : undefined),
			)
			.orderBy(desc(notifications.id))
			.limit(INBOX_PAGE + 1),
		tenant.count(notifications, and(eq(notifications.userId, userId), isNull(notifications.readAt))),
	]);
	return { items: rows, unread: unread[0]?.n ?? 0 };
}

export function findNotification(tenant: TenantData, userId: string, id: string) {
	return tenant
		.select(notifications, and(eq(notifications.userId, userId), eq(notifications.id, id)))
		.limit(1)
		.then((rows) => rows[0] ?? null);
}

export function markRead(tenant: TenantData, userId: string, id: string, nowMs: number) {
	return tenant.update(
		notifications,
		{ readAt: nowMs },
		and(eq(notifications.userId, userId), eq(notifications.id, id), isNull(notifications.readAt)),
	);
}

export function markAllRead(tenant: TenantData, userId: string, nowMs: number) {
	return tenant.update(
		notifications,
		{ readAt: nowMs },
		and(eq(notifications.userId, userId), isNull(notifications.readAt)),
	);
}

export async function countUnread(tenant: TenantData, userId: string): Promise<number> {
	const [row] = await tenant.count(notifications, and(eq(notifications.userId, userId), isNull(notifications.readAt)));
	return row?.n ?? 0;
}

export function upsertPreference(
	tenant: TenantData,
	userId: string,
	category: NotificationCategory,
	choice: { email: boolean; inApp: boolean },
) {
	const set = { email: choice.email, inApp: choice.inApp, updatedAt: Date.now() };
	return tenant.upsert(
		notificationPreferences,
		{ userId, category, ...set },
		[notificationPreferences.orgId, notificationPreferences.userId, notificationPreferences.category],
		set,
	);
}

export function pruneNotificationsBefore(tenant: TenantData, cutoffMs: number) {
	return tenant.delete(notifications, or(lt(notifications.createdAt, cutoffMs)));
}
