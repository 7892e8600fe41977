// The tenant portal: what a member sees on their organization's host.

import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { DEFAULT_BRAND_PRIMARY } from "../db/schema.ts";
import { redirectTo, signedIn, tenantOf } from "../middleware/guards.ts";
import { checklistItems, tourSteps } from "../onboarding/guide.ts";
import { NotAMemberPage, PortalHome } from "../views/pages/portal-home.tsx";
import { SignInForm } from "../views/pages/sign-in.tsx";
import { renderPage } from "../views/render.tsx";
import { oauthButtons } from "./oauth.tsx";

export const portalRoutes = new Hono<AppEnv>();

portalRoutes.get("/", (c) => {
	const { org } = tenantOf(c);
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
	return renderPage(c, {
		title: "Overview",
		body: (
			<PortalHome
				orgName={org.name}
				planName={org.planName}
				viewerName={viewer.name}
				roleName={viewer.membership.roleName}
				membership={viewer.membership}
				emailVerified={viewer.emailVerified}
				tour={viewer.onboarding.tourDone ? null : tourSteps(viewer.membership)}
				checklist={
					checklist && !viewer.onboarding.checklistDismissed && checklist.some((i) => !i.done) ? checklist : null
				}
			/>
		),
	});
});
