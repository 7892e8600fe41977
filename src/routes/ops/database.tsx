// Console: move an organization to a dedicated database or back. The console claims the move (a second
// click is refused by that write) and queues it; the jobs consumer does the work (src/tenancy/move.ts).
import { Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../../context.ts";
import { systemAccess } from "../../db/system.ts";
import { AppError } from "../../lib/errors.ts";
import { validate } from "../../lib/validate.ts";
import { redirectTo } from "../../middleware/guards.ts";
import { cancelDatabaseMove, startDatabaseMove } from "../../ops/verbs.ts";
import { ConfirmAction } from "../../views/components/confirm-action.tsx";
import { isPartial, renderPage } from "../../views/render.tsx";
import { type consoleTenant, operatorUnitOf, opsPage, orgIdParam } from "./shared.tsx";

export const opsDatabaseRoutes = new Hono<AppEnv>();

const orgParam = z.object({ orgId: z.string().regex(orgIdParam, { error: "No such organization." }) });
const tier = z.object({ to: z.enum(["dedicated", "shared"], { error: "Choose dedicated or shared." }) });

async function organization(c: Parameters<typeof consoleTenant>[0], orgId: string) {
	const found = await systemAccess(c.get("db")).console.findOrganization(orgId);
	if (!found) throw new AppError("not_found", "No such organization.");
	return found.org;
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
	await startDatabaseMove(operatorUnitOf(c, org), org, c.req.valid("form").to, Date.now());
	return redirectTo(c, `/ops/tenants/${org.id}?notice=moving`);
});

opsDatabaseRoutes.post("/tenants/:orgId/database/cancel", validate("param", orgParam), async (c) => {
	const org = await organization(c, c.req.valid("param").orgId);
	await cancelDatabaseMove(operatorUnitOf(c, org));
	return redirectTo(c, `/ops/tenants/${org.id}?notice=move-cancelled`);
});
