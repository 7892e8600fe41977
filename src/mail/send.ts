// The mail module: one interface, two transports — Resend over HTTP in production, the outbox table
// (shown at /dev/mail) in development and tests. Messages go through a Cloudflare Queue with retries
// (MAIL_DELIVERY=queue); tests deliver inline so they can read the outbox without waiting.

import * as z from "zod";
import type { Db } from "../db/client.ts";
import { findMailSender } from "../db/domains.ts";
import { insertOutboxMail } from "../db/mail.ts";
import { orgData } from "../db/org-data.ts";
import type { Bindings } from "../env.ts";
import { headerText } from "../lib/text.ts";
import { fromHeader } from "./sender.ts";

export const mailMessageSchema = z.object({
	orgId: z.string().nullable(),
	to: z.email(),
	from: z.string().min(3),
	/** The organization's support address, so answers reach its people rather than a no-reply box. */
	replyTo: z.email().nullable().optional(),
	subject: z.string().min(1).max(200),
	text: z.string(),
	html: z.string(),
});

export type MailMessage = z.infer<typeof mailMessageSchema>;

export interface MailTransport {
	send(message: MailMessage): Promise<void>;
}

export function outboxTransport(db: Db): MailTransport {
	return {
		async send(message) {
			await insertOutboxMail(db, message);
		},
	};
}

export function resendTransport(apiKey: string): MailTransport {
	return {
		async send(message) {
			const response = await fetch("https://api.resend.com/emails", {
				method: "POST",
				headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
				body: JSON.stringify({
					from: message.from,
					to: [message.to],
					...(message.replyTo ? { reply_to: message.replyTo } : {}),
					subject: message.subject,
					html: message.html,
					text: message.text,
				}),
			});
			// A failed send throws so the queue retries it.
			if (!response.ok) throw new Error(`Resend answered ${response.status}`);
		},
	};
}

export function transportFor(bindings: Bindings, db: Db): MailTransport {
	if (bindings.MAIL_TRANSPORT === "resend") {
		if (!bindings.RESEND_API_KEY) throw new Error("MAIL_TRANSPORT=resend needs the RESEND_API_KEY secret");
		return resendTransport(bindings.RESEND_API_KEY);
	}
	return outboxTransport(db);
}

/** Sends through the queue when one is bound (retries on failure), else delivers now. */
export async function sendMail(
	bindings: Bindings,
	db: Db,
	message: Omit<MailMessage, "from" | "replyTo">,
): Promise<void> {
	// An organization's emails carry its sender: its own verified address, or the vendor's under its name.
	const sender = message.orgId ? await findMailSender(orgData({ orgId: message.orgId, db })) : null;
	// Every header we build from stored text goes through the one rule: no control characters.
	const full = {
		...message,
		subject: headerText(message.subject),
		from: fromHeader(bindings.MAIL_FROM, sender),
		replyTo: sender?.supportEmail ?? null,
	};
	if (bindings.MAIL_DELIVERY === "queue" && bindings.MAIL_QUEUE) {
		await bindings.MAIL_QUEUE.send(full);
		return;
	}
	await transportFor(bindings, db).send(full);
}
