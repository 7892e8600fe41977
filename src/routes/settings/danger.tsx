// The danger zone (`danger:manage`, Owners): deleting the organization, with a recent sign-in and the
// slug typed out; restorable for 30 days, then purged by housekeeping.

import { type Context, Hono } from "hono";
import { z } from "zod";
import { auditActor } from "../../audit/actor.ts";
import { clearSessionCookie } from "../../auth/session.ts";
import type { AppEnv } from "../../context.ts";
import { commitWithAudit } from "../../db/audit.ts";
import { deleteOrganizationSessions, restoreOrganization, scheduleDeletion } from "../../db/organizations.ts";
import { dateFormats } from "../../lib/dates.ts";
import { validateOr } from "../../lib/validate.ts";
import { me, redirectTo, requirePermission, stepUpOr, tenantOf } from "../../middleware/guards.ts";
import { notifyContext } from "../../notifications/context.ts";
import { notify } from "../../notifications/notify.ts";
import { DangerZonePage } from "../../views/pages/settings/danger.tsx";
import { renderPage } from "../../views/render.tsx";

export const DELETION_GRACE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

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
		const viewer = me(c);
		const { org, tenant } = tenantOf(c);
		if (org.status !== "active") return redirectTo(c, "/settings/danger");
		if (c.req.valid("form").confirm.trim() !== org.slug) return dangerPage(c, `Type ${org.slug} exactly to confirm.`);
		const db = c.get("db");
		const nowMs = Date.now();
		const purgeAfter = nowMs + DELETION_GRACE_DAYS * DAY_MS;
		await notify(
			notifyContext(c),
			{ permission: "danger:manage" },
			{
				category: "security",
				title: `${org.name} is scheduled for deletion`,
				body: `${viewer.name} deleted ${org.name}. Its data will be purged after ${DELETION_GRACE_DAYS} days; an Owner can restore it until then from the danger zone.`,
			},
		);
		// Deletion and the end of every session here are one batch with their audit event.
		await commitWithAudit(
			db,
			tenant,
			auditActor(c, viewer.userId, viewer.name),
			{
				action: "organization.deletion_scheduled",
				target: { type: "organization", id: org.id },
				metadata: { purgeAfter },
			},
			{
				control: [scheduleDeletion(db, org.id, nowMs, purgeAfter), deleteOrganizationSessions(db, org.id)],
			},
		);
		clearSessionCookie(c);
		return redirectTo(c, "/");
	},
);

dangerRoutes.post("/restore", async (c) => {
	const viewer = me(c);
	const { org, tenant } = tenantOf(c);
	if (org.status !== "deleted" || !org.purgeAfter || org.purgeAfter < Date.now()) return redirectTo(c, "/");
	const db = c.get("db");
	await commitWithAudit(
		db,
		tenant,
		auditActor(c, viewer.userId, viewer.name),
		{ action: "organization.restored", target: { type: "organization", id: org.id } },
		{
			control: [restoreOrganization(db, org.id)],
		},
	);
	return redirectTo(c, "/");
});
