// Executes Hrana statements, batches and sequences on one engine connection.
import type Database from "libsql";
import { type Analysis, prepareOne, StmtError } from "./analyse.ts";
import { decodeValue, type EngineValue, encodeValue, FatalProtocolError, ProtocolError } from "./values.ts";

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
	if (sql !== undefined && sql !== null && sqlId !== undefined && sqlId !== null)
		throw new FatalProtocolError("A statement may have 'sql' or 'sql_id', not both", "SQL_ID_AND_SQL_GIVEN");
	if (typeof sql === "string") return sql;
	if (typeof sqlId === "number") {
		const text = stored.get(sqlId);
		if (text === undefined) throw new ProtocolError(`SQL text ${sqlId} was not stored`, "SQL_NOT_FOUND");
		return text;
	}
	throw new FatalProtocolError("A statement needs 'sql' or 'sql_id'", "SQL_MISSING");
}

/**
 * The arguments bound as sqld binds them: positional ones must fill exactly the statement's parameters;
 * named ones must each name a parameter (with or without its prefix) and leave none unset.
 */
function bindArgs(stmt: Stmt, analysis: Analysis): EngineValue[] | Record<string, EngineValue> {
	if (stmt.args !== undefined && !Array.isArray(stmt.args)) {
		throw new StmtError("'args' must be an array", "ARGS_INVALID");
	}
	if (stmt.named_args !== undefined && !Array.isArray(stmt.named_args)) {
		throw new StmtError("'named_args' must be an array", "ARGS_INVALID");
	}
	const positional = (stmt.args ?? []).map(decodeValue);
	const named = (stmt.named_args ?? []) as { name?: unknown; value?: unknown }[];
	if (named.length > 0 && positional.length > 0) {
		throw new StmtError(
			"Specifying both positional and named arguments is not supported",
			"ARGS_BOTH_POSITIONAL_AND_NAMED",
		);
	}
	if (analysis.unchecked) {
		if (named.length === 0) return positional;
		return Object.fromEntries(
			named.map((arg) => [String(arg?.name ?? "").replace(/^[:@$]/, ""), decodeValue(arg?.value)]),
		);
	}
	if (named.length === 0) {
		if (positional.length !== analysis.paramCount) {
			throw new StmtError(
				`Arguments do not match SQL parameters: the statement has ${analysis.paramCount}, ${positional.length} given`,
				"ARGS_INVALID",
			);
		}
		return positional;
	}
	const byName = new Map<string, EngineValue>();
	for (const arg of named) {
		if (typeof arg?.name !== "string") throw new StmtError("A named argument needs a 'name'", "ARGS_INVALID");
		byName.set(arg.name, decodeValue(arg.value));
	}
	const out: Record<string, EngineValue> = {};
	const used = new Set<string>();
	for (const [index, name] of analysis.paramNames) {
		if (name === null || name.startsWith("?")) {
			throw new StmtError(`Arguments do not match SQL parameters: parameter ${index} has no name`, "ARGS_INVALID");
		}
		const bare = name.slice(1);
		const key = [name, bare].find((k) => byName.has(k));
		if (key === undefined) {
			throw new StmtError(`Arguments do not match SQL parameters: ${name} is not given`, "ARGS_INVALID");
		}
		used.add(key);
		// The engine takes parameter names without their ':', '@' or '$' prefix.
		out[bare] = byName.get(key) ?? null;
	}
	const unknown = [...byName.keys()].filter((k) => !used.has(k));
	if (unknown.length > 0) {
		throw new StmtError(`Arguments do not match SQL parameters: no parameter ${unknown[0]}`, "ARGS_INVALID");
	}
	return out;
}

/** One prepared counter query per connection: asked twice per statement, it must cost next to nothing. */
const counterStatements = new WeakMap<Connection, ReturnType<Connection["prepare"]>>();

/** Counters the engine keeps: what the statement changed is the difference, whatever its text says. */
function engineCounters(conn: Connection): { total: bigint; changes: bigint; rowid: bigint } {
	// all(), not get(): a statement left stepping would keep the next statement's read snapshot open.
	let counter = counterStatements.get(conn);
	if (!counter) {
		counter = conn.prepare("SELECT total_changes(), changes(), last_insert_rowid()").raw(true).safeIntegers(true);
		counterStatements.set(conn, counter);
	}
	const [[total, changes, rowid] = []] = counter.all([]) as bigint[][];
	return { total: total ?? 0n, changes: changes ?? 0n, rowid: rowid ?? 0n };
}

export function executeStmt(conn: Connection, stmt: Stmt, stored: Map<number, string>, counters: Counters): StmtResult {
	if (typeof stmt !== "object" || stmt === null) throw new ProtocolError("'stmt' must be an object", "STMT_INVALID");
	const sql = resolveSql(stmt.sql, stmt.sql_id, stored);
	const { prepared, analysis } = prepareOne(conn, sql);
	const args = bindArgs(stmt, analysis);
	const wantRows = stmt.want_rows !== false;
	const started = performance.now();
	counters.statements++;
	const before = engineCounters(conn).total;
	let cols: StmtResult["cols"] = [];
	let rows: unknown[][] = [];
	if (prepared.reader) {
		prepared.raw(true).safeIntegers(true);
		cols = prepared.columns().map((c: { name: string; type: string | null }) => ({
			name: c.name,
			decltype: c.type ?? null,
		}));
		rows = prepared.all(args) as unknown[][];
	} else {
		prepared.run(args);
	}
	// changes() is only this statement's when total_changes() moved: a SELECT (or WITH … SELECT) leaves
	// the previous statement's count in changes().
	const after = engineCounters(conn);
	const changed = after.total !== before;
	const changes = changed ? Number(after.changes) : 0;
	return {
		cols,
		rows: wantRows ? rows.map((row) => row.map(encodeValue)) : [],
		affected_row_count: changes,
		last_insert_rowid: changed ? String(after.rowid) : null,
		rows_read: rows.length,
		rows_written: changes,
		query_duration_ms: performance.now() - started,
	};
}

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
	const { prepared, analysis } = prepareOne(conn, sql);
	const cols = prepared.reader
		? prepared.columns().map((c: { name: string; type: string | null }) => ({ name: c.name, decltype: c.type ?? null }))
		: [];
	const params = Array.from({ length: analysis.paramCount }, (_, i) => {
		const name = analysis.paramNames.get(i + 1) ?? null;
		return { name: name?.startsWith("?") ? null : name };
	});
	return { params, cols, is_explain: analysis.isExplain, is_readonly: analysis.readonly };
}
