// Ticket rules shared by the portal and the console: storing attachments, the thread as the views
// show it, and the reply notification that reaches the customer.
import type { Db } from "../db/client.ts";
import type { NewAttachment, TicketAttachmentRow, TicketMessageRow } from "../db/support.ts";
import type { Bindings } from "../env.ts";
import { putFile, ticketFileKey } from "../files/storage.ts";
import { sendMail } from "../mail/send.ts";
import { renderEmail } from "../mail/template.ts";
import { PORTICO_BRAND } from "../views/brand.ts";
import { formatBytes, type ThreadMessage } from "../views/components/ticket-thread.tsx";
import type { CheckedAttachment } from "./attachments.ts";

export async function storeAttachments(
	bucket: R2Bucket | undefined,
	orgId: string,
	ticketId: string,
	files: CheckedAttachment[],
): Promise<NewAttachment[]> {
	if (files.length === 0) return [];
	if (!bucket) throw new Error("the FILES bucket is not bound");
	return Promise.all(
		files.map(async (f) => {
			const objectKey = ticketFileKey(orgId, ticketId);
			await putFile(bucket, objectKey, f.bytes, f.contentType);
			return { objectKey, filename: f.filename, contentType: f.contentType, sizeBytes: f.bytes.byteLength };
		}),
	);
}

export function threadMessages(
	messages: TicketMessageRow[],
	attachments: TicketAttachmentRow[],
	format: (ms: number) => string,
	attachmentHref: (id: string) => string,
): ThreadMessage[] {
	return messages.map((m) => ({
		id: m.id,
		authorLabel: m.authorLabel,
		fromSupport: m.authorType === "operator",
		internal: m.internal,
		body: m.body,
		when: format(m.createdAt),
		attachments: attachments
			.filter((a) => a.messageId === m.id)
			.map((a) => ({ href: attachmentHref(a.id), filename: a.filename, size: formatBytes(a.sizeBytes) })),
	}));
}

/**
 * Tells the vendor's support team (SUPPORT_INBOX, when configured) that a ticket needs them, with a link
 * into the console. The mail is the vendor's own: no organization's sender or brand.
 */
export async function alertSupportInbox(
	bindings: Bindings,
	db: Db,
	input: {
		consoleOrigin: string;
		orgId: string;
		orgName: string;
		ticketId: string;
		subject: string;
		event: "new" | "reply";
	},
): Promise<void> {
	if (!bindings.SUPPORT_INBOX) return;
	const heading = input.event === "new" ? `New ticket from ${input.orgName}` : `${input.orgName} replied`;
	const content = renderEmail(PORTICO_BRAND, {
		subject: `${heading}: ${input.subject}`,
		heading,
		paragraphs: [input.subject],
		action: {
			label: "Open in the console",
			url: `${input.consoleOrigin}/ops/tickets/${input.orgId}/${input.ticketId}`,
		},
		footer: "Sent to the support inbox configured for this portal (SUPPORT_INBOX).",
	});
	await sendMail(bindings, db, {
		orgId: null,
		to: bindings.SUPPORT_INBOX,
		subject: `${heading}: ${input.subject}`,
		...content,
	});
}
