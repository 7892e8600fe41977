// The reads every request starts with — the organization behind the host and the visitor's session —
// in one batch, so a page costs one round trip before its own reads. Every statement is built once per
// isolate (`prepared`); the organization's row carries what every page needs, and a page that shows the
// rest (billing, mail sender, invite link) declares it and gets it in the same statement.
import { and, eq, gt, inArray, isNotNull, isNull, type SQLWrapper, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import {
	type DashboardPeriod,
	type DashboardReads,
	dashboardFromRows,
	dashboardStatements,
	MAIN_DASHBOARD_READS,
} from "./dashboard.ts";
import { type Bound, prepared, runBatch } from "./prepared.ts";
import { primaryDomainOf } from "./primary-domain.ts";
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
	requireMfa: organizations.requireMfa,
	purgeAfter: organizations.purgeAfter,
	planId: organizations.planId,
	planKey: plans.key,
	planName: plans.name,
	planLimits: plans.limits,
};

/** The rest of the organization's row: read only by the pages that show it (`withDetails`). */
const detailColumns = {
	mailFromName: organizations.mailFromName,
	mailFromAddress: organizations.mailFromAddress,
	mailDomain: organizations.mailDomain,
	mailDomainToken: organizations.mailDomainToken,
	mailDomainVerifiedAt: organizations.mailDomainVerifiedAt,
	inviteLinkToken: organizations.inviteLinkToken,
	inviteLinkDomains: organizations.inviteLinkDomains,
	ownershipNomineeId: organizations.ownershipNomineeId,
	ownershipNominatedBy: organizations.ownershipNominatedBy,
	legalName: organizations.legalName,
	billingEmail: organizations.billingEmail,
	billingAddress: organizations.billingAddress,
	taxIdType: organizations.taxIdType,
	taxIdValue: organizations.taxIdValue,
	deletionRequestedAt: organizations.deletionRequestedAt,
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
};

const orgBase = (db: Db) =>
	db.select(orgColumns).from(organizations).leftJoin(plans, eq(plans.id, organizations.planId));
const orgWithDetailsBase = (db: Db) =>
	db
		.select({ ...orgColumns, ...detailColumns })
		.from(organizations)
		.leftJoin(plans, eq(plans.id, organizations.planId));
const bySlug = (slug: SQLWrapper) => eq(organizations.slug, slug);
const byVerifiedDomain = (hostname: SQLWrapper) =>
	and(eq(domains.orgId, organizations.id), eq(domains.hostname, hostname), isNotNull(domains.verifiedAt));

const orgStatements = {
	slug: prepared(["value"], (db, p) => orgBase(db).where(bySlug(p.value)).limit(1)),
	domain: prepared(["value"], (db, p) => orgBase(db).innerJoin(domains, byVerifiedDomain(p.value)).limit(1)),
	slugWithDetails: prepared(["value"], (db, p) => orgWithDetailsBase(db).where(bySlug(p.value)).limit(1)),
	domainWithDetails: prepared(["value"], (db, p) =>
		orgWithDetailsBase(db).innerJoin(domains, byVerifiedDomain(p.value)).limit(1),
	),
};

function sessionQuery(db: Db, tokenHash: SQLWrapper, host: SQLWrapper, nowMs: SQLWrapper) {
	return (
		db
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
			// A member the directory deprovisioned is no member: their session shows the "no access" page.
			.leftJoin(
				memberships,
				and(
					eq(memberships.userId, sessions.userId),
					eq(memberships.orgId, sessions.orgId),
					isNull(memberships.deprovisionedAt),
				),
			)
			.leftJoin(roles, eq(roles.id, memberships.roleId))
			.where(
				and(
					eq(sessions.tokenHash, tokenHash),
					eq(sessions.host, host),
					gt(sessions.expiresAt, nowMs),
					gt(sessions.absoluteExpiresAt, nowMs),
				),
			)
			.limit(1)
	);
}

/** The organizations of the session's user, for the switcher — in the same batch, by subquery. */
function switcherQuery(db: Db, tokenHash: SQLWrapper, host: SQLWrapper) {
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
		.where(
			and(
				inArray(memberships.userId, sessionUser),
				eq(organizations.status, "active"),
				isNull(memberships.deprovisionedAt),
			),
		)
		.orderBy(organizations.name)
		.limit(50);
}

const sessionRead = prepared(["tokenHash", "host", "nowMs"], (db, p) => sessionQuery(db, p.tokenHash, p.host, p.nowMs));
const switcherRead = prepared(["tokenHash", "host"], (db, p) => switcherQuery(db, p.tokenHash, p.host));
/** A constant query stands in for an absent half so the batch keeps one shape (and one round trip). */
const noRows = prepared([], (db) => db.select({ none: sql<number>`1` }).from(sql`(select 1)`).where(sql`0`));

export type SiteOrganization = ReturnType<ReturnType<typeof orgStatements.slug>["map"]>[number];
/** The rest of the organization's row (`detailColumns`). */
export type OrganizationDetails = Omit<
	ReturnType<ReturnType<typeof orgStatements.slugWithDetails>["map"]>[number],
	keyof SiteOrganization
>;
export type SessionRow = ReturnType<ReturnType<typeof sessionRead>["map"]>[number];
export type SwitcherOrganization = ReturnType<ReturnType<typeof switcherRead>["map"]>[number];

export interface SiteReads {
	org: SiteOrganization | null;
	/** The rest of the organization's row, when the page declared it (`page.details`). */
	details: OrganizationDetails | null;
	session: SessionRow | null;
	organizations: SwitcherOrganization[];
	/** The overview's reads, when asked for: keyed by the session's organization (shared tier only). */
	dashboard: DashboardReads | null;
	/** The overview's main-database rows alone (what the dedicated tier needs from here). */
	dashboardMain: unknown[] | null;
	/** A page's own main-database reads, when it declared them (`page.main`). */
	pageMain: unknown[] | null;
}

/**
 * A page's reads from the main database, keyed by the session's organization, to ride in the site batch:
 * statements prepared with `sessionKeys` placeholders (`tokenHash`, `host`) and bound with them.
 */
export type PageMainReads = (db: Db, session: { tokenHash: string; host: string }) => readonly Bound<unknown>[];

const EMPTY: SiteReads = {
	org: null,
	details: null,
	session: null,
	organizations: [],
	dashboard: null,
	dashboardMain: null,
	pageMain: null,
};

export async function loadSite(
	db: Db,
	lookup: SiteLookup,
	session: { tokenHash: string; host: string } | null,
	nowMs: number,
	page: { dashboard?: DashboardPeriod; main?: PageMainReads; details?: boolean } = {},
): Promise<SiteReads> {
	if (lookup.kind === "apex" && !session) return EMPTY;
	const tenantSession = session && lookup.kind !== "apex" ? session : null;
	const orgRead =
		lookup.kind === "apex"
			? noRows(db, {})
			: orgStatements[`${lookup.kind}${page.details ? "WithDetails" : ""}` as const](db, {
					value: lookup.kind === "slug" ? lookup.slug : lookup.hostname,
				});
	const dashboard =
		tenantSession && page.dashboard ? dashboardStatements(db, tenantSession, page.dashboard, nowMs) : [];
	const pageMain = tenantSession && page.main ? page.main(db, tenantSession) : [];
	const [orgRows, sessionRows, orgList, ...rest] = await runBatch(db, [
		orgRead,
		session ? sessionRead(db, { ...session, nowMs }) : noRows(db, {}),
		session ? switcherRead(db, session) : noRows(db, {}),
		...dashboard,
		...pageMain,
	]);
	const dashboardRows = rest.slice(0, dashboard.length);
	const sessionRow = (sessionRows[0] as SessionRow | undefined) ?? null;
	const org = (orgRows[0] as (SiteOrganization & Partial<OrganizationDetails>) | undefined) ?? null;
	return {
		org,
		details: org && page.details ? (org as OrganizationDetails) : null,
		session: sessionRow,
		organizations: sessionRow ? (orgList as SwitcherOrganization[]) : [],
		dashboard: sessionRow && dashboardRows.length > 0 ? dashboardFromRows(dashboardRows) : null,
		dashboardMain: sessionRow && dashboardRows.length > 0 ? dashboardRows.slice(-MAIN_DASHBOARD_READS) : null,
		pageMain: sessionRow && pageMain.length > 0 ? rest.slice(dashboard.length) : null,
	};
}
