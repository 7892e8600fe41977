// Where passwords are hashed and checked. scrypt costs about 100 ms of CPU per hash and holds its
// isolate for that time, so in production it runs in its own Worker (`portico-passwords`, reached by the
// PASSWORDS service binding): its isolates scale apart from the page isolates, and a burst of sign-ins
// does not stall page requests behind it. Without the binding (tests, tools) the same functions run
// here. The algorithms and their parameters live in `auth/password.ts` either way.
import * as z from "zod";
import { hashPassword, verifyPassword } from "../auth/password.ts";

export interface Passwords {
	hash(password: string): Promise<string>;
	verify(password: string, stored: string): Promise<boolean>;
}

/** The binding's whole API: two POSTs with JSON bodies. */
export const hashRequest = z.strictObject({ password: z.string().max(1024) });
export const verifyRequest = z.strictObject({ password: z.string().max(1024), stored: z.string().max(512) });
const hashAnswer = z.object({ hash: z.string() });
const verifyAnswer = z.object({ ok: z.boolean() });

export const inProcess: Passwords = { hash: hashPassword, verify: verifyPassword };

async function call<T>(binding: Fetcher, path: string, body: unknown, answer: z.ZodType<T>): Promise<T> {
	const response = await binding.fetch(`https://passwords.internal${path}`, {
		method: "POST",
		headers: { "content-type": "application/json" },
		body: JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`the password Worker answered ${response.status} to ${path}`);
	return answer.parse(await response.json());
}

export function passwordsFor(bindings: { PASSWORDS?: Fetcher }): Passwords {
	const binding = bindings.PASSWORDS;
	if (!binding) return inProcess;
	return {
		hash: async (password) => (await call(binding, "/hash", { password }, hashAnswer)).hash,
		verify: async (password, stored) => (await call(binding, "/verify", { password, stored }, verifyAnswer)).ok,
	};
}
