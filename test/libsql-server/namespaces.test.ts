// Databases created the way Turso's Platform API creates them — each with a token of its own, the only
// credential it accepts — and `npm run db:migrate`, which migrates the main database and every
// dedicated one with its own token.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { useServer } from "./helpers.ts";

const server = useServer({ authToken: "main-token-0123456789abcdef" });
const admin = { authorization: "Bearer main-token-0123456789abcdef", "content-type": "application/json" };

async function create(name: string, token: string) {
	return fetch(new URL(`_namespaces/${name}`, server.url), {
		method: "POST",
		headers: admin,
		body: JSON.stringify({ auth_token: token }),
	});
}

describe("namespaces with their own tokens", () => {
	it("accepts a database's own token only, refuses a second creation and drops it on DELETE", async () => {
		expect((await create("tenant-a", "tenant-a-token-0123456789")).status).toBe(201);
		expect((await create("tenant-a", "another-token-0123456789")).status).toBe(409);
		expect((await create("Bad Name", "tenant-a-token-0123456789")).status).toBe(400);
		expect((await create("tenant-b", "short")).status).toBe(400);
		const body = JSON.stringify({ requests: [{ type: "execute", stmt: { sql: "select 1" } }] });
		const call = (token: string) =>
			fetch(new URL("db/tenant-a/v2/pipeline", server.url), {
				method: "POST",
				headers: { authorization: `Bearer ${token}` },
				body,
			});
		expect((await call("tenant-a-token-0123456789")).status).toBe(200);
		expect((await call("main-token-0123456789abcdef")).status).toBe(401);
		const noAdmin = await fetch(new URL("_namespaces/tenant-c", server.url), {
			method: "POST",
			body: JSON.stringify({ auth_token: "tenant-c-token-0123456789" }),
		});
		expect(noAdmin.status).toBe(401);
		expect(
			(await fetch(new URL("_namespaces/tenant-a", server.url), { method: "DELETE", headers: admin })).status,
		).toBe(200);
		expect(
			(await fetch(new URL("_namespaces/tenant-a", server.url), { method: "DELETE", headers: admin })).status,
		).toBe(404);
	});

	it("npm run db:migrate migrates the main database and every dedicated one, reporting each", async () => {
		expect((await create("tenant-m", "tenant-m-token-0123456789")).status).toBe(201);
		const run = () =>
			promisify(execFile)(process.execPath, [join(import.meta.dirname, "..", "..", "dev", "migrate.ts")], {
				env: { ...process.env, DATABASE_URL: server.url, DATABASE_AUTH_TOKEN: "main-token-0123456789abcdef" },
			});
		const first = await run();
		expect(first.stdout).toMatch(/main database: applied \d+ migration/);
		expect(first.stdout).toContain("no dedicated databases");
		const main = createClient({ url: server.url, authToken: "main-token-0123456789abcdef" });
		await main.execute({
			sql: "insert into organizations (id, slug, name, isolation_tier, database_url, database_auth_token) values ('org_m', 'm-co', 'M', 'dedicated', ?, 'tenant-m-token-0123456789')",
			args: [`${server.url}db/tenant-m/`],
		});
		main.close();
		const second = await run();
		expect(second.stdout).toMatch(/main database: up to date/);
		expect(second.stdout).toMatch(/dedicated database of m-co: applied \d+ migration/);
		expect((await run()).stdout).toMatch(/dedicated database of m-co: up to date/);
		// Three Node processes, each applying every migration: seconds on a loaded two-core machine.
	}, 30_000);
});
