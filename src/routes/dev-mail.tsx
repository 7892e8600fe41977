// /dev/mail on the apex, in development only: the outbox of the development mail transport, so a
// person running `npm start` can open verification, reset and sign-in links.
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { listOutboxMail } from "../db/mail.ts";
import { DevMailPage } from "../views/pages/dev-mail.tsx";
import { renderPage } from "../views/render.tsx";

export const devMailRoutes = new Hono<AppEnv>();

devMailRoutes.get("/", async (c) => {
	if (c.get("config").ENVIRONMENT === "production") return c.notFound();
	const mails = await listOutboxMail(c.get("db"), 50);
	return renderPage(c, {
		title: "Development mailbox",
		body: (
			<DevMailPage
				mails={mails.map((m) => ({
					id: m.id,
					to: m.to,
					from: m.from,
					replyTo: m.replyTo,
					subject: m.subject,
					text: m.text,
					sentAt: new Date(m.createdAt).toISOString().replace("T", " ").slice(0, 19),
					// A sentence's closing punctuation is not part of the link.
					links: [...m.text.matchAll(/https?:\/\/\S+/g)].map((x) => x[0].replace(/[.,;:!?)\]>'"]+$/, "")),
				}))}
			/>
		),
	});
});
