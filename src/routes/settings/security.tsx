// Organization security settings (`settings:manage`): requiring MFA of every member.
import { Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../../context.ts";
import { validate } from "../../lib/validate.ts";
import { me, redirectTo, requirePermission, signedIn, tenantOf } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { setMfaRequirement } from "../../settings/service.ts";
import { SecuritySettingsPage } from "../../views/pages/settings/security.tsx";
import { renderPage } from "../../views/render.tsx";

export const securitySettingsRoutes = new Hono<AppEnv>();
securitySettingsRoutes.use("/", requirePermission("settings:manage"));

securitySettingsRoutes.get("/", (c) => {
	const { org } = tenantOf(c);
	return renderPage(c, {
		title: "Security",
		body: <SecuritySettingsPage requireMfa={org.requireMfa} viewerHasMfa={signedIn(c)?.mfaEnabled ?? false} />,
	});
});

securitySettingsRoutes.post(
	"/",
	validate("form", z.strictObject({ requireMfa: z.enum(["true", "false"]) })),
	async (c) => {
		const { org } = tenantOf(c);
		const requireMfa = c.req.valid("form").requireMfa === "true";
		if (!(await setMfaRequirement(unitOf(c), org, requireMfa, me(c).mfaEnabled))) {
			return renderPage(c, {
				title: "Security",
				status: 422,
				body: (
					<SecuritySettingsPage
						requireMfa={org.requireMfa}
						viewerHasMfa={false}
						error="Set up two-step verification for your own account first (Your account → Two-step verification)."
					/>
				),
			});
		}
		return redirectTo(c, "/settings/security");
	},
);
