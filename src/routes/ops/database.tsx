// Console: move an organization to a dedicated database or back. The console claims the move (a second
// click is refused by that write) and queues it; the jobs consumer does the work (src/tenancy/move.ts).
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../context.ts";
import { commitWithAudit } from "../../db/audit.ts";
import { operatorAuditInsert } from "../../db/operators.ts";
import { findOrganizationForConsole } from "../../db/ops-console.ts";
import { jobDelivery } from "../../jobs/consumer.ts";
import { AppError } from "../../lib/errors.ts";
import { validate } from "../../lib/validate.ts";
import { redirectTo } from "../../middleware/guards.ts";
import { cancelOrganizationMove, claimOrganizationMove } from "../../tenancy/move.ts";
import { ConfirmAction } from "../../views/components/confirm-action.tsx";
import { isPartial, renderPage } from "../../views/render.tsx";
import { consoleTenant, operatorActor, opsPage, orgIdParam } from "./shared.tsx";

export const opsDatabaseRoutes = new Hono<AppEnv>();

const orgParam = z.object({ orgId: z.string().regex(orgIdParam, { error: "No such organization." }) });
const tier = z.object({ to: z.enum(["dedicated", "shared"], { error: "Choose dedicated or shared." }) });

async function organization(c: Parameters<typeof consoleTenant>[0], orgId: string) {
	const found = await findOrganizationForConsole(c.get("db"), orgId);
	if (!found) throw new AppError("not_found", "No such organization.");
	return found.org;
}

/** The organization's audit event and the operator log's, in one batch; returns the operator as actor. */
async function recordMove(
	c: Parameters<typeof consoleTenant>[0],
	org: Parameters<typeof consoleTenant>[1],
	action: "organization.database_move_started" | "organization.database_move_cancelled",
	metadata: Record<string, string>,
) {
	const db = c.get("db");
	const actor = operatorActor(c);
	await commitWithAudit(
		db,
		consoleTenant(c, org),
		actor,
		{ action, target: { type: "organization", id: org.id }, metadata },
		{ control: [operatorAuditInsert(db, { operator: actor, action, orgId: org.id, ip: actor.ip ?? null })] },
	);
	return actor;
}

opsDatabaseRoutes.get("/tenants/:orgId/database", validate("param", orgParam), validate("query", tier), async (c) => {
	const org = await organization(c, c.req.valid("param").orgId);
	const { to } = c.req.valid("query");
	const title = to === "dedicated" ? `Move ${org.name} to a dedicated database?` : `Move ${org.name} back?`;
	const confirm = (
		<ConfirmAction
			title={title}
			consequences={[
				to === "dedicated"
					? "A database of its own is created and migrated, and its tenant data (audit log, tickets, usage, notifications, invoices) is copied there."
					: "Its tenant data is copied back into the shared database, and its own database is emptied.",
				"While the copy runs (seconds for most organizations), its people can read but their changes are refused with “try again in a few seconds”. Nothing is lost.",
				"Recorded in its audit log and the operator log.",
			]}
			action={`/ops/tenants/${org.id}/database`}
			hidden={{ to }}
			submit={to === "dedicated" ? "Move to a dedicated database" : "Move back to the shared database"}
			cancelHref={`/ops/tenants/${org.id}`}
		/>
	);
	return isPartial(c) ? renderPage(c, { title, body: confirm }) : opsPage(c, { title, body: confirm });
});

opsDatabaseRoutes.post("/tenants/:orgId/database", validate("param", orgParam), validate("form", tier), async (c) => {
	const org = await organization(c, c.req.valid("param").orgId);
	if (org.status !== "active") throw new AppError("conflict", "Only an active organization can be moved.");
	const { to } = c.req.valid("form");
	const db = c.get("db");
	const claimAt = Date.now();
	await claimOrganizationMove(db, org.id, to, claimAt);
	const actor = await recordMove(c, org, "organization.database_move_started", { to });
	await jobDelivery(c.env)([
		{
			message: { kind: "move", orgId: org.id, to, claimAt, operator: { id: actor.id, label: actor.label } },
			delaySeconds: 0,
		},
	]);
	return redirectTo(c, `/ops/tenants/${org.id}?notice=moving`);
});

opsDatabaseRoutes.post("/tenants/:orgId/database/cancel", validate("param", orgParam), async (c) => {
	const org = await organization(c, c.req.valid("param").orgId);
	const db = c.get("db");
	await cancelOrganizationMove(c.env, db, c.get("dbConfig"), org.id);
	await recordMove(c, org, "organization.database_move_cancelled", {});
	return redirectTo(c, `/ops/tenants/${org.id}?notice=move-cancelled`);
});
