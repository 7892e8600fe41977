// A ticket's conversation from the customer's side: reply (with attachments), close, reopen. A reply
// to a resolved ticket is refused — reopening it is the way back. Mounted inside supportRoutes, after
// its `support:use` guard.
import { Hono } from "hono";
import { z } from "zod";
import { auditActor } from "../../audit/actor.ts";
import type { AppEnv } from "../../context.ts";
import { commitWithAudit } from "../../db/audit.ts";
import { findTicket, loadTicketThread, replyWrites, statusWrite } from "../../db/support.ts";
import { AppError } from "../../lib/errors.ts";
import { fieldErrors } from "../../lib/forms.ts";
import { validate } from "../../lib/validate.ts";
import { me, redirectTo, tenantOf } from "../../middleware/guards.ts";
import { checkAttachments } from "../../support/attachments.ts";
import { alertSupportInbox, storeAttachments } from "../../support/tickets.ts";
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
	if (thread.ticket.status === "resolved") {
		throw new AppError("conflict", "This ticket is resolved. Reopen it to reply.");
	}
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
	const stored = await storeAttachments(c.env.FILES, org.id, id, files.files);
	await commitWithAudit(
		c.get("db"),
		tenant,
		auditActor(c, viewer.userId, viewer.name),
		{ action: "ticket.replied", target: { type: "ticket", id } },
		{
			tenant: replyWrites(
				tenant,
				id,
				{ type: "customer", id: viewer.userId, label: viewer.name },
				{
					body: parsed.data.body,
					files: stored,
					status: "open",
				},
			),
		},
	);
	await alertSupportInbox(c.env, c.get("db"), {
		consoleOrigin: apexOrigin(c),
		orgId: org.id,
		orgName: org.name,
		ticketId: id,
		subject: thread.ticket.subject,
		event: "reply",
	});
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
		if (ticket.status !== status) {
			await commitWithAudit(
				c.get("db"),
				tenant,
				auditActor(c, viewer.userId, viewer.name),
				{ action: action === "resolve" ? "ticket.resolved" : "ticket.reopened", target: { type: "ticket", id } },
				{ tenant: [statusWrite(tenant, id, status)] },
			);
		}
		return redirectTo(c, `/support/tickets/${id}`);
	});
}
