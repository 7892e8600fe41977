// Tenant-bound data access: every WHERE, UPDATE, DELETE and INSERT carries the organization's id.
// Routes and jobs reach tenant tables only through `tenantData()`; the raw client never leaves src/db.
import { and, count, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import type { Db } from "./client.ts";
import { requireThat } from "./preconditions.ts";
import type { TenantTable } from "./schema.ts";

type InsertOf<T extends TenantTable> = Omit<T["$inferInsert"], "orgId">;

export interface TenantContext {
	orgId: string;
	db: Db;
}

export function tenantData({ orgId, db }: TenantContext) {
	const scope = (table: TenantTable, where?: SQL) => and(eq(table.orgId, orgId), where);
	return {
		orgId,
		select<T extends TenantTable>(table: T, where?: SQL) {
			return db.select().from(table).where(scope(table, where));
		},
		count<T extends TenantTable>(table: T, where?: SQL) {
			return db
				.select({ n: count() })
				.from(table as TenantTable)
				.where(scope(table, where));
		},
		/** Rows per value of `column`, counted by the database (GROUP BY), never by loading the rows. */
		countBy<T extends TenantTable, C extends SQLiteColumn>(table: T, column: C, where?: SQL) {
			return db.select({ key: column, n: count() }).from(table).where(scope(table, where)).groupBy(column);
		},
		sum<T extends TenantTable>(table: T, column: SQLiteColumn, where?: SQL) {
			return db
				.select({ n: sql<number>`coalesce(sum(${column}), 0)` })
				.from(table as TenantTable)
				.where(scope(table, where));
		},
		insertMany<T extends TenantTable>(table: T, values: InsertOf<T>[]) {
			return db.insert(table).values(values.map((v) => withOrg<T>(v, orgId)));
		},
		insert<T extends TenantTable>(table: T, values: InsertOf<T>) {
			return db.insert(table).values(withOrg<T>(values, orgId));
		},
		/**
		 * Inserts the row only when `condition` holds at write time (INSERT … SELECT … WHERE, one statement;
		 * its `rowsAffected` says whether it did). Plain columns only: values are bound as given.
		 */
		insertWhen<T extends TenantTable>(table: T, values: InsertOf<T>, condition: SQL) {
			const columns = getTableColumns(table) as Record<string, { name: string }>;
			const entries = Object.entries(withOrg<T>(values, orgId) as Record<string, unknown>).filter(
				([, value]) => value !== undefined,
			);
			const names = sql.join(
				entries.map(([key]) => sql.identifier(columns[key]?.name ?? key)),
				sql`, `,
			);
			const bound = sql.join(
				entries.map(([, value]) => sql`${value}`),
				sql`, `,
			);
			return db.run(sql`insert into ${table} (${names}) select ${bound} where ${condition}`);
		},
		/** Insert, or on a conflict on `target` update `set` (which may use SQL over the existing row). */
		upsert<T extends TenantTable>(
			table: T,
			values: InsertOf<T>,
			target: SQLiteColumn | SQLiteColumn[],
			set: SQLiteUpdateSetSource<T>,
		) {
			return db.insert(table).values(withOrg<T>(values, orgId)).onConflictDoUpdate({ target, set });
		},
		update<T extends TenantTable>(table: T, set: SQLiteUpdateSetSource<T>, where?: SQL) {
			return db.update(table).set(set).where(scope(table, where));
		},
		delete<T extends TenantTable>(table: T, where?: SQL) {
			return db.delete(table).where(scope(table, where));
		},
		batch: db.batch.bind(db),
		/** A precondition the batch it opens decides at write time (see preconditions.ts). */
		requireThat(condition: SQL, reason: string) {
			return requireThat(db, condition, reason);
		},
		/** Whether tenant data shares this database (shared tier), so a batch may span both. */
		usesDatabase(other: Db): boolean {
			return other === db;
		},
	};
}

/** The row with the organization's id: the one place the id is added, so no caller can set another. */
function withOrg<T extends TenantTable>(values: InsertOf<T>, orgId: string): T["$inferInsert"] {
	return { ...values, orgId } as T["$inferInsert"];
}

export type TenantData = ReturnType<typeof tenantData>;
