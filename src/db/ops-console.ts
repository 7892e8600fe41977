// The operator console's cross-tenant reads and writes — the system accessor's console half. Tickets
// are read per database (the main one for the shared tier, each dedicated one for its organization).
import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { listDailyTotalsSince } from "./metrics.ts";
import { requireThat } from "./preconditions.ts";
import { retentionStatsSince } from "./retention.ts";
import {
	memberships,
	organizations,
	plans,
	roles,
	type TicketCategory,
	type TicketStatus,
	tickets,
	users,
} from "./schema.ts";
import { brandColumns } from "./site.ts";

/** The directory: organizations by name, optionally those whose name or address contains `search`. */
function listOrganizationsForConsole(db: Db, options: { search?: string; limit?: number } = {}) {
	const pattern = options.search ? `%${options.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : null;
	return db
		.select({
			id: organizations.id,
			slug: organizations.slug,
			name: organizations.name,
			status: organizations.status,
			isolationTier: organizations.isolationTier,
			databaseUrl: organizations.databaseUrl,
			databaseAuthToken: organizations.databaseAuthToken,
			planName: plans.name,
			subscriptionStatus: organizations.subscriptionStatus,
			createdAt: organizations.createdAt,
			members: sql<number>`(select count(*) from ${memberships} m where m.org_id = ${organizations.id})`,
			lastActiveAt: sql<
				number | null
			>`(select max(m.last_active_at) from ${memberships} m where m.org_id = ${organizations.id})`,
		})
		.from(organizations)
		.leftJoin(plans, eq(plans.id, organizations.planId))
		.where(
			pattern
				? sql`(${organizations.name} like ${pattern} escape '\\' or ${organizations.slug} like ${pattern} escape '\\')`
				: undefined,
		)
		.orderBy(organizations.name)
		.limit(options.limit ?? 100);
}

/** An organization's name and where its tenant data lives: what the inbox needs to read its tickets. */
const placeColumns = {
	id: organizations.id,
	name: organizations.name,
	isolationTier: organizations.isolationTier,
	databaseUrl: organizations.databaseUrl,
	databaseAuthToken: organizations.databaseAuthToken,
};

/** Where the inbox must look besides the main database. */
/** How many dedicated-tier organizations there are past the first `skip`. */
async function countDedicatedBeyond(db: Db, skip: number): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)` })
		.from(organizations)
		.where(eq(organizations.isolationTier, "dedicated"));
	return Math.max(0, Number(row?.n ?? 0) - skip);
}

/**
 * Dedicated-tier organizations, at most `limit` (each is one database to read, one subrequest): the
 * inbox reads this many per page and says how many it left out.
 */
function listDedicatedOrganizations(db: Db, limit: number) {
	return db
		.select(placeColumns)
		.from(organizations)
		.where(eq(organizations.isolationTier, "dedicated"))
		.orderBy(organizations.id)
		.limit(limit);
}

async function organizationNames(db: Db, ids: string[]): Promise<Map<string, string>> {
	if (ids.length === 0) return new Map();
	const rows = await db
		.select({ id: organizations.id, name: organizations.name })
		.from(organizations)
		.where(inArray(organizations.id, ids));
	return new Map(rows.map((r) => [r.id, r.name]));
}

async function findOrganizationIdBySlug(db: Db, slug: string) {
	const [row] = await db.select(placeColumns).from(organizations).where(eq(organizations.slug, slug)).limit(1);
	return row ?? null;
}

export type ConsoleOrganization = Awaited<ReturnType<typeof listOrganizationsForConsole>>[number];

async function findOrganizationForConsole(db: Db, orgId: string) {
	const [orgRows, memberRows] = await db.batch([
		db
			.select({
				id: organizations.id,
				slug: organizations.slug,
				name: organizations.name,
				status: organizations.status,
				isolationTier: organizations.isolationTier,
				databaseUrl: organizations.databaseUrl,
				databaseAuthToken: organizations.databaseAuthToken,
				databaseMovingAt: organizations.databaseMovingAt,
				planId: organizations.planId,
				planName: plans.name,
				subscriptionStatus: organizations.subscriptionStatus,
				...brandColumns,
				createdAt: organizations.createdAt,
			})
			.from(organizations)
			.leftJoin(plans, eq(plans.id, organizations.planId))
			.where(eq(organizations.id, orgId))
			.limit(1),
		db
			.select({
				userId: users.id,
				name: users.name,
				email: users.email,
				role: roles.name,
				lastActiveAt: memberships.lastActiveAt,
			})
			.from(memberships)
			.innerJoin(users, eq(users.id, memberships.userId))
			.innerJoin(roles, eq(roles.id, memberships.roleId))
			.where(eq(memberships.orgId, orgId))
			.orderBy(users.name),
	]);
	const org = orgRows[0];
	return org ? { org, members: memberRows } : null;
}

export type ConsoleOrganizationDetail = NonNullable<Awaited<ReturnType<typeof findOrganizationForConsole>>>;

/**
 * Suspend or restore, only between active and suspended (deletion has its own flow): the condition and
 * the change, to run first in the batch with their audit events, so the status decides at write time.
 */
function suspensionWrites(db: Db, orgId: string, suspended: boolean) {
	const from = suspended ? "active" : "suspended";
	return [
		requireThat(
			db,
			sql`exists (select 1 from ${organizations} where ${organizations.id} = ${orgId} and ${organizations.status} = ${from})`,
			"organization status",
		),
		db
			.update(organizations)
			.set({ status: suspended ? "suspended" : "active", updatedAt: Date.now() })
			.where(and(eq(organizations.id, orgId), eq(organizations.status, from))),
	];
}

export interface InboxFilter {
	status?: TicketStatus | undefined;
	category?: TicketCategory | undefined;
	/** Only tickets whose last activity is older than this. */
	olderThanMs?: number | undefined;
}

/**
 * Inbox rows from one database: every shared-tier organization's in the main database (`orgId` null, or
 * one of them), or one dedicated organization's in its own.
 */
function listInboxTickets(
	db: Db,
	scope: { orgId: string | null; sharedTier: boolean },
	filter: InboxFilter,
	limit = 200,
) {
	return db
		.select({
			id: tickets.id,
			orgId: tickets.orgId,
			subject: tickets.subject,
			category: tickets.category,
			status: tickets.status,
			requesterLabel: tickets.requesterLabel,
			createdAt: tickets.createdAt,
			lastActivityAt: tickets.lastActivityAt,
		})
		.from(tickets)
		.where(
			and(
				scope.orgId ? eq(tickets.orgId, scope.orgId) : undefined,
				scope.sharedTier
					? sql`${tickets.orgId} in (select ${organizations.id} from ${organizations} where ${organizations.isolationTier} = 'shared')`
					: undefined,
				filter.status ? eq(tickets.status, filter.status) : undefined,
				filter.category ? eq(tickets.category, filter.category) : undefined,
				filter.olderThanMs ? lt(tickets.lastActivityAt, filter.olderThanMs) : undefined,
			),
		)
		.orderBy(desc(tickets.lastActivityAt))
		.limit(limit);
}

export type InboxTicket = Awaited<ReturnType<typeof listInboxTickets>>[number];

/**
 * The console's half of `systemAccess()`: reads across organizations (the directory, the ticket
 * inbox of a whole database) and the status change. Only the console's routes reach it, behind
 * `requireOperator`; it is not exported on its own.
 */
export function consoleAccess(db: Db) {
	return {
		listOrganizations: (options: { search?: string; limit?: number } = {}) => listOrganizationsForConsole(db, options),
		findOrganization: (orgId: string) => findOrganizationForConsole(db, orgId),
		findOrganizationIdBySlug: (slug: string) => findOrganizationIdBySlug(db, slug),
		organizationNames: (ids: string[]) => organizationNames(db, ids),
		listDedicatedOrganizations: (limit: number) => listDedicatedOrganizations(db, limit),
		countDedicatedBeyond: (skip: number) => countDedicatedBeyond(db, skip),
		suspensionWrites: (orgId: string, suspended: boolean) => suspensionWrites(db, orgId, suspended),
		/** The portal's daily figures across organizations since `fromDay`, with tickets per category. */
		dailyTotalsSince: (fromDay: string) => listDailyTotalsSince(db, fromDay),
		/** How the retention offers did across organizations since `sinceMs`. */
		retentionStatsSince: (sinceMs: number) => retentionStatsSince(db, sinceMs),
		/** Inbox rows from one database: `inDb` is the main database or one dedicated organization's. */
		listInboxTickets: (inDb: Db, scope: { orgId: string | null; sharedTier: boolean }, filter: InboxFilter) =>
			listInboxTickets(inDb, scope, filter),
	};
}
