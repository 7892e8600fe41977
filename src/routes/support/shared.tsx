// Helpers shared by the support routes: the signed-in member, ticket visibility, the ticket page and
// attachment downloads.
import type { Context } from "hono";
import * as z from "zod";
import type { AppEnv, Member, Viewer } from "../../context.ts";
import type { loadTicketThread, TicketRow } from "../../db/support.ts";
import { dateFormats } from "../../lib/dates.ts";
import { AppError } from "../../lib/errors.ts";
import { headerText, multiLine, singleLine } from "../../lib/text.ts";
import { me } from "../../middleware/guards.ts";
import { mayRead } from "../../support/service.ts";
import { threadMessages } from "../../support/tickets.ts";
import { TicketPage } from "../../views/pages/support/support.tsx";
import { renderPage } from "../../views/render.tsx";

/** A ticket field: `subject` is one line; longer texts may break lines (no other control characters). */
export const text = (field: string, min: number, max: number) =>
	(field === "subject" ? singleLine : multiLine)(
		z
			.string({ error: `Enter the ${field}.` })
			.trim()
			.min(1, { error: `Enter the ${field}.` })
			.min(min, { error: `The ${field} needs at least ${min} characters.` })
			.max(max, { error: `The ${field} can be at most ${max.toLocaleString("en-US")} characters.` }),
		`The ${field}`,
	);

export const ticketIdParam = z.object({ id: z.string().regex(/^tix_[0-9a-z]{26}$/, { error: "No such ticket." }) });

export function formatter(viewer: Viewer) {
	return dateFormats(viewer).dateTime;
}

/** The ticket if this member may see it: theirs, or any of the organization's with `support:manage`. */
export function visibleTo(viewer: Member, ticket: TicketRow | null | undefined): ticket is TicketRow {
	return mayRead({ userId: viewer.userId, permissions: viewer.membership.permissions }, ticket);
}

const NOTICES: Record<string, string> = {
	created: "Your ticket is with support. You will get an email when they reply.",
};

export function ticketPage(
	c: Context<AppEnv>,
	thread: NonNullable<Awaited<ReturnType<typeof loadTicketThread>>>,
	extra: { errors?: Record<string, string>; body?: string; status?: number } = {},
) {
	const viewer = me(c);
	const when = formatter(viewer);
	const { ticket } = thread;
	const notice = NOTICES[c.req.query("notice") ?? ""];
	return renderPage(c, {
		title: ticket.subject,
		status: extra.status ?? 200,
		body: (
			<TicketPage
				id={ticket.id}
				subject={ticket.subject}
				category={ticket.category}
				status={ticket.status}
				requester={ticket.requesterLabel}
				opened={when(ticket.createdAt)}
				messages={threadMessages(thread.messages, thread.attachments, when, (id) => `/support/attachments/${id}`)}
				errors={extra.errors}
				body={extra.body}
				notice={notice}
			/>
		),
	});
}

export async function serveAttachment(
	c: Context<AppEnv>,
	attachment: { objectKey: string; filename: string; contentType: string },
) {
	const object = await c.env.FILES?.get(attachment.objectKey);
	if (!object) throw new AppError("not_found", "This file is no longer available.");
	return c.body(object.body, 200, {
		"content-type": attachment.contentType,
		// Always a download: an uploaded file never renders in the portal's origin.
		"content-disposition": `attachment; filename="${headerText(attachment.filename).replace(/["\\]/g, "")}"`,
		"cache-control": "private, no-store",
		"x-content-type-options": "nosniff",
	});
}
