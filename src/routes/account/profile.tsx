// The person's profile (name, time zone, locale, picture) and deleting their account.

import { Hono } from "hono";
import * as z from "zod";
import { deleteAccount, saveProfile, setAvatar } from "../../account/service.ts";
import { clearSessionCookie } from "../../auth/session.ts";
import type { AppEnv } from "../../context.ts";
import { avatarKey, putFile } from "../../files/storage.ts";
import { uploadedImage } from "../../files/upload.ts";
import { validateOr } from "../../lib/validate.ts";
import { me, redirectTo, requireMember, stepUpOr } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { isTimeZone, LOCALES, textField } from "../../settings/fields.ts";
import { MessagePage } from "../../views/pages/messages.tsx";
import { renderPage } from "../../views/render.tsx";
import { accountPage } from "./account.tsx";

export const profileRoutes = new Hono<AppEnv>();
profileRoutes.use("/profile", requireMember);
profileRoutes.use("/avatar", requireMember);
profileRoutes.use("/delete", requireMember);

const AVATAR_MAX_BYTES = 256 * 1024;

const profileSchema = z.strictObject({
	name: textField("your name", 80),
	timeZone: z.string().max(64).refine(isTimeZone, { error: "Choose a time zone from the list." }),
	locale: z.enum(Object.keys(LOCALES) as [keyof typeof LOCALES, ...(keyof typeof LOCALES)[]], {
		error: "Choose a language from the list.",
	}),
});

profileRoutes.post(
	"/profile",
	validateOr("form", profileSchema, (c, failure) => accountPage(c, { errors: failure.errors }, 422)),
	async (c) => {
		const viewer = me(c);
		const before = { name: viewer.name, timeZone: viewer.timeZone, locale: viewer.locale };
		await saveProfile(unitOf(c), before, c.req.valid("form"));
		return redirectTo(c, "/account?notice=profile-saved");
	},
);

profileRoutes.post("/avatar", async (c) => {
	const viewer = me(c);
	const { bucket, image } = await uploadedImage(c, "avatar", AVATAR_MAX_BYTES);
	if (!image.ok) return accountPage(c, { errors: { avatar: image.message } }, 422);
	const key = avatarKey(viewer.userId, image.type);
	await putFile(bucket, key, image.bytes, image.type);
	await setAvatar(unitOf(c), key, viewer.avatarUrl, bucket);
	return redirectTo(c, "/account?notice=avatar-saved");
});

profileRoutes.post(
	"/delete",
	validateOr("form", z.strictObject({ confirm: z.string().max(254) }), (c) =>
		accountPage(c, { errors: { delete: "Type your email address to confirm." } }, 422),
	),
	async (c) => {
		const stepUp = stepUpOr(c, "/account");
		if (stepUp) return stepUp;
		const viewer = me(c);
		if (c.req.valid("form").confirm.trim().toLowerCase() !== viewer.email) {
			return accountPage(c, { errors: { delete: `Type ${viewer.email} exactly to confirm.` } }, 422);
		}
		const refused = await deleteAccount(unitOf(c));
		if (refused) {
			return accountPage(
				c,
				{
					errors: {
						delete: `You are the only Owner of ${refused.lastOwnerOf.join(", ") || "an organization"}. Make another member an Owner (Team → Make Owner…), or delete the organization in its danger zone, then delete your account.`,
					},
				},
				409,
			);
		}
		if (viewer.avatarUrl) await c.env.FILES?.delete(viewer.avatarUrl.slice("/files/".length));
		clearSessionCookie(c);
		return renderPage(c, {
			title: "Account deleted",
			body: (
				<MessagePage title="Your account is deleted">
					<p>You have been removed from every organization and signed out everywhere.</p>
				</MessagePage>
			),
		});
	},
);
