// Moving one organization's tenant data between databases: the write lock in the database it leaves,
// clearing what a failed earlier move left in the target, the paged copy, and emptying the source.
// Only the move (src/tenancy/move.ts) uses this; it is the one place rows cross databases.
import { getTableColumns, getTableName, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./client.ts";
import {
	auditRetentionGate,
	organizations,
	tenantTables,
	tenantWriteLocks,
	usageEvents,
	usageWatermarks,
} from "./schema.ts";

/** Rows per read and per insert while copying. */
export const COPY_PAGE = 200;

const COPIED: SQLiteTable[] = Object.values(tenantTables).filter((t) => t !== auditRetentionGate);

/** From now on the organization's writes in `db` are refused (`tenant_moving`); reads go on. */
export function lockWrites(db: Db, orgId: string, nowMs: number) {
	return db
		.insert(tenantWriteLocks)
		.values({ orgId, allowDelete: false, createdAt: nowMs })
		.onConflictDoUpdate({ target: tenantWriteLocks.orgId, set: { allowDelete: false, createdAt: nowMs } });
}

export function unlockWrites(db: Db, orgId: string) {
	return db.delete(tenantWriteLocks).where(sql`${tenantWriteLocks.orgId} = ${orgId}`);
}

/** Deletes every tenant row of the organization in `db` (the retention gate open for its audit log). */
async function deleteTenantRows(db: Db, orgId: string) {
	await db.batch([
		db.insert(auditRetentionGate).values({ orgId }).onConflictDoNothing(),
		...COPIED.map((table) => db.run(sql`delete from ${table} where org_id = ${orgId}`)),
		db.delete(auditRetentionGate).where(sql`${auditRetentionGate.orgId} = ${orgId}`),
	]);
}

/** Makes the target ready to receive: no lock, nothing left over from an attempt that failed. */
export async function clearTarget(db: Db, orgId: string) {
	await unlockWrites(db, orgId);
	await deleteTenantRows(db, orgId);
}

/**
 * After the switch: the organization's rows leave the source. The lock stays (deletes allowed), so a
 * request that still holds the old address cannot write there.
 */
export async function emptySource(db: Db, orgId: string) {
	await db.update(tenantWriteLocks).set({ allowDelete: true }).where(sql`${tenantWriteLocks.orgId} = ${orgId}`);
	await deleteTenantRows(db, orgId);
}

/**
 * Copies every tenant table's rows of the organization, a page at a time in rowid order. Usage events
 * get new sequence numbers in the target (the sequence is shared by the organizations of a database), in
 * the same order; the aggregation watermark is moved to the same event. Returns the rows copied.
 */
export async function copyTenantRows(source: Db, target: Db, orgId: string): Promise<number> {
	let copied = 0;
	for (const table of COPIED) {
		const columns = Object.values(getTableColumns(table))
			.map((c) => c.name)
			.filter((name) => !(table === usageEvents && name === "seq"));
		const list = sql.join(
			columns.map((c) => sql.identifier(c)),
			sql`, `,
		);
		const order = table === usageEvents ? sql`seq` : sql`rowid`;
		for (let after = -1; ; ) {
			const rows = await source.all<Record<string, unknown>>(
				sql`select ${order} as "__at", ${list} from ${table} where org_id = ${orgId} and ${order} > ${after} order by ${order} limit ${COPY_PAGE}`,
			);
			if (rows.length === 0) break;
			const values = rows.map(
				(row) =>
					sql`(${sql.join(
						columns.map((c) => sql`${row[c] ?? null}`),
						sql`, `,
					)})`,
			);
			await target.run(sql`insert into ${table} (${list}) values ${sql.join(values, sql`, `)}`);
			copied += rows.length;
			after = Number(rows[rows.length - 1]?.__at);
			if (rows.length < COPY_PAGE) break;
		}
	}
	await remapWatermark(source, target, orgId);
	return copied;
}

async function remapWatermark(source: Db, target: Db, orgId: string) {
	const [mark] = await source.all<{ last_seq: number }>(
		sql`select last_seq from ${usageWatermarks} where org_id = ${orgId}`,
	);
	if (!mark) return;
	const [folded] = await source.all<{ n: number }>(
		sql`select count(*) as n from ${usageEvents} where org_id = ${orgId} and seq <= ${mark.last_seq}`,
	);
	const n = folded?.n ?? 0;
	const [newMark] =
		n > 0
			? await target.all<{ seq: number }>(
					sql`select seq from ${usageEvents} where org_id = ${orgId} order by seq limit 1 offset ${n - 1}`,
				)
			: [{ seq: 0 }];
	await target.run(sql`update ${usageWatermarks} set last_seq = ${newMark?.seq ?? 0} where org_id = ${orgId}`);
}

/**
 * Claims the organization for a move made at `claimAt`: false when another move holds it (the write
 * decides). With `resume`, the same claim may be taken again — a retried message resumes its own move.
 */
export async function claimMove(main: Db, orgId: string, claimAt: number, resume: boolean): Promise<boolean> {
	const result = await main.run(
		resume
			? sql`update ${organizations} set database_moving_at = ${claimAt}
			      where id = ${orgId} and (database_moving_at is null or database_moving_at = ${claimAt})`
			: sql`update ${organizations} set database_moving_at = ${claimAt} where id = ${orgId} and database_moving_at is null`,
	);
	return result.rowsAffected === 1;
}

/** The move in progress, if any: when it was claimed and the database it created so far. */
export async function moveInProgress(main: Db, orgId: string) {
	const [row] = await main
		.select({
			claimAt: organizations.databaseMovingAt,
			url: organizations.movingDatabaseUrl,
			token: organizations.movingDatabaseToken,
		})
		.from(organizations)
		.where(sql`${organizations.id} = ${orgId}`);
	return row ?? null;
}

/** Remembers the database a move created, so a retry resumes into it instead of creating another. */
export function rememberMovingDatabase(main: Db, orgId: string, url: string, token: string) {
	return main.run(
		sql`update ${organizations} set moving_database_url = ${url}, moving_database_token = ${token} where id = ${orgId}`,
	);
}

export function releaseMove(main: Db, orgId: string) {
	return main.run(
		sql`update ${organizations} set database_moving_at = null, moving_database_url = null, moving_database_token = null where id = ${orgId}`,
	);
}

/** The switch: from now on the organization's tenant data is read and written in its new database. */
export function switchDatabase(
	main: Db,
	orgId: string,
	to: { isolationTier: "shared" | "dedicated"; databaseUrl: string | null; databaseAuthToken: string | null },
) {
	return main.run(
		sql`update ${organizations} set isolation_tier = ${to.isolationTier}, database_url = ${to.databaseUrl},
		    database_auth_token = ${to.databaseAuthToken}, database_moving_at = null,
		    moving_database_url = null, moving_database_token = null where id = ${orgId}`,
	);
}

export const tableNames = () => COPIED.map((t) => getTableName(t));
