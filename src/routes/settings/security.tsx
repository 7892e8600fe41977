// Organization security settings (`settings:manage`): requiring MFA of every member.
import { Hono } from "hono";
import { z } from "zod";
import { auditActor } from "../../audit/actor.ts";
import type { AppEnv } from "../../context.ts";
import { commitWithAudit } from "../../db/audit.ts";
import { setRequireMfa } from "../../db/organizations.ts";
import { validate } from "../../lib/validate.ts";
import { redirectTo, requirePermission, signedIn, tenantOf } from "../../middleware/guards.ts";
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
		const { org, tenant } = tenantOf(c);
		const viewer = signedIn(c);
		if (!viewer) throw new Error("requirePermission runs first");
		const requireMfa = c.req.valid("form").requireMfa === "true";
		if (requireMfa && !viewer.mfaEnabled) {
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
		const db = c.get("db");
		await commitWithAudit(
			db,
			tenant,
			auditActor(c, viewer.userId, viewer.name),
			{
				action: "organization.mfa_requirement_changed",
				target: { type: "organization", id: org.id },
				metadata: { before: org.requireMfa, after: requireMfa },
			},
			{ control: [setRequireMfa(db, org.id, requireMfa)] },
		);
		return redirectTo(c, "/settings/security");
	},
);
