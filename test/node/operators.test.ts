// The operator CLI against a real libSQL server with the migrations applied: add, reset TOTP, remove.
import { createClient } from "@libsql/client";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addOperator, removeOperator, resetOperatorMfa } from "../../dev/operators.ts";
import { verifyPassword } from "../../src/auth/password.ts";
import { openDatabase } from "../../src/db/client.ts";
import { operatorSessions, operators } from "../../src/db/schema.ts";
import { type RunningServer, startLibsqlServer } from "../support/libsql.ts";

let server: RunningServer;
beforeAll(async () => {
	server = await startLibsqlServer();
	const client = createClient({ url: server.url });
	await migrate(drizzle(client), { migrationsFolder: "migrations" });
	client.close();
});
afterAll(() => server.stop());

describe("operator CLI", () => {
	it("adds an operator with a generated password, resets their TOTP and removes them", async () => {
		const db = openDatabase({ url: server.url });
		const { password } = await addOperator(db, "new-op@portico.test", " Nina Operator ");
		const [row] = await db.select().from(operators).where(eq(operators.email, "new-op@portico.test"));
		expect(row?.name).toBe("Nina Operator");
		expect(await verifyPassword(password, row?.passwordHash ?? "")).toBe(true);
		await expect(addOperator(db, "not-an-email", "X")).rejects.toThrow();
		await db
			.update(operators)
			.set({ totpSecret: "ABC", totpConfirmedAt: 1 })
			.where(eq(operators.id, row?.id ?? ""));
		await db.insert(operatorSessions).values({
			id: "ops_x",
			tokenHash: "h",
			operatorId: row?.id ?? "",
			expiresAt: Date.now() + 1000,
			absoluteExpiresAt: Date.now() + 1000,
		});
		expect(await resetOperatorMfa(db, "new-op@portico.test")).toBe(true);
		const [reset] = await db.select().from(operators).where(eq(operators.email, "new-op@portico.test"));
		expect([reset?.totpSecret, reset?.totpConfirmedAt]).toEqual([null, null]);
		expect(await db.select().from(operatorSessions)).toEqual([]);
		expect(await removeOperator(db, "new-op@portico.test")).toBe(true);
		expect(await removeOperator(db, "new-op@portico.test")).toBe(false);
	});
});
