// Operators for console tests: an enrolled (or not) operator, and a console session after password + TOTP.
import { newTotpSecret, TOTP_STEP_MS, totpCode } from "../../src/auth/mfa.ts";
import { hashPassword } from "../../src/auth/password.ts";
import { operators } from "../../src/db/schema.ts";
import { newId } from "../../src/lib/ids.ts";
import { cookieFrom, PASSWORD, request, testDb } from "./worker.ts";

export const APEX = "http://localhost";

export async function createOperator(enrolled = true) {
	const operator = {
		id: newId("opr"),
		email: `op-${crypto.randomUUID().slice(0, 8)}@portico.test`,
		name: "Olga Operator",
		passwordHash: await hashPassword(PASSWORD),
		totpSecret: enrolled ? newTotpSecret() : null,
		totpConfirmedAt: enrolled ? Date.now() : null,
	};
	await testDb().insert(operators).values(operator);
	return operator;
}

export const currentCode = (secret: string) => totpCode(secret, Math.floor(Date.now() / TOTP_STEP_MS));

export async function opsSignIn(operator: { email: string; totpSecret: string | null }) {
	const res = await request(`${APEX}/ops/sign-in`, { form: { email: operator.email, password: PASSWORD } });
	const cookie = cookieFrom(res);
	if (res.status !== 303 || !cookie)
		throw new Error(`operator sign-in failed: ${res.status} ${res.text.slice(0, 200)}`);
	const mfa = await request(`${APEX}/ops/mfa`, {
		cookie,
		form: { code: await currentCode(operator.totpSecret ?? "") },
	});
	if (mfa.headers.get("location") !== "/ops") throw new Error(`operator MFA failed: ${mfa.status}`);
	return cookie;
}
