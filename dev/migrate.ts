// `npm run db:migrate`: migrates the main database and then every dedicated tenant database (each with
// its own token), and reports each. Exits non-zero when any of them failed. DATABASE_URL and
// DATABASE_AUTH_TOKEN name the main database (default: the local libSQL server of `npm start`).
import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";

const root = join(import.meta.dirname, "..");
const mainUrl = process.env.DATABASE_URL ?? "http://127.0.0.1:8080/";

async function applied(client: Client): Promise<number> {
	try {
		const result = await client.execute("SELECT count(*) AS n FROM __drizzle_migrations");
		return Number(result.rows[0]?.n ?? 0);
	} catch {
		return 0;
	}
}

async function migrateOne(label: string, url: string, authToken: string | undefined): Promise<boolean> {
	const client = createClient({ url, authToken });
	try {
		const before = await applied(client);
		await migrate(drizzle(client), { migrationsFolder: join(root, "migrations") });
		const after = await applied(client);
		console.log(
			`${label}: ${after > before ? `applied ${after - before} migration(s), now at ${after}` : `up to date (${after})`}`,
		);
		return true;
	} catch (error) {
		console.log(`${label}: FAILED — ${(error as Error).message}`);
		return false;
	} finally {
		client.close();
	}
}

let ok = await migrateOne("main database", mainUrl, process.env.DATABASE_AUTH_TOKEN);
if (ok) {
	const main = createClient({ url: mainUrl, authToken: process.env.DATABASE_AUTH_TOKEN });
	const dedicated = await main.execute(
		"SELECT slug, database_url, database_auth_token FROM organizations WHERE isolation_tier = 'dedicated' AND database_url IS NOT NULL ORDER BY slug",
	);
	main.close();
	for (const row of dedicated.rows) {
		const done = await migrateOne(
			`dedicated database of ${row.slug}`,
			String(row.database_url),
			row.database_auth_token ? String(row.database_auth_token) : undefined,
		);
		ok &&= done;
	}
	if (dedicated.rows.length === 0) console.log("no dedicated databases");
}
process.exitCode = ok ? 0 : 1;
