// The reads every request starts with — the organization behind the host and the visitor's session —
// in one batch, so a page costs one round trip before its own reads.
import { and, eq, gt, inArray, isNotNull, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./client.ts";
import {
	type DashboardPeriod,
	type DashboardReads,
	dashboardFromRows,
	dashboardQueries,
	MAIN_DASHBOARD_READS,
} from "./dashboard.ts";
import {
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
import { primaryDomainOf } from "./system.ts";

export type SiteLookup = { kind: "apex" } | { kind: "slug"; slug: string } | { kind: "domain"; hostname: string };

/** What the layout and emails are drawn with, and where the portal lives: read with the organization. */
export const brandColumns = {
	brandPrimary: organizations.brandPrimary,
	brandSecondary: organizations.brandSecondary,
	brandSurface: organizations.brandSurface,
	brandText: organizations.brandText,
	logoUrl: organizations.logoUrl,
	faviconUrl: organizations.faviconUrl,
	supportEmail: organizations.supportEmail,
	helpLinks: organizations.helpLinks,
	/** The organization's first verified custom domain: links and emails use it. */
	customDomain: primaryDomainOf(organizations.id),
};

const orgColumns = {
	id: organizations.id,
	slug: organizations.slug,
	name: organizations.name,
	status: organizations.status,
	isolationTier: organizations.isolationTier,
	databaseUrl: organizations.databaseUrl,
	databaseAuthToken: organizations.databaseAuthToken,
	...brandColumns,
	mailFromName: organizations.mailFromName,
	mailFromAddress: organizations.mailFromAddress,
	mailDomain: organizations.mailDomain,
	mailDomainToken: organizations.mailDomainToken,
	mailDomainVerifiedAt: organizations.mailDomainVerifiedAt,
	requireMfa: organizations.requireMfa,
	inviteLinkToken: organizations.inviteLinkToken,
	inviteLinkDomains: organizations.inviteLinkDomains,
	ownershipNomineeId: organizations.ownershipNomineeId,
	ownershipNominatedBy: organizations.ownershipNominatedBy,
	planLimits: plans.limits,
	legalName: organizations.legalName,
	billingEmail: organizations.billingEmail,
	billingAddress: organizations.billingAddress,
	taxIdType: organizations.taxIdType,
	taxIdValue: organizations.taxIdValue,
	deletionRequestedAt: organizations.deletionRequestedAt,
	planId: organizations.planId,
	planPriceMinor: plans.priceMinor,
	stripeCustomerId: organizations.stripeCustomerId,
	stripeSubscriptionId: organizations.stripeSubscriptionId,
	subscriptionStatus: organizations.subscriptionStatus,
	currentPeriodEndMs: organizations.currentPeriodEndMs,
	cancelAtPeriodEnd: organizations.cancelAtPeriodEnd,
	nextAmountMinor: organizations.nextAmountMinor,
	scheduledPlanId: organizations.scheduledPlanId,
	paymentMethodSummary: organizations.paymentMethodSummary,
	stripeSyncedAt: organizations.stripeSyncedAt,
	purgeAfter: organizations.purgeAfter,
	planKey: plans.key,
	planName: plans.name,
};

function orgQuery(db: Db, lookup: Exclude<SiteLookup, { kind: "apex" }>) {
	const base = db.select(orgColumns).from(organizations).leftJoin(plans, eq(plans.id, organizations.planId));
	if (lookup.kind === "slug") return base.where(eq(organizations.slug, lookup.slug)).limit(1);
	return base
		.innerJoin(
			domains,
			and(eq(domains.orgId, organizations.id), eq(domains.hostname, lookup.hostname), isNotNull(domains.verifiedAt)),
		)
		.limit(1);
}

function sessionQuery(db: Db, tokenHash: string, host: string, nowMs: number) {
	return db
		.select({
			id: sessions.id,
			orgId: sessions.orgId,
			expiresAt: sessions.expiresAt,
			absoluteExpiresAt: sessions.absoluteExpiresAt,
			lastSeenAt: sessions.lastSeenAt,
			authenticatedAt: sessions.authenticatedAt,
			mfaVerified: sessions.mfaVerified,
			userId: users.id,
			emailVerifiedAt: users.emailVerifiedAt,
			avatarKey: users.avatarKey,
			mfaEnabled: users.mfaEnabled,
			email: users.email,
			name: users.name,
			timeZone: users.timeZone,
			locale: users.locale,
			viewAsOperatorId: sessions.viewAsOperatorId,
			viewAsOperatorLabel: sessions.viewAsOperatorLabel,
			membershipId: memberships.id,
			membershipOrgId: memberships.orgId,
			roleId: memberships.roleId,
			roleName: roles.name,
			permissions: roles.permissions,
			tourDoneAt: memberships.tourDoneAt,
			checklistDismissedAt: memberships.checklistDismissedAt,
			/** Members plus pending invitations: the onboarding checklist's "invite a teammate" reads it. */
			teamSize: sql<number>`(select count(*) from ${memberships} m2 where m2.org_id = ${sessions.orgId}) + (select count(*) from ${invitations} where ${invitations.orgId} = ${sessions.orgId} and ${invitations.acceptedAt} is null and ${invitations.revokedAt} is null and ${invitations.expiresAt} > ${nowMs})`,
			/** Unread notifications; only meaningful where tenant data shares this database (shared tier). */
			unread: sql<number>`(select count(*) from ${notifications} where ${notifications.orgId} = ${sessions.orgId} and ${notifications.userId} = ${sessions.userId} and ${notifications.readAt} is null)`,
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.leftJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.orgId, sessions.orgId)))
		.leftJoin(roles, eq(roles.id, memberships.roleId))
		.where(
			and(
				eq(sessions.tokenHash, tokenHash),
				eq(sessions.host, host),
				gt(sessions.expiresAt, nowMs),
				gt(sessions.absoluteExpiresAt, nowMs),
			),
		)
		.limit(1);
}

/** The organizations of the session's user, for the switcher — in the same batch, by subquery. */
function switcherQuery(db: Db, tokenHash: string, host: string) {
	const sessionUser = db
		.select({ userId: sessions.userId })
		.from(sessions)
		.where(and(eq(sessions.tokenHash, tokenHash), eq(sessions.host, host)));
	return db
		.select({
			id: organizations.id,
			slug: organizations.slug,
			name: organizations.name,
			customDomain: primaryDomainOf(organizations.id),
		})
		.from(memberships)
		.innerJoin(organizations, eq(organizations.id, memberships.orgId))
		.where(and(inArray(memberships.userId, sessionUser), eq(organizations.status, "active")))
		.orderBy(organizations.name)
		.limit(50);
}

export type SiteOrganization = Awaited<ReturnType<typeof orgQuery>>[number];
export type SessionRow = Awaited<ReturnType<typeof sessionQuery>>[number];

export type SwitcherOrganization = Awaited<ReturnType<typeof switcherQuery>>[number];

export interface SiteReads {
	org: SiteOrganization | null;
	session: SessionRow | null;
	organizations: SwitcherOrganization[];
	/** The overview's reads, when asked for: keyed by the session's organization (shared tier only). */
	dashboard: DashboardReads | null;
	/** The overview's main-database rows alone (what the dedicated tier needs from here). */
	dashboardMain: unknown[] | null;
	/** A page's own main-database reads, when it declared them (`page.main`). */
	pageMain: unknown[] | null;
}

/** A page's reads from the main database, keyed by the session's organization, to ride in the site batch. */
export type PageMainReads = (db: Db, orgId: SQL) => readonly BatchItem<"sqlite">[];

export async function loadSite(
	db: Db,
	lookup: SiteLookup,
	session: { tokenHash: string; host: string } | null,
	nowMs: number,
	page: { dashboard?: DashboardPeriod; main?: PageMainReads } = {},
): Promise<SiteReads> {
	if (lookup.kind === "apex" && !session) {
		return { org: null, session: null, organizations: [], dashboard: null, dashboardMain: null, pageMain: null };
	}
	// A constant query stands in for an absent half so the batch keeps one shape (and one round trip).
	const noRows = db.select({ none: sql<number>`1` }).from(sql`(select 1)`).where(sql`0`);
	const ofSession = (column: typeof sessions.orgId | typeof sessions.userId) =>
		session
			? sql`(select ${column} from ${sessions} where ${sessions.tokenHash} = ${session.tokenHash} and ${sessions.host} = ${session.host})`
			: sql`null`;
	const dashboard =
		session && lookup.kind !== "apex" && page.dashboard
			? dashboardQueries(
					db,
					{ orgId: ofSession(sessions.orgId), userId: ofSession(sessions.userId) },
					page.dashboard,
					nowMs,
				)
			: [];
	const pageMain = session && lookup.kind !== "apex" && page.main ? page.main(db, ofSession(sessions.orgId)) : [];
	const [orgRows, sessionRows, orgList, ...rest] = await db.batch([
		lookup.kind === "apex" ? noRows : orgQuery(db, lookup),
		session ? sessionQuery(db, session.tokenHash, session.host, nowMs) : noRows,
		session ? switcherQuery(db, session.tokenHash, session.host) : noRows,
		...dashboard,
		...pageMain,
	]);
	const dashboardRows = rest.slice(0, dashboard.length);
	const sessionRow = (sessionRows[0] as SessionRow | undefined) ?? null;
	return {
		org: (orgRows[0] as SiteOrganization | undefined) ?? null,
		session: sessionRow,
		organizations: sessionRow ? (orgList as SwitcherOrganization[]) : [],
		dashboard: sessionRow && dashboardRows.length > 0 ? dashboardFromRows(dashboardRows) : null,
		dashboardMain: sessionRow && dashboardRows.length > 0 ? dashboardRows.slice(-MAIN_DASHBOARD_READS) : null,
		pageMain: sessionRow && pageMain.length > 0 ? rest.slice(dashboard.length) : null,
	};
}
