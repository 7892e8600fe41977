// A ticket's conversation from the customer's side: reply (with attachments), close, reopen. A reply
// to a resolved ticket is refused — reopening it is the way back. Mounted inside supportRoutes, after
// its `support:use` guard.
import { Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../../context.ts";
import { findTicket, loadTicketThread } from "../../db/support.ts";
import { AppError } from "../../lib/errors.ts";
import { fieldErrors } from "../../lib/forms.ts";
import { validate } from "../../lib/validate.ts";
import { me, redirectTo, tenantOf } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { checkAttachments } from "../../support/attachments.ts";
import { refuseReplyIfResolved, replyToTicket, setTicketStatus } from "../../support/service.ts";
import { apexOrigin } from "../../tenancy/address.ts";
import { text, ticketIdParam, ticketPage, visibleTo } from "./shared.tsx";

export const supportTicketRoutes = new Hono<AppEnv>();

const replySchema = z.object({ body: text("reply", 1, 10_000) });

supportTicketRoutes.post("/tickets/:id/reply", validate("param", ticketIdParam), async (c) => {
	const viewer = me(c);
	const { org, tenant } = tenantOf(c);
	const id = c.req.valid("param").id;
	const thread = await loadTicketThread(tenant, id, false);
	if (!thread || !visibleTo(viewer, thread.ticket)) throw new AppError("not_found", "No such ticket.");
	refuseReplyIfResolved(thread.ticket);
	const form = await c.req.parseBody({ all: true }).catch(() => ({}) as Record<string, unknown>);
	const body = typeof form.body === "string" ? form.body : "";
	const parsed = replySchema.safeParse({ body });
	const files = await checkAttachments(form.attachments);
	if (!parsed.success || !files.ok) {
		const errors = {
			...(parsed.success ? {} : fieldErrors(parsed.error)),
			...(files.ok ? {} : { attachments: files.message }),
		};
		return ticketPage(c, thread, { errors, body, status: 422 });
	}
	await replyToTicket(unitOf(c), org, thread.ticket, parsed.data.body, files.files, apexOrigin(c));
	return redirectTo(c, `/support/tickets/${id}`);
});

for (const [action, status] of [
	["resolve", "resolved"],
	["reopen", "open"],
] as const) {
	supportTicketRoutes.post(`/tickets/:id/${action}`, validate("param", ticketIdParam), async (c) => {
		const viewer = me(c);
		const { tenant } = tenantOf(c);
		const id = c.req.valid("param").id;
		const ticket = await findTicket(tenant, id);
		if (!visibleTo(viewer, ticket)) throw new AppError("not_found", "No such ticket.");
		await setTicketStatus(unitOf(c), ticket, status);
		return redirectTo(c, `/support/tickets/${id}`);
	});
}
