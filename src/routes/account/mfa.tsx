// Two-step verification for the signed-in person: enrol a TOTP app, recovery codes, turn it off.
import { type Context, Hono } from "hono";
import { z } from "zod";
import { auditActor } from "../../audit/actor.ts";
import { matchTotp, newRecoveryCodes, newTotpSecret } from "../../auth/mfa.ts";
import { prepareSession } from "../../auth/session.ts";
import { totpQrDataUri } from "../../auth/totp-qr.ts";
import type { AppEnv } from "../../context.ts";
import { commitWithAudit } from "../../db/audit.ts";
import {
	confirmTotp,
	deleteAllFactors,
	deleteRecoveryCodes,
	findTotp,
	insertPendingTotp,
	insertRecoveryCodes,
} from "../../db/mfa.ts";
import { deleteSession } from "../../db/sessions.ts";
import { setMfaEnabled } from "../../db/users.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { AppError } from "../../lib/errors.ts";
import { validate } from "../../lib/validate.ts";
import { me, redirectTo, requireMember, stepUpOr, tenantOf } from "../../middleware/guards.ts";
import { notifyContext } from "../../notifications/context.ts";
import { notify } from "../../notifications/notify.ts";
import { MfaEnrolForm, RecoveryCodesPage } from "../../views/pages/identity/mfa.tsx";
import { renderPage } from "../../views/render.tsx";

export const mfaRoutes = new Hono<AppEnv>();
mfaRoutes.use("*", requireMember);

async function enrolPage(c: Context<AppEnv>, error?: string) {
	const viewer = me(c);
	const { org } = tenantOf(c);
	const db = c.get("db");
	let pending = await findTotp(db, viewer.userId, false);
	if (!pending) {
		await insertPendingTotp(db, viewer.userId, newTotpSecret());
		pending = await findTotp(db, viewer.userId, false);
	}
	if (!pending) throw new Error("pending TOTP factor missing after insert");
	const qrDataUri = totpQrDataUri(pending.secret, org.name, viewer.email);
	return renderPage(c, {
		title: "Set up two-step verification",
		status: error ? 422 : 200,
		body: <MfaEnrolForm qrDataUri={qrDataUri} secret={pending.secret} error={error} required={org.requireMfa} />,
	});
}

async function recoveryCodeWrites(c: Context<AppEnv>, userId: string) {
	const codes = newRecoveryCodes();
	const hashes = await Promise.all(codes.map((code) => sha256Hex(code)));
	return {
		codes,
		writes: [deleteRecoveryCodes(c.get("db"), userId), insertRecoveryCodes(c.get("db"), userId, hashes)],
	};
}

mfaRoutes.get("/", async (c) => {
	if (me(c).mfaEnabled) return redirectTo(c, "/account");
	return stepUpOr(c, "/account/mfa") ?? enrolPage(c);
});

mfaRoutes.post("/", validate("form", z.strictObject({ code: z.string().max(16).default("") })), async (c) => {
	const viewer = me(c);
	if (viewer.mfaEnabled) return redirectTo(c, "/account");
	const stepUp = stepUpOr(c, "/account/mfa");
	if (stepUp) return stepUp;
	const { tenant } = tenantOf(c);
	const db = c.get("db");
	const pending = await findTotp(db, viewer.userId, false);
	const step = pending
		? await matchTotp(pending.secret, c.req.valid("form").code.replace(/\s/g, ""), Date.now(), null)
		: null;
	if (!pending || step === null) return enrolPage(c, "That code is not right. Enter the 6 digits the app shows now.");
	const { codes, writes } = await recoveryCodeWrites(c, viewer.userId);
	// Turning MFA on is a privilege change: the session is replaced by a new one that has passed MFA.
	const session = await prepareSession(c, { userId: viewer.userId, orgId: tenant.orgId, mfaVerified: true });
	await commitWithAudit(
		db,
		tenant,
		auditActor(c, viewer.userId, viewer.name),
		{ action: "auth.mfa_enabled", target: { type: "user", id: viewer.userId } },
		{
			control: [
				confirmTotp(db, pending.id, step),
				setMfaEnabled(db, viewer.userId, true),
				...writes,
				session.insert,
				deleteSession(db, viewer.sessionId),
			],
		},
	);
	session.setSessionCookie();
	await notify(
		notifyContext(c),
		{ userIds: [viewer.userId] },
		{
			category: "security",
			title: "Two-step verification is on",
			body: "Your account now asks for a code from your authenticator app at sign-in.",
			link: "/account",
		},
	);
	return renderPage(c, { title: "Recovery codes", body: <RecoveryCodesPage codes={codes} /> });
});

mfaRoutes.post("/recovery-codes", async (c) => {
	const viewer = me(c);
	if (!viewer.mfaEnabled) return redirectTo(c, "/account/mfa");
	const stepUp = stepUpOr(c, "/account");
	if (stepUp) return stepUp;
	const { tenant } = tenantOf(c);
	const { codes, writes } = await recoveryCodeWrites(c, viewer.userId);
	await commitWithAudit(
		c.get("db"),
		tenant,
		auditActor(c, viewer.userId, viewer.name),
		{ action: "auth.mfa_recovery_codes_regenerated" },
		{ control: writes },
	);
	return renderPage(c, { title: "Recovery codes", body: <RecoveryCodesPage codes={codes} /> });
});

mfaRoutes.post("/disable", async (c) => {
	const viewer = me(c);
	const { org, tenant } = tenantOf(c);
	if (!viewer.mfaEnabled) return redirectTo(c, "/account");
	if (org.requireMfa)
		throw new AppError(
			"forbidden",
			`${org.name} requires two-step verification for every member, so it cannot be turned off.`,
		);
	const stepUp = stepUpOr(c, "/account");
	if (stepUp) return stepUp;
	const db = c.get("db");
	await commitWithAudit(
		db,
		tenant,
		auditActor(c, viewer.userId, viewer.name),
		{ action: "auth.mfa_disabled", target: { type: "user", id: viewer.userId } },
		{
			control: [deleteAllFactors(db, viewer.userId), setMfaEnabled(db, viewer.userId, false)],
		},
	);
	await notify(
		notifyContext(c),
		{ userIds: [viewer.userId] },
		{
			category: "security",
			title: "Two-step verification is off",
			body: "Your account no longer asks for a code at sign-in. If this was not you, reset your password and turn it on again.",
			link: "/account",
		},
	);
	return redirectTo(c, "/account?notice=mfa-off");
});
