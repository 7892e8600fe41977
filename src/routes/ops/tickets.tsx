// Console: the ticket inbox across organizations, one ticket with its context, replies, internal notes
// and status. A public reply notifies the customer (inbox and email, by their preferences).
import { type Context, Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../../context.ts";
import { openTenantDatabase } from "../../db/client.ts";
import type { InboxTicket } from "../../db/ops-console.ts";
import { TICKET_CATEGORIES, TICKET_STATUSES } from "../../db/schema.ts";
import { findAttachment, loadTicketThread } from "../../db/support.ts";
import { systemAccess } from "../../db/system.ts";
import { AppError } from "../../lib/errors.ts";
import { log } from "../../lib/log.ts";
import { validate } from "../../lib/validate.ts";
import { redirectTo } from "../../middleware/guards.ts";
import { currentOperator } from "../../ops/session.ts";
import { answerTicket } from "../../ops/verbs.ts";
import { checkAttachments } from "../../support/attachments.ts";
import { threadMessages } from "../../support/tickets.ts";
import { OpsInbox, OpsTicket } from "../../views/pages/ops/tickets.tsx";
import { serveAttachment } from "../support/shared.tsx";
import { consoleFormatter, consoleTenant, operatorUnitOf, opsPage, orgIdParam, recordConsoleRead } from "./shared.tsx";

export const opsTicketRoutes = new Hono<AppEnv>();

/** Dedicated databases read per inbox page: each is a subrequest (the Free plan allows 50 per request). */
const DEDICATED_PER_INBOX = 40;
const AGES = { "1h": 3_600_000, "1d": 86_400_000, "3d": 3 * 86_400_000, "7d": 7 * 86_400_000 } as const;
const inboxQuery = z.object({
	status: z.enum(TICKET_STATUSES).or(z.literal("")).default(""),
	category: z.enum(TICKET_CATEGORIES).or(z.literal("")).default(""),
	org: z
		.string()
		.trim()
		.toLowerCase()
		.regex(/^[a-z0-9-]{0,63}$/, { error: "Give the organization's address, such as acme." })
		.default(""),
	age: z.enum(["1h", "1d", "3d", "7d"]).or(z.literal("")).default(""),
});
const ticketParams = z.object({
	orgId: z.string().regex(orgIdParam, { error: "No such organization." }),
	id: z.string().regex(/^tix_[0-9a-z]{26}$/, { error: "No such ticket." }),
});

function ageOf(ms: number, nowMs: number): string {
	const minutes = Math.max(0, Math.round((nowMs - ms) / 60_000));
	if (minutes < 60) return `${minutes} min ago`;
	if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
	return `${Math.round(minutes / 1440)} days ago`;
}

opsTicketRoutes.get("/tickets", validate("query", inboxQuery), async (c) => {
	const q = c.req.valid("query");
	const db = c.get("db");
	const consoleDb = systemAccess(db).console;
	const nowMs = Date.now();
	const filter = {
		status: q.status || undefined,
		category: q.category || undefined,
		olderThanMs: q.age ? nowMs - AGES[q.age] : undefined,
	};
	// One query for every organization in the main database, one per dedicated database.
	const only = q.org ? await consoleDb.findOrganizationIdBySlug(q.org) : null;
	const listed = q.org
		? only?.isolationTier === "dedicated"
			? [only]
			: []
		: await consoleDb.listDedicatedOrganizations(DEDICATED_PER_INBOX + 1);
	const dedicated = listed.slice(0, DEDICATED_PER_INBOX);
	const sharedWanted = !q.org || only?.isolationTier === "shared";
	// A dedicated database that cannot be read costs its own tickets, not the whole inbox.
	const results = await Promise.allSettled([
		sharedWanted ? consoleDb.listInboxTickets(db, { orgId: only?.id ?? null, sharedTier: true }, filter) : [],
		...dedicated.map((o) =>
			consoleDb.listInboxTickets(
				openTenantDatabase(db, c.get("dbConfig"), o),
				{ orgId: o.id, sharedTier: false },
				filter,
			),
		),
	]);
	const unreadable = results.flatMap((r, i) =>
		r.status === "rejected" ? [i === 0 ? "shared" : dedicated[i - 1]?.name] : [],
	);
	if (unreadable.length > 0)
		log("warn", "inbox: databases not readable", { requestId: c.get("requestId"), unreadable });
	const tickets = results
		.flatMap((r) => (r.status === "fulfilled" ? r.value : []))
		.sort((a: InboxTicket, b: InboxTicket) => b.lastActivityAt - a.lastActivityAt)
		.slice(0, 200);
	const names = await consoleDb.organizationNames([...new Set(tickets.map((t) => t.orgId))]);
	const rows = tickets.map((t) => ({
		href: `/ops/tickets/${t.orgId}/${t.id}`,
		subject: t.subject,
		orgName: names.get(t.orgId) ?? t.orgId,
		category: t.category,
		status: t.status,
		requester: t.requesterLabel,
		age: ageOf(t.lastActivityAt, nowMs),
	}));
	return opsPage(c, {
		title: "Tickets",
		body: (
			<OpsInbox
				rows={rows}
				filters={q}
				unknownOrganization={q.org !== "" && !only}
				unreadable={unreadable.length}
				notRead={listed.length > DEDICATED_PER_INBOX ? await consoleDb.countDedicatedBeyond(DEDICATED_PER_INBOX) : 0}
			/>
		),
	});
});

async function organizationOf(c: Context<AppEnv>, orgId: string) {
	const found = await systemAccess(c.get("db")).console.findOrganization(orgId);
	if (!found) throw new AppError("not_found", "No such organization.");
	return found.org;
}

async function ticketView(
	c: Context<AppEnv>,
	orgId: string,
	id: string,
	extra: { error?: string; body?: string } = {},
) {
	const org = await organizationOf(c, orgId);
	const thread = await loadTicketThread(consoleTenant(c, org), id, true);
	if (!thread) throw new AppError("not_found", "No such ticket.");
	if (!extra.error) await recordConsoleRead(c, "operator.ticket_viewed", org.id, { type: "ticket", id });
	const format = consoleFormatter();
	const base = `/ops/tickets/${org.id}/${id}`;
	return opsPage(c, {
		title: thread.ticket.subject,
		status: extra.error ? 422 : 200,
		body: (
			<OpsTicket
				action={base}
				subject={thread.ticket.subject}
				orgName={org.name}
				orgHref={`/ops/tenants/${org.id}`}
				requester={`${thread.ticket.requesterLabel} <${thread.ticket.requesterEmail}>`}
				category={thread.ticket.category}
				status={thread.ticket.status}
				opened={format(thread.ticket.createdAt)}
				context={thread.ticket.context}
				messages={threadMessages(thread.messages, thread.attachments, format, (a) => `${base}/attachments/${a}`)}
				format={format}
				error={extra.error}
				body={extra.body ?? ""}
			/>
		),
	});
}

opsTicketRoutes.get("/tickets/:orgId/:id", validate("param", ticketParams), (c) => {
	const { orgId, id } = c.req.valid("param");
	return ticketView(c, orgId, id);
});

const replySchema = z.object({
	body: z.string().trim().max(10_000, { error: "A reply can be at most 10,000 characters." }).default(""),
	internal: z.literal("on").optional(),
	status: z.enum(TICKET_STATUSES, { error: "Choose a status." }),
});

/** A reply (with attachments), an internal note, or only a new status — audited in both logs. */
opsTicketRoutes.post("/tickets/:orgId/:id/reply", validate("param", ticketParams), async (c) => {
	const { orgId, id } = c.req.valid("param");
	const raw = await c.req.parseBody({ all: true }).catch(() => ({}) as Record<string, unknown>);
	const parsed = replySchema.safeParse({
		body: typeof raw.body === "string" ? raw.body : "",
		internal: raw.internal,
		status: raw.status,
	});
	if (!parsed.success) throw new AppError("validation", parsed.error.issues[0]?.message ?? "That reply is not valid.");
	const form = parsed.data;
	const org = await organizationOf(c, orgId);
	const tenant = consoleTenant(c, org);
	const thread = await loadTicketThread(tenant, id, false);
	if (!thread) throw new AppError("not_found", "No such ticket.");
	const files = await checkAttachments(raw.attachments);
	if (!files.ok) return ticketView(c, orgId, id, { error: files.message, body: form.body });
	if (!form.body && thread.ticket.status === form.status) {
		return ticketView(c, orgId, id, { error: "Write a reply, or change the status." });
	}
	await answerTicket(operatorUnitOf(c, org), org, thread.ticket, {
		body: form.body,
		internal: form.internal === "on",
		status: form.status,
		files: files.files,
		authorName: currentOperator(c).name,
	});
	return redirectTo(c, `/ops/tickets/${orgId}/${id}`);
});

opsTicketRoutes.get(
	"/tickets/:orgId/:id/attachments/:attachmentId",
	validate(
		"param",
		ticketParams.extend({ attachmentId: z.string().regex(/^att_[0-9a-z]{26}$/, { error: "No such file." }) }),
	),
	async (c) => {
		const { orgId, id, attachmentId } = c.req.valid("param");
		const org = await organizationOf(c, orgId);
		const found = await findAttachment(consoleTenant(c, org), attachmentId);
		if (!found || found.ticket.id !== id) throw new AppError("not_found", "No such file.");
		return serveAttachment(c, found.attachment);
	},
);
