// Tickets, their threads and attachments — tenant data, so every read and write goes through the
// organization's `tenantData()`: another organization's ticket id finds nothing.
import { and, desc, eq, like, lt, or, sql } from "drizzle-orm";
import { newId } from "../lib/ids.ts";
import {
	auditEvents,
	type PortalEventKind,
	portalEvents,
	type TicketCategory,
	type TicketContext,
	type TicketStatus,
	ticketAttachments,
	ticketMessages,
	tickets,
} from "./schema.ts";
import type { TenantData } from "./tenant-data.ts";

export type TicketRow = typeof tickets.$inferSelect;
export type TicketMessageRow = typeof ticketMessages.$inferSelect;
export type TicketAttachmentRow = typeof ticketAttachments.$inferSelect;

export interface NewAttachment {
	objectKey: string;
	filename: string;
	contentType: string;
	sizeBytes: number;
}

export interface MessageAuthor {
	type: "customer" | "operator";
	id: string;
	label: string;
}

/** The message and its attachments, as inserts for one batch. */
function messageWrites(
	tenant: TenantData,
	ticketId: string,
	author: MessageAuthor,
	body: string,
	files: NewAttachment[],
	internal = false,
) {
	const messageId = newId("msg");
	return [
		tenant.insert(ticketMessages, {
			id: messageId,
			ticketId,
			authorType: author.type,
			authorId: author.id,
			authorLabel: author.label,
			body,
			internal,
			createdAt: Date.now(),
		}),
		...files.map((f) => tenant.insert(ticketAttachments, { id: newId("att"), ticketId, messageId, ...f })),
	];
}

export function ticketWrites(
	tenant: TenantData,
	input: {
		requester: { id: string; label: string; email: string };
		subject: string;
		category: TicketCategory;
		description: string;
		context: TicketContext;
		files: NewAttachment[];
	},
	id = newId("tix"),
) {
	const nowMs = Date.now();
	return {
		id,
		writes: [
			tenant.insert(tickets, {
				id,
				requesterId: input.requester.id,
				requesterLabel: input.requester.label,
				requesterEmail: input.requester.email,
				subject: input.subject,
				category: input.category,
				status: "open",
				context: input.context,
				lastActivityAt: nowMs,
				createdAt: nowMs,
			}),
			...messageWrites(
				tenant,
				id,
				{ type: "customer", id: input.requester.id, label: input.requester.label },
				input.description,
				input.files,
			),
		],
	};
}

/** A reply and the ticket's new status, in one batch. */
export function replyWrites(
	tenant: TenantData,
	ticketId: string,
	author: MessageAuthor,
	input: { body: string; files: NewAttachment[]; internal?: boolean; status: TicketStatus },
) {
	const nowMs = Date.now();
	return [
		...messageWrites(tenant, ticketId, author, input.body, input.files, input.internal ?? false),
		statusWrite(tenant, ticketId, input.status, nowMs),
	];
}

export function statusWrite(tenant: TenantData, ticketId: string, status: TicketStatus, nowMs = Date.now()) {
	return tenant.update(
		tickets,
		{ status, lastActivityAt: nowMs, resolvedAt: status === "resolved" ? nowMs : null },
		eq(tickets.id, ticketId),
	);
}

export interface TicketFilter {
	/** Only this requester's tickets (null: every ticket of the organization). */
	requesterId: string | null;
	status?: TicketStatus | undefined;
	before?: string | undefined;
	limit?: number;
}

export async function listTickets(tenant: TenantData, filter: TicketFilter) {
	const rows = await tenant
		.select(
			tickets,
			and(
				filter.requesterId ? eq(tickets.requesterId, filter.requesterId) : undefined,
				filter.status ? eq(tickets.status, filter.status) : undefined,
				filter.before ? lt(tickets.id, filter.before) : undefined,
			),
		)
		.orderBy(desc(tickets.id))
		.limit(filter.limit ?? 50);
	return rows;
}

/** The ticket, its messages and attachments in one round trip; internal notes only for operators. */
export async function loadTicketThread(tenant: TenantData, ticketId: string, withInternal: boolean) {
	const [ticketRows, messageRows, attachmentRows] = await tenant.batch([
		tenant.select(tickets, eq(tickets.id, ticketId)).limit(1),
		tenant
			.select(
				ticketMessages,
				and(eq(ticketMessages.ticketId, ticketId), withInternal ? undefined : eq(ticketMessages.internal, false)),
			)
			.orderBy(ticketMessages.createdAt, ticketMessages.id),
		tenant.select(ticketAttachments, eq(ticketAttachments.ticketId, ticketId)).orderBy(ticketAttachments.id),
	]);
	const ticket = ticketRows[0];
	if (!ticket) return null;
	return {
		ticket,
		messages: messageRows,
		attachments: attachmentRows,
	};
}

export async function findTicket(tenant: TenantData, ticketId: string): Promise<TicketRow | null> {
	const rows = await tenant.select(tickets, eq(tickets.id, ticketId)).limit(1);
	return rows[0] ?? null;
}

export async function findAttachment(tenant: TenantData, attachmentId: string) {
	const [row] = await tenant
		.select(ticketAttachments, eq(ticketAttachments.id, attachmentId))
		.innerJoin(tickets, and(eq(tickets.orgId, ticketAttachments.orgId), eq(tickets.id, ticketAttachments.ticketId)))
		.limit(1);
	if (!row) return null;
	const joined = row as unknown as { ticket_attachments: TicketAttachmentRow; tickets: TicketRow };
	return { attachment: joined.ticket_attachments, ticket: joined.tickets };
}

/** The latest events and failures of the organization, for a new ticket's context. */
export async function recentActivity(tenant: TenantData) {
	const [events, failures] = await tenant.batch([
		tenant.select(auditEvents).orderBy(desc(auditEvents.createdAt)).limit(10),
		tenant
			.select(
				auditEvents,
				or(
					like(auditEvents.action, "%_failed"),
					like(auditEvents.action, "%locked"),
					like(auditEvents.action, "%.payment_failed"),
				),
			)
			.orderBy(desc(auditEvents.createdAt))
			.limit(5),
	]);
	return { events: events, failures: failures };
}

export function portalEventInsert(
	tenant: TenantData,
	input: { sessionId: string; userId: string; kind: PortalEventKind; subject?: string },
) {
	return tenant.insert(portalEvents, {
		id: newId("pev"),
		sessionId: input.sessionId,
		userId: input.userId,
		kind: input.kind,
		subject: input.subject ?? "",
		createdAt: Date.now(),
	});
}

/** Every event of the sessions that had one in [fromMs, toMs): the metrics follow a session past midnight. */
export async function sessionEventsAround(tenant: TenantData, fromMs: number, toMs: number) {
	const active = sql`select ${portalEvents.sessionId} from ${portalEvents} where ${portalEvents.orgId} = ${tenant.orgId} and ${portalEvents.createdAt} >= ${fromMs} and ${portalEvents.createdAt} < ${toMs}`;
	const rows = await tenant
		.select(portalEvents, sql`${portalEvents.sessionId} in (${active})`)
		.orderBy(portalEvents.createdAt);
	return rows;
}

export async function countSignInsBetween(tenant: TenantData, fromMs: number, toMs: number): Promise<number> {
	const [row] = await tenant.count(
		portalEvents,
		and(
			eq(portalEvents.kind, "sign_in"),
			sql`${portalEvents.createdAt} >= ${fromMs}`,
			lt(portalEvents.createdAt, toMs),
		),
	);
	return row?.n ?? 0;
}

export async function ticketsByCategoryBetween(tenant: TenantData, fromMs: number, toMs: number) {
	const rows = await tenant.countBy(
		tickets,
		tickets.category,
		and(sql`${tickets.createdAt} >= ${fromMs}`, lt(tickets.createdAt, toMs)),
	);
	const counts: Partial<Record<TicketCategory, number>> = {};
	for (const { key, n } of rows) counts[key] = n;
	return counts;
}

/** Retention: portal events feed the daily figures and are not needed after a year and a bit. */
export function purgePortalEventsBefore(tenant: TenantData, cutoffMs: number) {
	return tenant.delete(portalEvents, lt(portalEvents.createdAt, cutoffMs));
}

/** Tickets with their customer-visible messages (never internal notes), for data exports. */
export async function ticketsForExport(tenant: TenantData, requesterId: string | null) {
	const [ticketRows, messageRows] = await tenant.batch([
		tenant.select(tickets, requesterId ? eq(tickets.requesterId, requesterId) : undefined).orderBy(tickets.createdAt),
		tenant.select(ticketMessages, eq(ticketMessages.internal, false)).orderBy(ticketMessages.createdAt),
	]);
	const messages = messageRows;
	return ticketRows.map((t) => ({
		id: t.id,
		subject: t.subject,
		category: t.category,
		status: t.status,
		requester: t.requesterLabel,
		createdAt: t.createdAt,
		resolvedAt: t.resolvedAt,
		messages: messages
			.filter((m) => m.ticketId === t.id)
			.map((m) => ({ from: m.authorLabel, body: m.body, createdAt: m.createdAt })),
	}));
}
