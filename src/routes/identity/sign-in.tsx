// Password sign-in, the MFA step and sign-out on a tenant host.
import { type Context, Hono } from "hono";
import * as z from "zod";
import { matchTotp, normalizeRecoveryCode } from "../../auth/mfa.ts";
import { emailSchema } from "../../auth/password-policy.ts";
import { endSession } from "../../auth/session.ts";
import { checkPasswordSignIn } from "../../auth/sign-in.ts";
import { throttledCheck } from "../../auth/throttle.ts";
import {
	recordMfaFailure,
	recordRecoveryCodeUse,
	recordRefusedSignIn,
	recordSsoPolicy,
	signOut,
} from "../../auth/verbs.ts";
import type { AppEnv } from "../../context.ts";
import { claimTotpStep, consumeRecoveryCode, findTotp } from "../../db/mfa.ts";
import { setPasswordHash } from "../../db/users.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { rawText, validate, validateOr } from "../../lib/validate.ts";
import { orgOf, redirectTo, signedIn, tenantOf } from "../../middleware/guards.ts";
import { visitorUnitOf } from "../../middleware/unit.ts";
import { passwordsFor } from "../../passwords/service.ts";
import { passwordPolicyFor, SSO_ONLY_MESSAGE } from "../../sso/policy.ts";
import { MfaChallengeForm } from "../../views/pages/identity/mfa.tsx";
import { SignInForm } from "../../views/pages/identity/sign-in.tsx";
import { renderPage } from "../../views/render.tsx";
import { oauthButtons } from "./oauth.tsx";
import { completeSignIn } from "./sign-in-flow.ts";

export const authRoutes = new Hono<AppEnv>();

const signInSchema = z.strictObject({
	email: emailSchema,
	password: z
		.string({ error: "Enter your password." })
		.min(1, { error: "Enter your password." })
		.max(1024, { error: "That password is too long." }),
});

const NOTICES: Record<string, string> = {
	"link-sent": "If that address has an account here, a sign-in link is on its way. It works once, for 10 minutes.",
	"reset-sent": "If that address has an account here, a reset link is on its way.",
	"password-reset": "Your password was changed. Sign in with the new one.",
	"signed-out": "You are signed out.",
	"organization-created": "Your new organization is ready. Sign in with your existing account's password.",
};

function signInPage(c: Context<AppEnv>, props: Partial<Parameters<typeof SignInForm>[0]> = {}, status = 200) {
	const { org } = tenantOf(c);
	const notice = NOTICES[c.req.query("notice") ?? ""];
	return renderPage(c, {
		title: "Sign in",
		status,
		body: <SignInForm orgName={org.name} notice={notice} oauth={oauthButtons(c)} {...props} />,
	});
}

authRoutes.get("/sign-in", (c) => {
	if (signedIn(c)?.membership) return redirectTo(c, "/");
	return signInPage(c);
});

authRoutes.post(
	"/sign-in",
	validateOr("form", signInSchema, (c, failure) => {
		const email = rawText(failure, "email");
		return signInPage(c, { email, errors: failure.errors }, 422);
	}),
	async (c) => {
		const { org } = tenantOf(c);
		const { email, password } = c.req.valid("form");
		const db = c.get("db");
		const nowMs = Date.now();
		const ip = c.req.header("cf-connecting-ip") ?? null;
		const passwords = passwordsFor(c.env);
		const result = await checkPasswordSignIn(db, { orgId: org.id, email, password, ip, nowMs }, passwords);
		if (!result.ok) {
			await recordRefusedSignIn(visitorUnitOf(c), org, { ...result, email });
			if (result.reason === "locked") return signInPage(c, { email, locked: true }, 429);
			return signInPage(
				c,
				{ email, formError: "That email and password do not match. Check them and try again." },
				401,
			);
		}
		// Require SSO: the right password is refused for this address, except an Owner's (break-glass).
		const policy = await passwordPolicyFor(orgOf(c), { id: result.user.userId, email: result.user.email });
		if (policy !== "free") await recordSsoPolicy(visitorUnitOf(c), result.user, policy);
		if (policy === "sso-only") return signInPage(c, { email, formError: SSO_ONLY_MESSAGE }, 403);
		// Hashes made with older parameters are upgraded while the password is at hand.
		if (result.rehash) await setPasswordHash(db, result.user.userId, await passwords.hash(password));
		return completeSignIn(c, result.user, "password");
	},
);

authRoutes.get("/sign-in/mfa", (c) => {
	const viewer = c.get("viewer");
	if (!viewer?.mfaPending) return redirectTo(c, viewer ? "/" : "/sign-in");
	return renderPage(c, { title: "Two-step verification", body: <MfaChallengeForm /> });
});

authRoutes.post(
	"/sign-in/mfa",
	validate("form", z.strictObject({ code: z.string().max(64).default("") })),
	async (c) => {
		const viewer = c.get("viewer");
		if (!viewer?.mfaPending) return redirectTo(c, viewer ? "/" : "/sign-in");
		const db = c.get("db");
		const nowMs = Date.now();
		const ip = c.req.header("cf-connecting-ip") ?? null;
		const code = c.req.valid("form").code.replace(/\s/g, "");
		const user = { userId: viewer.userId, name: viewer.name, email: viewer.email, mfaEnabled: true };
		let usedRecoveryCode = false;
		// Codes are guessable in a million tries: the same gate and lockout as passwords.
		const { outcome, writes } = await throttledCheck(db, { subject: viewer.email, ip, nowMs }, async () => {
			const totp = await findTotp(db, viewer.userId, true);
			const step = totp ? await matchTotp(totp.secret, code, nowMs, totp.usedAt) : null;
			// A code passes once: a replay, or the same code sent at once from another session, is a wrong code.
			if (totp && step !== null && (await claimTotpStep(db, totp.id, step))) return true;
			usedRecoveryCode =
				code.length > 6 && (await consumeRecoveryCode(db, viewer.userId, await sha256Hex(normalizeRecoveryCode(code))));
			return usedRecoveryCode;
		});
		if (outcome === "locked") {
			return renderPage(c, {
				title: "Two-step verification",
				status: 429,
				body: <MfaChallengeForm error="Too many attempts. Wait 15 minutes and try again." />,
			});
		}
		if (outcome === "ok") {
			if (usedRecoveryCode) await recordRecoveryCodeUse(visitorUnitOf(c), user);
			return completeSignIn(c, user, "mfa", true);
		}
		await recordMfaFailure(visitorUnitOf(c), user, writes);
		return renderPage(c, {
			title: "Two-step verification",
			status: 422,
			body: <MfaChallengeForm error="That code is not right. Check the time on your device, or use a recovery code." />,
		});
	},
);

authRoutes.post("/sign-out", async (c) => {
	const viewer = c.get("viewer");
	if (viewer) {
		await signOut(visitorUnitOf(c), viewer, endSession(c, viewer.sessionId));
	}
	return redirectTo(c, "/sign-in?notice=signed-out");
});
