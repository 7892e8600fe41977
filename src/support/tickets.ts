// Ticket rules shared by the portal and the console: storing attachments, the thread as the views
// show it, and the reply notification that reaches the customer.
import type { NewAttachment, TicketAttachmentRow, TicketMessageRow } from "../db/support.ts";
import { putFile, ticketFileKey } from "../files/storage.ts";
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
