// The inbox, the bell's badge and the notification settings of the signed-in member.
import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../../context.ts";
import {
	countUnread,
	findNotification,
	INBOX_PAGE,
	loadInbox,
	markAllRead,
	markRead,
	preferencesFor,
	upsertPreference,
} from "../../db/notifications.ts";
import { NOTIFICATION_CATEGORIES } from "../../db/schema.ts";
import { dateFormats } from "../../lib/dates.ts";
import { AppError } from "../../lib/errors.ts";
import { validate } from "../../lib/validate.ts";
import { me, redirectTo, requireMember, tenantOf } from "../../middleware/guards.ts";
import { defaultChoice, isForced } from "../../notifications/categories.ts";
import { Bell } from "../../views/components/bell.tsx";
import { InboxPage, PreferencesPage } from "../../views/pages/account/notifications.tsx";
import { renderPage } from "../../views/render.tsx";

export const notificationRoutes = new Hono<AppEnv>();
notificationRoutes.use("/notifications", requireMember);
notificationRoutes.use("/notifications/*", requireMember);
notificationRoutes.use("/account/notifications", requireMember);

const ID = /^evt_[0-9a-z]{26}$/;

notificationRoutes.get("/notifications", async (c) => {
	const viewer = me(c);
	const { tenant } = tenantOf(c);
	const before = c.req.query("before");
	const { items, unread } = await loadInbox(tenant, viewer.userId, before && ID.test(before) ? before : null);
	const when = { format: dateFormats(viewer).dateTime };
	return renderPage(c, {
		title: "Notifications",
		body: (
			<InboxPage
				unread={unread}
				nextCursor={items.length > INBOX_PAGE ? (items[INBOX_PAGE - 1]?.id ?? null) : null}
				items={items.slice(0, INBOX_PAGE).map((n) => ({
					id: n.id,
					title: n.title,
					body: n.body,
					category: n.category,
					when: when.format(n.createdAt),
					read: n.readAt !== null,
					hasLink: n.link !== null,
				}))}
			/>
		),
	});
});

notificationRoutes.get("/notifications/badge", async (c) => {
	const viewer = me(c);
	return c.html(<Bell unread={await countUnread(tenantOf(c).tenant, viewer.userId)} />);
});

const idParam = validate("param", z.object({ id: z.string().regex(ID, { error: "Unknown notification." }) }));

async function ownNotification(c: Context<AppEnv>, id: string) {
	const found = await findNotification(tenantOf(c).tenant, me(c).userId, id);
	// Someone else's notification, or another organization's, is simply not there.
	if (!found) throw new AppError("not_found", "That notification does not exist.");
	return found;
}

notificationRoutes.post("/notifications/:id/read", idParam, async (c) => {
	const found = await ownNotification(c, c.req.valid("param").id);
	// Marking read twice changes nothing: the update only touches unread rows.
	await markRead(tenantOf(c).tenant, me(c).userId, found.id, Date.now());
	return redirectTo(c, "/notifications");
});

notificationRoutes.get("/notifications/:id/open", idParam, async (c) => {
	const found = await ownNotification(c, c.req.valid("param").id);
	// An operator viewing as this member sees where it leads; the member's inbox stays as it was.
	if (!me(c).viewAs) await markRead(tenantOf(c).tenant, me(c).userId, found.id, Date.now());
	return redirectTo(c, found.link?.startsWith("/") ? found.link : "/notifications");
});

notificationRoutes.post("/notifications/read-all", async (c) => {
	await markAllRead(tenantOf(c).tenant, me(c).userId, Date.now());
	return redirectTo(c, "/notifications");
});

// ── Settings ─────────────────────────────────────────────────────────────────────────────────

async function preferencesPage(c: Context<AppEnv>, notice?: string) {
	const viewer = me(c);
	const saved = await preferencesFor(tenantOf(c).tenant, [viewer.userId]);
	const rows = NOTIFICATION_CATEGORIES.map((category) => {
		const forced = isForced(category);
		const choice = forced
			? { email: true, inApp: true }
			: (saved.find((s) => s.category === category) ?? defaultChoice(category, viewer.membership.permissions));
		return { category, email: choice.email, inApp: choice.inApp, forced };
	});
	return renderPage(c, { title: "Notification settings", body: <PreferencesPage rows={rows} notice={notice} /> });
}

notificationRoutes.get("/account/notifications", (c) =>
	preferencesPage(c, c.req.query("notice") === "saved" ? "Settings saved." : undefined),
);

const checkbox = z.literal("on", { error: "A checkbox sends 'on' or nothing." }).optional();
const preferencesSchema = z.strictObject({
	submitted: z.literal("1"),
	...Object.fromEntries(
		NOTIFICATION_CATEGORIES.flatMap((category) => [
			[`${category}.email`, checkbox],
			[`${category}.inApp`, checkbox],
		]),
	),
});

notificationRoutes.post(
	"/account/notifications",
	zValidator("form", preferencesSchema, (result) => {
		if (!result.success)
			throw new AppError(
				"validation",
				"Those notification settings could not be read. Nothing was changed; please try again from the settings page.",
			);
	}),
	async (c) => {
		const viewer = me(c);
		const { tenant } = tenantOf(c);
		const form = c.req.valid("form") as Record<string, string | undefined>;
		const writes = NOTIFICATION_CATEGORIES.filter((category) => !isForced(category)).map((category) =>
			upsertPreference(tenant, viewer.userId, category, {
				email: form[`${category}.email`] === "on",
				inApp: form[`${category}.inApp`] === "on",
			}),
		);
		await tenant.batch(writes as [(typeof writes)[number], ...typeof writes]);
		return redirectTo(c, "/account/notifications?notice=saved");
	},
);
