// The tenant portal: what a member sees on their organization's host.

import { type Context, Hono } from "hono";
import { can } from "../auth/permissions.ts";
import { formatMoney } from "../billing/plans.ts";
import type { AppEnv, Viewer } from "../context.ts";
import { openTenantDatabase } from "../db/client.ts";
import { loadDashboard } from "../db/dashboard.ts";
import { DEFAULT_BRAND_PRIMARY } from "../db/schema.ts";
import { randomToken } from "../lib/crypto.ts";
import { dateFormats } from "../lib/dates.ts";
import { redirectTo, signedIn, tenantWithDetails } from "../middleware/guards.ts";
import { checklistItems, tourSteps } from "../onboarding/guide.ts";
import { metricUsage, periodFor } from "../usage/dashboard.ts";
import type { DashboardProps, Problem } from "../views/pages/dashboard.tsx";
import { SignInForm } from "../views/pages/identity/sign-in.tsx";
import { NotAMemberPage, PortalHome } from "../views/pages/portal-home.tsx";
import { renderPage } from "../views/render.tsx";
import { oauthButtons } from "./identity/oauth.tsx";

export const portalRoutes = new Hono<AppEnv>();

portalRoutes.get("/", async (c) => {
	const { org } = tenantWithDetails(c);
	const viewer = signedIn(c);
	if (c.get("viewer")?.mfaPending) return redirectTo(c, "/sign-in/mfa");
	if (!viewer)
		return renderPage(c, { title: "Sign in", body: <SignInForm orgName={org.name} oauth={oauthButtons(c)} /> });
	if (!viewer.membership) {
		return renderPage(c, {
			title: "No access",
			status: 403,
			body: <NotAMemberPage orgName={org.name} email={viewer.email} />,
		});
	}
	if (org.requireMfa && !viewer.mfaEnabled && !viewer.viewAs) return redirectTo(c, "/account/mfa");
	const checklist = checklistItems(viewer.membership, {
		emailVerified: viewer.emailVerified,
		onPaidPlan: (org.planPriceMinor ?? 0) > 0,
		mfaEnabled: viewer.mfaEnabled,
		teamSize: viewer.onboarding.teamSize,
		branded: org.logoUrl !== null || org.brandPrimary !== DEFAULT_BRAND_PRIMARY,
	});
	const dashboard = await dashboardProps(c, viewer as Viewer & { membership: NonNullable<Viewer["membership"]> });
	return renderPage(c, {
		title: "Overview",
		body: (
			<PortalHome
				dashboard={dashboard}
				orgName={org.name}
				planName={org.planName}
				viewerName={viewer.name}
				roleName={viewer.membership.roleName}
				emailVerified={viewer.emailVerified}
				tour={viewer.onboarding.tourDone ? null : tourSteps(viewer.membership)}
				checklist={
					checklist && !viewer.onboarding.checklistDismissed && checklist.some((i) => !i.done) ? checklist : null
				}
			/>
		),
	});
});

const SUBSCRIPTION_WORDS: Record<string, string> = {
	active: "Active",
	trialing: "In trial",
	past_due: "Payment failed — past due",
	unpaid: "Unpaid",
	canceled: "Cancelled",
	incomplete: "Waiting for the first payment",
	incomplete_expired: "First payment expired",
	paused: "Paused",
};

/** The overview's cards and problems from its reads (the site batch, or one batch on the dedicated tier). */
async function dashboardProps(
	c: Context<AppEnv>,
	viewer: Viewer & { membership: NonNullable<Viewer["membership"]> },
): Promise<DashboardProps> {
	const { org } = tenantWithDetails(c);
	const nowMs = Date.now();
	const period = periodFor(null, nowMs);
	const reads =
		c.get("overview") ??
		(await loadDashboard(
			c.get("db"),
			openTenantDatabase(c.get("db"), c.get("dbConfig"), org),
			{ orgId: org.id, userId: viewer.userId },
			period,
			nowMs,
			c.get("pageMain"),
		));
	const may = (permission: Parameters<typeof can>[1]) => can(viewer.membership, permission);
	const formats = dateFormats(viewer);
	const number = (n: number) => n.toLocaleString(viewer.locale, { maximumFractionDigits: 2 });
	const metrics = metricUsage(org.planLimits ?? {}, reads, period, nowMs).filter((m) => m.limit !== null);
	const problems: Problem[] = [];
	const pastDue = org.subscriptionStatus === "past_due" || org.subscriptionStatus === "unpaid";
	if (pastDue && may("billing:read")) {
		problems.push({
			id: "past-due",
			text: "The last payment failed, so the subscription is past due.",
			action: may("billing:manage")
				? { kind: "post", href: "/billing/portal", label: "Update payment method" }
				: { kind: "link", href: "/billing", label: "See billing" },
		});
	}
	if (may("usage:read")) {
		for (const m of metrics.filter((x) => x.level === "over")) {
			problems.push({
				id: `limit-${m.metric}`,
				text: `${m.label}: the ${org.planName ?? "plan's"} limit is reached (${number(m.used)} of ${number(m.limit ?? 0)}).`,
				action: may("billing:manage")
					? { kind: "link", href: "/billing", label: "Upgrade the plan" }
					: { kind: "link", href: "/usage", label: "See usage" },
			});
		}
	}
	if (org.cancelAtPeriodEnd && org.currentPeriodEndMs && may("billing:manage")) {
		problems.push({
			id: "cancelling",
			text: `The subscription ends on ${formats.date(org.currentPeriodEndMs)}.`,
			action: { kind: "link", href: "/billing", label: "Keep the subscription" },
		});
	}
	const nextCharge =
		org.nextAmountMinor !== null && org.currentPeriodEndMs && !org.cancelAtPeriodEnd && org.stripeSubscriptionId
			? `Next charge ${formatMoney(org.nextAmountMinor, "usd", viewer.locale)} on ${formats.date(org.currentPeriodEndMs)}`
			: null;
	const seats = metrics.find((m) => m.metric === "seats");
	return {
		nonce: randomToken(12),
		problems,
		plan: may("billing:read")
			? {
					name: org.planName ?? "No plan",
					status: org.subscriptionStatus
						? (SUBSCRIPTION_WORDS[org.subscriptionStatus] ?? org.subscriptionStatus)
						: (org.planPriceMinor ?? 0) > 0
							? "Active"
							: "Free",
					nextCharge,
					billingHref: "/billing",
				}
			: null,
		usage: may("usage:read")
			? metrics
					.filter((m) => m.metric !== "seats")
					.map((m) => ({
						label: m.label,
						used: number(m.used),
						limit: `${number(m.limit ?? 0)} ${m.unit}`,
						percent: m.percent ?? 0,
						level: m.level,
					}))
			: null,
		seats: may("org:read") ? { used: reads.seatsUsed, limit: seats?.limit ?? null, href: "/team" } : null,
		tickets: may("support:use") ? { open: reads.openTickets.mine, href: "/support" } : null,
		recent: may("audit:read")
			? reads.recent.map((e) => ({ action: e.action, actor: e.actorLabel, when: formats.dateTime(e.createdAt) }))
			: null,
	};
}
