// Operator sign-in on the apex: email and password, then TOTP — enrolled on the first sign-in, required
// on every one. Failures count toward the same lockout as members' sign-ins, under their own key.
import { type Context, Hono } from "hono";
import * as z from "zod";
import { matchTotp, newTotpSecret } from "../../auth/mfa.ts";
import { emailSchema } from "../../auth/password-policy.ts";
import { passwordMatches, throttledCheck } from "../../auth/throttle.ts";
import { totpQrDataUri } from "../../auth/totp-qr.ts";
import type { AppEnv } from "../../context.ts";
import {
	claimOperatorTotpStep,
	deleteOperatorSession,
	findOperatorByEmail,
	operatorAuditInsert,
	operatorMfaPassedWrites,
	setOperatorTotpSecret,
} from "../../db/operators.ts";
import { formBody } from "../../lib/form-body.ts";
import { fieldErrors } from "../../lib/forms.ts";
import { validate } from "../../lib/validate.ts";
import { redirectTo } from "../../middleware/guards.ts";
import { clearOperatorCookie, currentOperatorSession, startOperatorSession } from "../../ops/session.ts";
import { passwordsFor } from "../../passwords/service.ts";
import { MfaChallengeForm, MfaEnrolForm } from "../../views/pages/identity/mfa.tsx";
import { OpsSignInForm } from "../../views/pages/ops/shell.tsx";
import { renderPage } from "../../views/render.tsx";

export const opsAuthRoutes = new Hono<AppEnv>();

const signInSchema = z.strictObject({
	email: emailSchema,
	password: z.string().min(1, { error: "Enter your password." }).max(1024, { error: "That password is too long." }),
});

/** Throttle counters are keyed by email: operators get their own namespace. */
const throttleKey = (email: string) => `operator:${email}`;
const ip = (c: Context<AppEnv>) => c.req.header("cf-connecting-ip") ?? null;

function signInPage(c: Context<AppEnv>, props: Parameters<typeof OpsSignInForm>[0] = {}, status = 200) {
	const notice = c.req.query("notice") === "signed-out" ? "You are signed out of the console." : undefined;
	return renderPage(c, {
		title: "Operator sign-in",
		status,
		body: <OpsSignInForm notice={notice} {...props} />,
	});
}

opsAuthRoutes.get("/sign-in", (c) => signInPage(c));

opsAuthRoutes.post("/sign-in", async (c) => {
	const form = signInSchema.safeParse(await formBody(c));
	if (!form.success) return signInPage(c, { errors: fieldErrors(form.error) }, 422);
	const { email, password } = form.data;
	const db = c.get("db");
	const nowMs = Date.now();
	let operator: Awaited<ReturnType<typeof findOperatorByEmail>> = null;
	const { outcome, writes } = await throttledCheck(db, { subject: throttleKey(email), ip: ip(c), nowMs }, async () => {
		operator = await findOperatorByEmail(db, email);
		// Unknown emails cost the same time as wrong passwords.
		return passwordMatches(passwordsFor(c.env), password, operator?.passwordHash);
	});
	if (outcome === "locked") {
		return signInPage(c, { email, formError: "Too many attempts. Wait 15 minutes and try again." }, 429);
	}
	const found = operator as Awaited<ReturnType<typeof findOperatorByEmail>>;
	if (outcome === "wrong" || !found) {
		await db.batch([
			operatorAuditInsert(db, {
				operator: { id: found?.id ?? "", label: email },
				action: "operator.sign_in_failed",
				ip: ip(c),
			}),
			...writes,
		]);
		return signInPage(c, { email, formError: "That email and password do not match an operator account." }, 401);
	}
	const session = await startOperatorSession(c, found.id);
	const previous = await currentOperatorSession(c);
	await db.batch([session.insert, ...writes, ...(previous ? [deleteOperatorSession(db, previous.sessionId)] : [])]);
	session.setSessionCookie();
	return redirectTo(c, "/ops/mfa");
});

async function mfaPage(c: Context<AppEnv>, error?: string) {
	const session = await currentOperatorSession(c);
	if (!session) return redirectTo(c, "/ops/sign-in");
	if (session.mfaVerified) return redirectTo(c, "/ops");
	const status = error ? 422 : 200;
	if (session.totpConfirmedAt) {
		return renderPage(c, {
			title: "Two-step verification",
			status,
			body: <MfaChallengeForm error={error} action="/ops/mfa" signOutAction="/ops/sign-out" />,
		});
	}
	// First sign-in: the console cannot be used before an authenticator is enrolled.
	let secret = session.totpSecret;
	if (!secret) {
		secret = newTotpSecret();
		await setOperatorTotpSecret(c.get("db"), session.operatorId, secret);
	}
	return renderPage(c, {
		title: "Set up two-step verification",
		status,
		body: (
			<MfaEnrolForm
				qrDataUri={totpQrDataUri(secret, "Portico console", session.email)}
				secret={secret}
				error={error}
				required={false}
				action="/ops/mfa"
			/>
		),
	});
}

opsAuthRoutes.get("/mfa", (c) => mfaPage(c));

opsAuthRoutes.post("/mfa", validate("form", z.strictObject({ code: z.string().max(64).default("") })), async (c) => {
	const session = await currentOperatorSession(c);
	if (!session) return redirectTo(c, "/ops/sign-in");
	if (session.mfaVerified) return redirectTo(c, "/ops");
	const db = c.get("db");
	const nowMs = Date.now();
	const code = c.req.valid("form").code.replace(/\s/g, "");
	let step: number | null = null;
	const gate = { subject: throttleKey(session.email), ip: ip(c), nowMs };
	const { outcome, writes } = await throttledCheck(db, gate, async () => {
		step = session.totpSecret ? await matchTotp(session.totpSecret, code, nowMs, session.totpLastStep) : null;
		return step !== null && (await claimOperatorTotpStep(db, session.operatorId, step));
	});
	if (outcome === "locked") return mfaPage(c, "Too many attempts. Wait 15 minutes and try again.");
	const operator = { id: session.operatorId, label: session.name };
	if (outcome === "wrong" || step === null) {
		await db.batch([operatorAuditInsert(db, { operator, action: "operator.mfa_failed", ip: ip(c) }), ...writes]);
		return mfaPage(c, "That code is not right. Check the time on your device and try again.");
	}
	const confirming = !session.totpConfirmedAt;
	await db.batch([
		operatorAuditInsert(db, {
			operator,
			action: confirming ? "operator.mfa_enrolled" : "operator.signed_in",
			ip: ip(c),
		}),
		...operatorMfaPassedWrites(db, session.operatorId, session.sessionId, step, nowMs, confirming),
		// The attempt reserved was not a failure.
		...writes,
	]);
	return redirectTo(c, "/ops");
});

opsAuthRoutes.post("/sign-out", async (c) => {
	const session = await currentOperatorSession(c);
	const db = c.get("db");
	if (session) {
		await db.batch([
			deleteOperatorSession(db, session.sessionId),
			operatorAuditInsert(db, {
				operator: { id: session.operatorId, label: session.name },
				action: "operator.signed_out",
				ip: ip(c),
			}),
		]);
	}
	clearOperatorCookie(c);
	return redirectTo(c, "/ops/sign-in?notice=signed-out");
});
