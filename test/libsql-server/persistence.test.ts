import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createClient } from "@libsql/client/web";
import { describe, expect, it } from "vitest";
import { startLibsqlServer } from "../support/libsql.ts";

const run = promisify(execFile);

describe("durability and tooling", () => {
	it("keeps committed data across a restart on the same data directory", async () => {
		const first = await startLibsqlServer();
		const a = createClient({ url: `${first.url}db/keep/` });
		await a.batch(["CREATE TABLE k (v TEXT)", "INSERT INTO k VALUES ('survives')"], "write");
		a.close();
		await first.stop({ keepData: true });

		const second = await startLibsqlServer({ dataDir: first.dataDir });
		const b = createClient({ url: `${second.url}db/keep/` });
		const rs = await b.execute("SELECT v FROM k");
		b.close();
		await second.stop();
		expect(rs.rows.map((r) => r.v)).toEqual(["survives"]);
	});

	it("applies the project's migrations with drizzle-kit migrate", async () => {
		const server = await startLibsqlServer();
		try {
			await run("npx", ["drizzle-kit", "migrate"], { env: { ...process.env, DATABASE_URL: `${server.url}db/kit/` } });
			const client = createClient({ url: `${server.url}db/kit/` });
			const rs = await client.execute("SELECT key FROM roles WHERE org_id IS NULL ORDER BY key");
			client.close();
			expect(rs.rows.map((r) => r.key)).toEqual(["admin", "member", "owner"]);
		} finally {
			await server.stop();
		}
	}, 30_000);
});
