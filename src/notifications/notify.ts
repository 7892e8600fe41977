// The one way any feature notifies people: a user, the holders of a permission, or all members of one
// organization. It fans out to the in-app inbox and to email according to each recipient's preferences
// (category × channel); security notices always go out on both.
import type { Permission } from "../auth/permissions.ts";
import type { Db } from "../db/client.ts";
import { insertNotification, preferencesFor, recipientsQuery } from "../db/notifications.ts";
import type { NotificationCategory } from "../db/schema.ts";
import type { TenantData } from "../db/tenant-data.ts";
import type { Bindings } from "../env.ts";
import { sendMail } from "../mail/send.ts";
import { renderEmail } from "../mail/template.ts";
import type { Brand } from "../views/brand.ts";
import { defaultChoice, isForced } from "./categories.ts";

export type Audience = { userIds: string[] } | { permission: Permission } | { allMembers: true };

export interface NotifyContext {
	main: Db;
	tenant: TenantData;
	bindings: Bindings;
	brand: Brand;
	/** The organization's portal origin, for links in emails. */
	origin: string;
}

export interface NotificationMessage {
	category: NotificationCategory;
	title: string;
	body: string;
	/** A path inside the portal, such as `/team`. */
	link?: string;
}

export async function notify(
	ctx: NotifyContext,
	audience: Audience,
	message: NotificationMessage,
): Promise<{ inApp: number; email: number }> {
	const orgId = ctx.tenant.orgId;
	const people = await recipientsQuery(ctx.main, orgId, "userIds" in audience ? audience.userIds : null);
	const recipients = people.filter((p) => {
		if ("permission" in audience) return p.isMember && (p.permissions ?? []).includes(audience.permission);
		if ("allMembers" in audience) return p.isMember;
		return true;
	});
	if (recipients.length === 0) return { inApp: 0, email: 0 };
	const saved = await preferencesFor(
		ctx.tenant,
		recipients.map((r) => r.userId),
		message.category,
	);
	const link = message.link?.startsWith("/") ? message.link : null;
	const inApp = [];
	const emails = [];
	for (const person of recipients) {
		const choice = isForced(message.category)
			? { email: true, inApp: true }
			: (saved.find((s) => s.userId === person.userId) ?? defaultChoice(message.category, person.permissions ?? []));
		// Someone no longer in the organization cannot open its inbox: email is their only channel.
		if (choice.inApp && person.isMember)
			inApp.push(
				insertNotification(ctx.tenant, {
					userId: person.userId,
					category: message.category,
					title: message.title,
					body: message.body,
					link,
				}),
			);
		if (choice.email) emails.push(person.email);
	}
	if (inApp.length > 0) await ctx.tenant.batch(inApp as [(typeof inApp)[number], ...typeof inApp]);
	const content = renderEmail(ctx.brand, {
		subject: message.title,
		heading: message.title,
		paragraphs: [message.body],
		...(link ? { action: { label: "Open in the portal", url: `${ctx.origin}${link}` } } : {}),
		footer: `You get this because of your notification settings at ${ctx.brand.name}. Change them at ${ctx.origin}/account/notifications.`,
	});
	for (const to of emails) await sendMail(ctx.bindings, ctx.main, { orgId, to, subject: message.title, ...content });
	return { inApp: inApp.length, email: emails.length };
}
