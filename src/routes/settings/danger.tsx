// The danger zone (`danger:manage`, Owners): deleting the organization, with a recent sign-in and the
// slug typed out; restorable for 30 days, then purged by housekeeping.

import { type Context, Hono } from "hono";
import * as z from "zod";
import { clearSessionCookie } from "../../auth/session.ts";
import type { AppEnv } from "../../context.ts";
import { dateFormats } from "../../lib/dates.ts";
import { validateOr } from "../../lib/validate.ts";
import { me, redirectTo, requirePermission, stepUpOr, tenantOf } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { restoreOrganization, scheduleOrganizationDeletion } from "../../settings/service.ts";
import { DangerZonePage } from "../../views/pages/settings/danger.tsx";
import { renderPage } from "../../views/render.tsx";

export const dangerRoutes = new Hono<AppEnv>();
dangerRoutes.use("*", requirePermission("danger:manage"));

function dangerPage(c: Context<AppEnv>, error?: string) {
	const { org } = tenantOf(c);
	const viewer = me(c);
	const when = { format: dateFormats(viewer).date };
	return renderPage(c, {
		title: "Danger zone",
		status: error ? 422 : 200,
		body: (
			<DangerZonePage
				slug={org.slug}
				orgName={org.name}
				scheduledFor={org.purgeAfter ? when.format(org.purgeAfter) : null}
				error={error}
			/>
		),
	});
}

dangerRoutes.get("/", (c) => stepUpOr(c, "/settings/danger") ?? dangerPage(c));

dangerRoutes.post(
	"/delete",
	validateOr("form", z.strictObject({ confirm: z.string().max(64) }), (c) =>
		dangerPage(c, "Type the organization's address to confirm."),
	),
	async (c) => {
		const stepUp = stepUpOr(c, "/settings/danger");
		if (stepUp) return stepUp;
		const result = await scheduleOrganizationDeletion(
			unitOf(c),
			tenantOf(c).org,
			c.req.valid("form").confirm,
			Date.now(),
		);
		if (result.outcome === "not-active") return redirectTo(c, "/settings/danger");
		if (result.outcome === "confirm") return dangerPage(c, result.message);
		clearSessionCookie(c);
		return redirectTo(c, "/");
	},
);

dangerRoutes.post("/restore", async (c) => {
	await restoreOrganization(unitOf(c), tenantOf(c).org, Date.now());
	return redirectTo(c, "/");
});
