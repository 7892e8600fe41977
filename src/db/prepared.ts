// Statements built once per isolate. Drizzle turns a query into SQL on every call — measured, the
// largest cost of a page view and of a key verification — so the hot reads (the site batch, the key
// lookup, usage ingestion) are built the first time they run, with placeholders, and afterwards only
// their arguments are filled in. The SQL depends on the dialect alone, never on the connection, so one
// built statement serves every database of the isolate. Results are mapped by drizzle as a batch's are.
import type { InArgs, ResultSet } from "@libsql/client/web";
import { fillPlaceholders, type Placeholder, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./client.ts";

/** A statement with its arguments, ready to run alone or in a batch. */
export interface Bound<R> {
	readonly sql: string;
	readonly args: InArgs;
	map(result: ResultSet): R;
}

/** What every drizzle batch item is underneath (select, insert, update, delete and raw queries alike). */
interface Built {
	getQuery(): { sql: string; params: unknown[] };
	mapResult(response: unknown, isFromBatch?: boolean): unknown;
}

/**
 * A statement built on first use. `build` receives a placeholder per name and returns any drizzle query;
 * the result is a function of the database and the values that returns the statement, bound.
 */
export function prepared<K extends string, Q extends BatchItem<"sqlite">>(
	names: readonly K[],
	build: (db: Db, p: Record<K, Placeholder<K>>) => Q,
): (db: Db, values: Record<K, unknown>) => Bound<Awaited<Q>> {
	let built: { sql: string; params: unknown[]; query: Built } | undefined;
	return (db, values) => {
		if (!built) {
			const placeholders = Object.fromEntries(names.map((name) => [name, sql.placeholder(name)])) as Record<
				K,
				Placeholder<K>
			>;
			const query = (build(db, placeholders) as unknown as { _prepare(): Built })._prepare();
			const { sql: text, params } = query.getQuery();
			built = { sql: text, params, query };
		}
		const { sql: text, params, query } = built;
		return {
			sql: text,
			args: fillPlaceholders(params, values) as InArgs,
			map: (result) => query.mapResult(result, true) as Awaited<Q>,
		};
	};
}

type Results<T extends readonly Bound<unknown>[]> = {
	-readonly [I in keyof T]: T[I] extends Bound<infer R> ? R : never;
};

/** Bound statements in one round trip (an implicit transaction, as drizzle's `db.batch`). */
export async function runBatch<const T extends readonly Bound<unknown>[]>(db: Db, statements: T): Promise<Results<T>> {
	const results = await db.$client.batch(statements.map((s) => ({ sql: s.sql, args: s.args })));
	return statements.map((statement, i) => statement.map(results[i] as ResultSet)) as Results<T>;
}

/** One bound statement, one round trip. */
export async function runOne<R>(db: Db, statement: Bound<R>): Promise<R> {
	return statement.map(await db.$client.execute({ sql: statement.sql, args: statement.args }));
}
