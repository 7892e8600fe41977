// Tenant resolution and session: host → organization (custom domain first, then the subdomain label)
// and the visitor's session, read together in one batch.
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { sessionCookieName } from "../auth/session-cookie.ts";
import type { AppEnv, Viewer } from "../context.ts";
import { plansStatement } from "../db/billing.ts";
import { openTenantDatabase } from "../db/client.ts";
import { loadSite, type PageMainReads } from "../db/site.ts";
import { tenantData } from "../db/tenant-data.ts";
import { usageMainStatements } from "../db/usage.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { lookupForHost } from "../tenancy/hosts.ts";
import { periodFor } from "../usage/dashboard.ts";
import { OrganizationUnavailablePage } from "../views/pages/error-page.tsx";
import { renderPage } from "../views/render.tsx";
import { needsDetails } from "./guards.ts";

function pageMainReads(url: URL, nowMs: number): PageMainReads | undefined {
	if (url.pathname === "/usage") {
		const period = periodFor(url.searchParams.get("period"), nowMs);
		return (db, session) => usageMainStatements(db, session, period.startMs, period.endMs, nowMs);
	}
	if (url.pathname === "/billing") return (db) => [plansStatement(db, {})];
	return undefined;
}

export const resolveTenant = createMiddleware<AppEnv>(async (c, next) => {
	const url = new URL(c.req.url);
	const lookup = lookupForHost(url.hostname, c.get("config").PORTAL_DOMAIN);
	if (!lookup) return c.text("Not found", 404);
	c.set("host", url.host);

	const token = getCookie(c, sessionCookieName(url));
	const session = token ? { tokenHash: await sha256Hex(token), host: url.host } : null;
	const db = c.get("db");
	const nowMs = Date.now();
	// The overview's own reads ride in this batch (declared up front), so it stays one round trip.
	const overview = url.pathname === "/" && c.req.method === "GET" ? { dashboard: periodFor(null, nowMs) } : {};
	// The main-database reads of /usage and /billing ride along too (the dedicated tier needs them here).
	const main = c.req.method === "GET" ? pageMainReads(url, nowMs) : undefined;
	const details = needsDetails(c.req.method, url.pathname);
	const reads = await loadSite(db, lookup, session, nowMs, { ...overview, main, details });

	if (lookup.kind === "apex") {
		c.set("site", { kind: "apex" });
	} else {
		// An unknown slug or domain is the same plain 404 as a host nobody owns.
		if (!reads.org) return c.text("Not found", 404);
		const org = reads.org;
		c.set("site", {
			kind: "tenant",
			org,
			details: reads.details,
			tenant: tenantData({ orgId: org.id, db: openTenantDatabase(db, c.get("dbConfig"), org) }),
		});
	}

	const row = reads.session;
	const siteOrgId = lookup.kind === "apex" ? null : (reads.org?.id ?? null);
	let viewer: Viewer | null = null;
	if (row && row.orgId === siteOrgId) {
		viewer = {
			sessionId: row.id,
			userId: row.userId,
			email: row.email,
			name: row.name,
			timeZone: row.timeZone,
			locale: row.locale,
			viewAs: row.viewAsOperatorId
				? { operatorId: row.viewAsOperatorId, operatorLabel: row.viewAsOperatorLabel ?? "An operator" }
				: null,
			emailVerified: row.emailVerifiedAt !== null,
			avatarUrl: row.avatarKey ? `/files/${row.avatarKey}` : null,
			expiresAt: row.expiresAt,
			lastSeenAt: row.lastSeenAt,
			authenticatedAt: row.authenticatedAt,
			mfaEnabled: row.mfaEnabled,
			mfaPending: row.mfaEnabled && !row.mfaVerified,
			organizations: reads.organizations,
			unread: lookup.kind !== "apex" && reads.org?.isolationTier === "shared" ? row.unread : null,
			onboarding: {
				tourDone: row.tourDoneAt !== null,
				checklistDismissed: row.checklistDismissedAt !== null,
				teamSize: row.teamSize,
			},
			membership:
				row.membershipId && row.membershipOrgId === siteOrgId
					? {
							id: row.membershipId,
							roleId: row.roleId ?? "",
							roleName: row.roleName ?? "",
							permissions: row.permissions ?? [],
						}
					: null,
		};
	}
	c.set("viewer", viewer);
	// Only where the session's organization is this host's and its tenant data is in this database.
	c.set("overview", viewer?.membership && reads.org?.isolationTier === "shared" ? reads.dashboard : null);
	const dedicated = viewer?.membership && reads.org?.isolationTier === "dedicated";
	c.set("pageMain", viewer?.membership ? (dedicated ? (reads.dashboardMain ?? reads.pageMain) : reads.pageMain) : null);
	await next();
});

/** Paths an Owner needs while an organization waits for deletion: signing in and restoring it. */
const RESTORE_PATHS = /^\/(sign-in(\/.*)?|sign-out|account\/confirm|settings\/danger(\/restore)?|assets\/.*)$/;

/**
 * A suspended or deleted organization shows a clear page on every path of its host, and none of its
 * data — except that during the grace period after deletion its Owners can sign in and restore it.
 */
export const requireActiveOrganization = createMiddleware<AppEnv>(async (c, next) => {
	const site = c.get("site");
	if (site.kind !== "tenant" || site.org.status === "active") return next();
	const { org } = site;
	const restorable = org.status === "deleted" && (org.purgeAfter ?? 0) > Date.now();
	if (restorable && RESTORE_PATHS.test(new URL(c.req.url).pathname)) return next();
	const status = org.status === "deleted" ? "deleted" : "suspended";
	return renderPage(c, {
		title: "Portal unavailable",
		status: status === "deleted" ? 410 : 403,
		body: <OrganizationUnavailablePage name={org.name} status={status} restorable={restorable} />,
	});
});
