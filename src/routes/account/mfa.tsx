// Two-step verification for the signed-in person: enrol a TOTP app, recovery codes, turn it off.
import { type Context, Hono } from "hono";
import * as z from "zod";
import { disableMfa, enableMfa, regenerateRecoveryCodes } from "../../account/service.ts";
import { newTotpSecret } from "../../auth/mfa.ts";
import { prepareSession } from "../../auth/session.ts";
import { totpQrDataUri } from "../../auth/totp-qr.ts";
import type { AppEnv } from "../../context.ts";
import { findTotp, insertPendingTotp } from "../../db/mfa.ts";
import { AppError } from "../../lib/errors.ts";
import { validate } from "../../lib/validate.ts";
import { me, redirectTo, requireMember, stepUpOr, tenantOf } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
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
	// Turning MFA on is a privilege change: the session is replaced by a new one that has passed MFA.
	const session = await prepareSession(c, { userId: viewer.userId, orgId: tenant.orgId, mfaVerified: true });
	const codes = await enableMfa(unitOf(c), c.req.valid("form").code, Date.now(), session.insert);
	if (!codes) return enrolPage(c, "That code is not right. Enter the 6 digits the app shows now.");
	session.setSessionCookie();
	return renderPage(c, { title: "Recovery codes", body: <RecoveryCodesPage codes={codes} /> });
});

mfaRoutes.post("/recovery-codes", async (c) => {
	const viewer = me(c);
	if (!viewer.mfaEnabled) return redirectTo(c, "/account/mfa");
	const stepUp = stepUpOr(c, "/account");
	if (stepUp) return stepUp;
	const codes = await regenerateRecoveryCodes(unitOf(c));
	return renderPage(c, { title: "Recovery codes", body: <RecoveryCodesPage codes={codes} /> });
});

mfaRoutes.post("/disable", async (c) => {
	const viewer = me(c);
	const { org } = tenantOf(c);
	if (!viewer.mfaEnabled) return redirectTo(c, "/account");
	if (org.requireMfa)
		throw new AppError(
			"forbidden",
			`${org.name} requires two-step verification for every member, so it cannot be turned off.`,
		);
	const stepUp = stepUpOr(c, "/account");
	if (stepUp) return stepUp;
	await disableMfa(unitOf(c));
	return redirectTo(c, "/account?notice=mfa-off");
});
