// Portal ticket verbs: open a ticket (with the context support needs, and its attachments), reply,
// resolve or reopen. Who may see a ticket is one rule (`mayRead`): its requester, or anyone with
// `support:manage`; everyone else gets 404, as for another organization's ticket.
import { commit, type Unit } from "../audit/unit.ts";
import { replyWrites, statusWrite, type TicketRow, ticketWrites } from "../db/support.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import type { CheckedAttachment } from "./attachments.ts";
import { collectTicketContext } from "./context.ts";
import { alertSupportInbox, storeAttachments } from "./tickets.ts";
import type { TicketCategory, TicketStatus } from "./vocabulary.ts";

export function mayRead(
	by: { userId: string; permissions: readonly string[] },
	ticket: TicketRow | null | undefined,
): ticket is TicketRow {
	return Boolean(ticket && (ticket.requesterId === by.userId || by.permissions.includes("support:manage")));
}

/** A resolved ticket takes no reply: reopening it is the way back. */
export function refuseReplyIfResolved(ticket: TicketRow): void {
	if (ticket.status === "resolved") throw new AppError("conflict", "This ticket is resolved. Reopen it to reply.");
}

export async function openTicket(
	unit: Unit,
	org: Parameters<typeof collectTicketContext>[2],
	input: { subject: string; category: TicketCategory; description: string },
	files: CheckedAttachment[],
	consoleOrigin: string,
): Promise<string> {
	const context = await collectTicketContext(unit.db, unit.tenant, org, unit.by.roleName);
	const ticketId = newId("tix");
	const stored = await storeAttachments(unit.notices.bindings.FILES, org.id, ticketId, files);
	const ticket = ticketWrites(
		unit.tenant,
		{ requester: { id: unit.by.userId, label: unit.by.name, email: unit.by.email }, ...input, context, files: stored },
		ticketId,
	);
	await commit(
		unit,
		{ action: "ticket.created", target: { type: "ticket", id: ticket.id }, metadata: { category: input.category } },
		{ tenant: ticket.writes },
	);
	await alertSupportInbox(unit.notices.bindings, unit.db, {
		consoleOrigin,
		orgId: org.id,
		orgName: org.name,
		ticketId: ticket.id,
		subject: input.subject,
		event: "new",
	});
	return ticket.id;
}

export async function replyToTicket(
	unit: Unit,
	org: { id: string; name: string },
	ticket: TicketRow,
	body: string,
	files: CheckedAttachment[],
	consoleOrigin: string,
): Promise<void> {
	refuseReplyIfResolved(ticket);
	const stored = await storeAttachments(unit.notices.bindings.FILES, org.id, ticket.id, files);
	await commit(
		unit,
		{ action: "ticket.replied", target: { type: "ticket", id: ticket.id } },
		{
			tenant: replyWrites(
				unit.tenant,
				ticket.id,
				{ type: "customer", id: unit.by.userId, label: unit.by.name },
				{ body, files: stored, status: "open" },
			),
		},
	);
	await alertSupportInbox(unit.notices.bindings, unit.db, {
		consoleOrigin,
		orgId: org.id,
		orgName: org.name,
		ticketId: ticket.id,
		subject: ticket.subject,
		event: "reply",
	});
}

/** Resolves or reopens the person's ticket; nothing is written when it already has that status. */
export async function setTicketStatus(
	unit: Unit,
	ticket: TicketRow,
	status: Extract<TicketStatus, "resolved" | "open">,
) {
	if (ticket.status === status) return;
	await commit(
		unit,
		{
			action: status === "resolved" ? "ticket.resolved" : "ticket.reopened",
			target: { type: "ticket", id: ticket.id },
			webhook: { type: "ticket.updated", data: { id: ticket.id, subject: ticket.subject, status } },
		},
		{ tenant: [statusWrite(unit.tenant, ticket.id, status)] },
	);
}
