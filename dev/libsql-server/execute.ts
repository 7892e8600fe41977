// Executes Hrana statements, batches and sequences on one engine connection.
import type Database from "libsql";
import { decodeValue, type EngineValue, encodeValue, ProtocolError } from "./values.ts";

export type Connection = InstanceType<typeof Database>;

export interface StmtResult {
	cols: { name: string; decltype: string | null }[];
	rows: ReturnType<typeof encodeValue>[][];
	affected_row_count: number;
	last_insert_rowid: string | null;
	rows_read: number;
	rows_written: number;
	query_duration_ms: number;
}

export interface HranaError {
	message: string;
	code: string;
}

/** Turso reports the primary result code (SQLITE_CONSTRAINT), not the extended one. */
export function toHranaError(error: unknown): HranaError {
	if (error instanceof ProtocolError) return { message: error.message, code: error.code };
	const e = error as { message?: unknown; code?: unknown };
	const message = typeof e?.message === "string" ? e.message : "Unknown error";
	let code = typeof e?.code === "string" ? e.code : "UNKNOWN";
	const primary = /^(SQLITE_[A-Z]+?)(_[A-Z_]+)?$/.exec(code);
	if (primary?.[1]) code = primary[1];
	return { message, code };
}

export function isBusy(error: unknown): boolean {
	const code = (error as { code?: unknown })?.code;
	// SQLITE_BUSY_SNAPSHOT is not retried: the transaction's snapshot is stale and waiting cannot fix it.
	return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}

export interface Counters {
	statements: number;
}

type Stmt = {
	sql?: unknown;
	sql_id?: unknown;
	args?: unknown;
	named_args?: unknown;
	want_rows?: unknown;
};

export function resolveSql(sql: unknown, sqlId: unknown, stored: Map<number, string>): string {
	if (typeof sql === "string") return sql;
	if (typeof sqlId === "number") {
		const text = stored.get(sqlId);
		if (text === undefined) throw new ProtocolError(`SQL text ${sqlId} was not stored`, "SQL_NOT_FOUND");
		return text;
	}
	throw new ProtocolError("A statement needs 'sql' or 'sql_id'", "SQL_MISSING");
}

function bindArgs(stmt: Stmt): EngineValue[] | Record<string, EngineValue> {
	if (stmt.args !== undefined && !Array.isArray(stmt.args)) {
		throw new ProtocolError("'args' must be an array", "ARGS_INVALID");
	}
	if (stmt.named_args !== undefined && !Array.isArray(stmt.named_args)) {
		throw new ProtocolError("'named_args' must be an array", "ARGS_INVALID");
	}
	const positional = (stmt.args ?? []).map(decodeValue);
	const named = (stmt.named_args ?? []) as { name?: unknown; value?: unknown }[];
	if (named.length === 0) return positional;
	if (positional.length > 0) {
		throw new ProtocolError("Use either positional or named arguments, not both", "ARGS_INVALID");
	}
	const out: Record<string, EngineValue> = {};
	for (const arg of named) {
		if (typeof arg?.name !== "string") throw new ProtocolError("A named argument needs a 'name'", "ARGS_INVALID");
		// The engine takes parameter names without their ':', '@' or '$' prefix.
		out[arg.name.replace(/^[:@$]/, "")] = decodeValue(arg.value);
	}
	return out;
}

export function executeStmt(conn: Connection, stmt: Stmt, stored: Map<number, string>, counters: Counters): StmtResult {
	if (typeof stmt !== "object" || stmt === null) throw new ProtocolError("'stmt' must be an object", "STMT_INVALID");
	const sql = resolveSql(stmt.sql, stmt.sql_id, stored);
	const args = bindArgs(stmt);
	const wantRows = stmt.want_rows !== false;
	const started = performance.now();
	counters.statements++;
	const prepared = conn.prepare(sql);
	if (prepared.reader) {
		prepared.raw(true).safeIntegers(true);
		const cols = prepared.columns().map((c: { name: string; type: string | null }) => ({
			name: c.name,
			decltype: c.type ?? null,
		}));
		const rows = prepared.all(args) as unknown[][];
		// INSERT … RETURNING is a reader to the engine, yet it changed rows: ask the connection how many.
		let changes = 0;
		let lastInsertRowid: string | null = null;
		if (WRITES.test(sql)) {
			const [count, rowid] = conn
				.prepare("SELECT changes(), last_insert_rowid()")
				.raw(true)
				.safeIntegers(true)
				.get() as bigint[];
			changes = Number(count);
			lastInsertRowid = String(rowid);
		}
		return {
			cols,
			rows: wantRows ? rows.map((row) => row.map(encodeValue)) : [],
			affected_row_count: changes,
			last_insert_rowid: lastInsertRowid,
			rows_read: rows.length,
			rows_written: changes,
			query_duration_ms: performance.now() - started,
		};
	}
	const info = prepared.run(args) as { changes: number; lastInsertRowid: number | bigint };
	return {
		cols: [],
		rows: [],
		affected_row_count: info.changes,
		last_insert_rowid: info.lastInsertRowid === undefined ? null : String(info.lastInsertRowid),
		rows_read: 0,
		rows_written: info.changes,
		query_duration_ms: performance.now() - started,
	};
}

const WRITES = /^\s*(INSERT|UPDATE|DELETE|REPLACE|WITH)\b/i;

type Cond = { type?: unknown; step?: unknown; cond?: unknown; conds?: unknown };

function evalCond(
	cond: Cond,
	results: (StmtResult | null)[],
	errors: (HranaError | null)[],
	conn: Connection,
): boolean {
	if (typeof cond !== "object" || cond === null)
		throw new ProtocolError("A condition must be an object", "BATCH_COND_INVALID");
	const step = (): number => {
		if (typeof cond.step !== "number" || !Number.isInteger(cond.step) || cond.step < 0 || cond.step >= results.length) {
			throw new ProtocolError("A condition may only refer to an earlier step", "BATCH_COND_INVALID");
		}
		return cond.step;
	};
	switch (cond.type) {
		case "ok":
			return results[step()] !== null;
		case "error":
			return errors[step()] !== null;
		case "not":
			return !evalCond(cond.cond as Cond, results, errors, conn);
		case "and":
			if (!Array.isArray(cond.conds)) throw new ProtocolError("'and' needs 'conds'", "BATCH_COND_INVALID");
			return cond.conds.every((c) => evalCond(c, results, errors, conn));
		case "or":
			if (!Array.isArray(cond.conds)) throw new ProtocolError("'or' needs 'conds'", "BATCH_COND_INVALID");
			return cond.conds.some((c) => evalCond(c, results, errors, conn));
		case "is_autocommit":
			return !conn.inTransaction;
		default:
			throw new ProtocolError(`Unknown condition type ${JSON.stringify(cond.type)}`, "BATCH_COND_INVALID");
	}
}

export interface BatchResult {
	step_results: (StmtResult | null)[];
	step_errors: (HranaError | null)[];
}

/**
 * Runs a batch step by step. A step that hits a lock is retried by `runStep` (asynchronously, so the
 * holder of the lock can finish); a step whose condition is false is skipped with neither result nor error.
 */
export async function executeBatch(
	conn: Connection,
	batch: unknown,
	runStep: <T>(fn: () => T) => Promise<T>,
	stored: Map<number, string>,
	counters: Counters,
): Promise<BatchResult> {
	const steps = (batch as { steps?: unknown })?.steps;
	if (!Array.isArray(steps)) throw new ProtocolError("'batch.steps' must be an array", "BATCH_INVALID");
	const results: (StmtResult | null)[] = [];
	const errors: (HranaError | null)[] = [];
	for (const step of steps as { condition?: Cond | null; stmt?: Stmt }[]) {
		const run = step?.condition == null || evalCond(step.condition, results, errors, conn);
		if (!run) {
			results.push(null);
			errors.push(null);
			continue;
		}
		try {
			results.push(await runStep(() => executeStmt(conn, step.stmt as Stmt, stored, counters)));
			errors.push(null);
		} catch (error) {
			results.push(null);
			errors.push(toHranaError(error));
		}
	}
	return { step_results: results, step_errors: errors };
}

export function describeStmt(conn: Connection, sql: string) {
	const prepared = conn.prepare(sql);
	const cols = prepared.reader
		? prepared.columns().map((c: { name: string; type: string | null }) => ({ name: c.name, decltype: c.type ?? null }))
		: [];
	// The engine binding does not expose parameter names; scan the text for them instead.
	const params = [...new Set(sql.match(/[:@$][A-Za-z_][A-Za-z0-9_]*|\?\d*/g) ?? [])].map((name) => ({
		name: name.startsWith("?") ? null : name,
	}));
	const head = sql.trimStart().slice(0, 16).toUpperCase();
	return {
		params,
		cols,
		is_explain: head.startsWith("EXPLAIN"),
		is_readonly: prepared.reader && !WRITES.test(sql),
	};
}
