// Operator verbs on one organization: suspend and restore (the status decides at write time), start and
// cancel a database move, start "view as", and answer a ticket. Each writes the organization's audit
// event and the operator log in one batch (`commitAsOperator`).
import type { OperatorUnit } from "../audit/unit.ts";
import { type AuditInput, type Batch, commitWithAudit } from "../db/audit.ts";
import { operatorAuditInsert } from "../db/operators.ts";
import { refusalOf } from "../db/preconditions.ts";
import { replyWrites, type TicketRow } from "../db/support.ts";
import { systemAccess } from "../db/system.ts";
import { jobDelivery } from "../jobs/consumer.ts";
import { portalOrigin } from "../jobs/origin.ts";
import { AppError } from "../lib/errors.ts";
import { notify } from "../notifications/notify.ts";
import type { CheckedAttachment } from "../support/attachments.ts";
import { storeAttachments } from "../support/tickets.ts";
import type { TicketStatus } from "../support/vocabulary.ts";
import { cancelOrganizationMove, claimOrganizationMove } from "../tenancy/move.ts";
import { brandOf } from "../views/brand.ts";

/** The organization's audit event and the operator log's entry, with the change, in one batch. */
async function commitAsOperator(
	ou: OperatorUnit,
	event: AuditInput,
	changes: { control?: Batch; tenant?: Batch } = {},
): Promise<void> {
	const logEntry = operatorAuditInsert(ou.db, {
		operator: ou.actor,
		action: event.action,
		orgId: ou.tenant.orgId,
		...(event.target && event.target.type !== "organization" ? { target: event.target } : {}),
		ip: ou.actor.ip ?? null,
	});
	await commitWithAudit(ou.db, ou.tenant, ou.actor, event, {
		control: [...(changes.control ?? []), logEntry],
		...(changes.tenant ? { tenant: changes.tenant } : {}),
	});
}

export async function setSuspended(ou: OperatorUnit, org: { status: string }, suspend: boolean): Promise<void> {
	const action = suspend ? "organization.suspended" : "organization.unsuspended";
	try {
		await commitAsOperator(
			ou,
			{ action, target: { type: "organization", id: ou.tenant.orgId } },
			{ control: systemAccess(ou.db).console.suspensionWrites(ou.tenant.orgId, suspend) },
		);
	} catch (error) {
		if (refusalOf(error) !== "precondition_failed") throw error;
		throw new AppError(
			"conflict",
			`This organization is ${org.status}: it cannot be ${suspend ? "suspended" : "restored"} from here.`,
		);
	}
}

/** Claims the move (a second click is refused by that write), records it and queues the work. */
export async function startDatabaseMove(
	ou: OperatorUnit,
	org: { status: string },
	to: "dedicated" | "shared",
	nowMs: number,
): Promise<void> {
	if (org.status !== "active") throw new AppError("conflict", "Only an active organization can be moved.");
	const orgId = ou.tenant.orgId;
	await claimOrganizationMove(ou.db, orgId, to, nowMs);
	const action = "organization.database_move_started";
	await commitAsOperator(ou, { action, target: { type: "organization", id: orgId }, metadata: { to } });
	await jobDelivery(ou.bindings)([
		{
			message: { kind: "move", orgId, to, claimAt: nowMs, operator: { id: ou.actor.id, label: ou.actor.label } },
			delaySeconds: 0,
		},
	]);
}

export async function cancelDatabaseMove(ou: OperatorUnit): Promise<void> {
	const orgId = ou.tenant.orgId;
	await cancelOrganizationMove(ou.bindings, ou.db, ou.dbConfig, orgId);
	await commitAsOperator(ou, {
		action: "organization.database_move_cancelled",
		target: { type: "organization", id: orgId },
		metadata: {},
	});
}

/** Records "view as" with the login ticket that starts it, in one batch. */
export async function startViewAs(
	ou: OperatorUnit,
	member: { userId: string; email: string },
	minutes: number,
	ticketInsert: Batch[number],
): Promise<void> {
	await commitAsOperator(
		ou,
		{
			action: "operator.view_as_started",
			target: { type: "user", id: member.userId },
			metadata: { member: member.email, minutes },
		},
		{ control: [ticketInsert] },
	);
}

/**
 * Support's answer on a ticket: a public reply (the customer is notified by their preferences), an
 * internal note, or only a status change (recorded as an internal note).
 */
export async function answerTicket(
	ou: OperatorUnit,
	org: Parameters<typeof brandOf>[0] & { id: string; slug: string; customDomain: string | null },
	ticket: TicketRow,
	answer: { body: string; internal: boolean; status: TicketStatus; files: CheckedAttachment[]; authorName: string },
): Promise<void> {
	const internal = answer.internal || !answer.body;
	const stored = answer.body ? await storeAttachments(ou.bindings.FILES, org.id, ticket.id, answer.files) : [];
	const writes = replyWrites(
		ou.tenant,
		ticket.id,
		// The operator's name: the thread adds " · Support" itself (a label of "Support" read "Support · Support").
		{ type: "operator", id: ou.actor.id, label: answer.authorName },
		{ body: answer.body || `Status changed to ${answer.status}.`, files: stored, internal, status: answer.status },
	);
	const action = !answer.body
		? "ticket.status_changed"
		: internal
			? "ticket.internal_note_added"
			: "ticket.replied_by_support";
	await commitAsOperator(
		ou,
		{
			action,
			target: { type: "ticket", id: ticket.id },
			metadata: { status: answer.status, attachments: stored.length },
			// The customer's systems hear of answers and status changes, never of internal notes.
			...(internal && answer.body
				? {}
				: {
						webhook: {
							type: "ticket.updated" as const,
							data: { id: ticket.id, subject: ticket.subject, status: answer.status, answered: !internal },
						},
					}),
		},
		{ tenant: writes },
	);
	if (answer.body && !internal) {
		await notify(
			{
				main: ou.db,
				tenant: ou.tenant,
				bindings: ou.bindings,
				brand: brandOf(org),
				origin: portalOrigin(ou.bindings, org.slug, org.customDomain),
			},
			{ userIds: [ticket.requesterId] },
			{
				category: "support",
				title: `Support replied: ${ticket.subject}`,
				body: answer.body.length > 300 ? `${answer.body.slice(0, 300)}…` : answer.body,
				link: `/support/tickets/${ticket.id}`,
			},
		);
	}
}
