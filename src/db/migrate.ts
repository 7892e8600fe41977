// Migrating a database from the Worker (the dedicated databases it provisions), with the migrations
// bundled at build time. It keeps drizzle's own bookkeeping — the `__drizzle_migrations` table, one row
// per file with its hash and journal time — so `npm run db:migrate` and the Worker agree on what has run.
import { sql } from "drizzle-orm";
import { MIGRATIONS } from "../generated/migrations.ts";
import type { Db } from "./client.ts";

/** Applies the migrations the database has not had, in one batch; returns how many. */
export async function migrateDatabase(db: Db): Promise<number> {
	await db.run(
		sql`CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
	);
	const [last] = await db.all<{ created_at: number | string }>(
		sql`SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1`,
	);
	const lastAt = last ? Number(last.created_at) : Number.NEGATIVE_INFINITY;
	const pending = MIGRATIONS.filter((m) => m.when > lastAt);
	const statements = pending.flatMap((m) => [
		...m.statements.filter((s) => s.trim() !== "").map((s) => db.run(sql.raw(s))),
		db.run(sql`INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (${m.hash}, ${m.when})`),
	]);
	const [first, ...rest] = statements;
	if (first) await db.batch([first, ...rest]);
	return pending.length;
}

/** Whether the database has every migration this Worker was built with. */
export async function isMigrated(db: Db): Promise<boolean> {
	const newest = MIGRATIONS.at(-1)?.when ?? 0;
	try {
		const [row] = await db.all<{ n: number }>(
			sql`SELECT count(*) AS n FROM "__drizzle_migrations" WHERE created_at >= ${newest}`,
		);
		return (row?.n ?? 0) > 0;
	} catch {
		return false;
	}
}
