// Managing the vendor's operators from a terminal (they have no sign-up): against DATABASE_URL
// (DATABASE_AUTH_TOKEN for Turso).
//   npm run operator -- add <email> "<name>"   a new operator with a generated password, shown once
//   npm run operator -- reset-mfa <email>        lost authenticator: the next sign-in enrols a new one
//   npm run operator -- remove <email>           the operator and their console sessions
import { eq } from "drizzle-orm";
import { hashPassword } from "../src/auth/password.ts";
import { emailSchema } from "../src/auth/password-policy.ts";
import { type Db, openDatabase } from "../src/db/client.ts";
import { operatorSessions, operators } from "../src/db/schema.ts";
import { randomToken } from "../src/lib/crypto.ts";
import { newId } from "../src/lib/ids.ts";

export async function addOperator(db: Db, email: string, name: string): Promise<{ password: string }> {
	const address = emailSchema.parse(email);
	if (!name.trim()) throw new Error("give the operator a name");
	const password = randomToken(18);
	await db
		.insert(operators)
		.values({ id: newId("opr"), email: address, name: name.trim(), passwordHash: await hashPassword(password) });
	return { password };
}

export async function resetOperatorMfa(db: Db, email: string): Promise<boolean> {
	const [row] = await db.select({ id: operators.id }).from(operators).where(eq(operators.email, email));
	if (!row) return false;
	// The operator's sessions end with their authenticator: the next sign-in enrols a new one.
	await db.batch([
		db
			.update(operators)
			.set({ totpSecret: null, totpConfirmedAt: null, totpLastStep: null })
			.where(eq(operators.id, row.id)),
		db.delete(operatorSessions).where(eq(operatorSessions.operatorId, row.id)),
	]);
	return true;
}

export async function removeOperator(db: Db, email: string): Promise<boolean> {
	const rows = await db.delete(operators).where(eq(operators.email, email)).returning({ id: operators.id });
	return rows.length > 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const [command, email = "", name = ""] = process.argv.slice(2);
	const db = openDatabase({
		url: process.env.DATABASE_URL ?? "http://127.0.0.1:8080/",
		authToken: process.env.DATABASE_AUTH_TOKEN,
	});
	if (command === "add") {
		const { password } = await addOperator(db, email, name);
		console.log(`Operator ${email} added. Password (shown once): ${password}\nThe first sign-in at /ops enrols TOTP.`);
	} else if (command === "reset-mfa") {
		console.log((await resetOperatorMfa(db, email)) ? `TOTP reset for ${email}.` : `No operator ${email}.`);
	} else if (command === "remove") {
		console.log((await removeOperator(db, email)) ? `Operator ${email} removed.` : `No operator ${email}.`);
	} else {
		console.log('usage: npm run operator -- add <email> "<name>" | reset-mfa <email> | remove <email>');
		process.exitCode = 1;
	}
}
