// The signed-in person's own account on a tenant host: email, password, sessions, and switching
// organization. MFA lives in account-mfa.tsx.

import { type Context, Hono } from "hono";
import * as z from "zod";
import {
	changePassword,
	checkOwnPassword,
	requestEmailChange,
	revokeSession,
	signOutEverywhereElse,
	switchOrganization,
} from "../../account/service.ts";
import { authEmails } from "../../auth/emails.ts";
import { issueLoginTicket } from "../../auth/handoff.ts";
import { emailSchema, newPasswordSchema } from "../../auth/password-policy.ts";
import { issueEmailToken } from "../../auth/tokens.ts";
import type { AppEnv } from "../../context.ts";
import { loadAccountReads, markAuthenticated } from "../../db/sessions.ts";
import { dateFormats } from "../../lib/dates.ts";
import { describeDevice } from "../../lib/user-agent.ts";
import { validate, validateOr } from "../../lib/validate.ts";
import { sendMail } from "../../mail/send.ts";
import { me, redirectTo, requireMember, stepUpOr, tenantOf } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { LOCALES, timeZones } from "../../settings/fields.ts";
import { portalAddress } from "../../tenancy/address.ts";
import { AccountPage } from "../../views/pages/account/account.tsx";
import { ConfirmPasswordForm } from "../../views/pages/identity/confirm-password.tsx";
import { renderPage, siteBrand } from "../../views/render.tsx";

export const accountRoutes = new Hono<AppEnv>();
accountRoutes.use("/account", requireMember);
accountRoutes.use("/account/*", requireMember);
accountRoutes.use("/switch", requireMember);

const NOTICES: Record<string, string> = {
	"password-changed": "Your password is changed. Your other sessions were signed out.",
	"email-sent": "We sent a link to the new address. The change happens when you open it.",
	"verification-sent": "We sent the verification email again.",
	"session-revoked": "The session is signed out.",
	"others-revoked": "Every other session is signed out.",
	"mfa-on": "Two-step verification is on.",
	"mfa-off": "Two-step verification is off.",
	"profile-saved": "Profile saved.",
	"avatar-saved": "Picture updated.",
};

export async function accountPage(
	c: Context<AppEnv>,
	extra: { errors?: Record<string, string>; pendingEmail?: string } = {},
	status = 200,
) {
	const viewer = me(c);
	const db = c.get("db");
	const nowMs = Date.now();
	const { sessions, recoveryCodesLeft: codesLeft } = await loadAccountReads(db, viewer.userId, nowMs);
	const when = { format: dateFormats(viewer).dateTime };
	return renderPage(c, {
		title: "Your account",
		status,
		body: (
			<AccountPage
				name={viewer.name}
				timeZone={viewer.timeZone}
				locale={viewer.locale}
				timeZones={timeZones()}
				locales={LOCALES}
				avatarUrl={viewer.avatarUrl}
				email={viewer.email}
				emailVerified={viewer.emailVerified}
				mfaEnabled={viewer.mfaEnabled}
				recoveryCodesLeft={codesLeft}
				notice={NOTICES[c.req.query("notice") ?? ""]}
				sessions={sessions.map((s) => ({
					id: s.id,
					host: s.host,
					device: describeDevice(s.userAgent),
					ip: s.ip,
					lastSeen: when.format(s.lastSeenAt),
					current: s.id === viewer.sessionId,
				}))}
				{...extra}
			/>
		),
	});
}

accountRoutes.get("/account", (c) => accountPage(c));

/** Where a step-up may return to: the pages that ask for it (account pages and the danger zone), nothing else. */
const nextSchema = z
	.string()
	.regex(/^\/(account(\/[a-z/-]*)?|settings\/danger)$/, { error: "Unknown destination" })
	.default("/account");

accountRoutes.get("/account/confirm", (c) => {
	const parsed = nextSchema.safeParse(c.req.query("next"));
	return renderPage(c, {
		title: "Confirm it is you",
		body: <ConfirmPasswordForm next={parsed.success ? parsed.data : "/account"} />,
	});
});

accountRoutes.post(
	"/account/confirm",
	validate("form", z.strictObject({ password: z.string().max(1024).default(""), next: nextSchema })),
	async (c) => {
		const { password, next } = c.req.valid("form");
		const checked = await checkOwnPassword(unitOf(c), password, Date.now());
		if (checked !== "ok") {
			return renderPage(c, {
				title: "Confirm it is you",
				status: checked === "locked" ? 429 : 422,
				body: (
					<ConfirmPasswordForm
						next={next}
						error={
							checked === "locked"
								? "Too many attempts. Wait 15 minutes, or reset your password by email."
								: "That password is not right."
						}
					/>
				),
			});
		}
		await markAuthenticated(c.get("db"), me(c).sessionId, Date.now());
		return redirectTo(c, next);
	},
);

const passwordChangeSchema = z.strictObject({
	currentPassword: z.string().min(1, { error: "Enter your current password." }).max(1024),
	newPassword: newPasswordSchema,
});

accountRoutes.post(
	"/account/password",
	validateOr("form", passwordChangeSchema, (c, failure) => accountPage(c, { errors: failure.errors }, 422)),
	async (c) => {
		const { currentPassword, newPassword } = c.req.valid("form");
		const checked = await changePassword(unitOf(c), currentPassword, newPassword, Date.now());
		if (checked === "locked")
			return accountPage(c, { errors: { currentPassword: "Too many attempts. Wait 15 minutes and try again." } }, 429);
		if (checked === "wrong") {
			return accountPage(c, { errors: { currentPassword: "That is not your current password." } }, 422);
		}
		return redirectTo(c, "/account?notice=password-changed");
	},
);

accountRoutes.post(
	"/account/email",
	validateOr("form", z.strictObject({ email: emailSchema }), (c, failure) =>
		accountPage(c, { errors: failure.errors }, 422),
	),
	async (c) => {
		const stepUp = stepUpOr(c, "/account");
		if (stepUp) return stepUp;
		const { email } = c.req.valid("form");
		const refused = await requestEmailChange(unitOf(c), portalAddress(c).host, email);
		if (refused) return accountPage(c, { errors: { email: refused }, pendingEmail: email }, 422);
		return redirectTo(c, "/account?notice=email-sent");
	},
);

accountRoutes.post("/account/verify-email", async (c) => {
	const viewer = me(c);
	const { org } = tenantOf(c);
	const db = c.get("db");
	if (viewer.emailVerified) return redirectTo(c, "/account");
	const { token, insert } = await issueEmailToken(db, "verify_email", {
		userId: viewer.userId,
		orgId: org.id,
		host: portalAddress(c).host,
	});
	await insert;
	await sendMail(c.env, db, {
		orgId: org.id,
		to: viewer.email,
		...authEmails.verifyEmail(siteBrand(c), `${portalAddress(c).origin}/verify-email?token=${token}`),
	});
	return redirectTo(c, "/account?notice=verification-sent");
});

accountRoutes.post(
	"/account/sessions/:id/revoke",
	validate("param", z.object({ id: z.string().regex(/^ses_[0-9a-z]{26}$/) })),
	async (c) => {
		await revokeSession(unitOf(c), c.req.valid("param").id);
		return redirectTo(c, "/account?notice=session-revoked");
	},
);

accountRoutes.post("/account/sessions/revoke-others", async (c) => {
	await signOutEverywhereElse(unitOf(c));
	return redirectTo(c, "/account?notice=others-revoked");
});

/** Switching organization: a login ticket for the other organization's host, used at once by the browser. */
accountRoutes.post("/switch", validate("form", z.strictObject({ slug: z.string().max(64) })), async (c) => {
	const viewer = me(c);
	const target = viewer.organizations.find((o) => o.slug === c.req.valid("form").slug);
	if (!target) return c.notFound();
	const url = new URL(c.req.url);
	const host = `${target.customDomain ?? `${target.slug}.${c.get("config").PORTAL_DOMAIN}`}${url.port ? `:${url.port}` : ""}`;
	const ticket = await issueLoginTicket(c, {
		userId: viewer.userId,
		orgId: target.id,
		host,
		mfaVerified: viewer.mfaEnabled,
	});
	await switchOrganization(unitOf(c), target.slug, ticket.insert);
	return redirectTo(c, `${url.protocol}//${host}/sign-in/ticket?token=${ticket.token}`);
});
