// What the engine made of a piece of SQL text, asked of the engine itself rather than guessed from the
// text: the one statement it compiled (its text from `sqlite_stmt`, so what follows it is known), the
// parameters its program reads (`Variable` opcodes of its EXPLAIN: index and name), whether the program
// writes to the database, and whether it attaches a file. sqld refuses what Turso refuses from these:
// no statement (SQL_NO_STATEMENT), more than one (SQL_MANY_STATEMENTS), ATTACH.
//
// EXPLAIN runs on a short-lived sibling connection to the same file: this engine binding leaves an
// EXPLAIN statement active after its last row, which would hold the stream's snapshot open and make its
// COMMIT fail. A statement whose tables exist only inside the stream's own uncommitted transaction
// cannot be compiled there; its parameters are then bound as given (the engine still refuses too many).
import Database from "libsql";
import { ProtocolError } from "./values.ts";

type Connection = InstanceType<typeof Database>;

/** The file each connection has open, so a sibling can be opened on it (registered by streams.ts). */
export const connectionFiles = new WeakMap<Connection, string>();

export interface Analysis {
	/** Parameter count (the highest index, as `sqlite3_bind_parameter_count`). */
	paramCount: number;
	/** Index → name with its prefix (":a", "@a", "$a", "?5"), or null for a plain `?`. */
	paramNames: Map<number, string | null>;
	readonly: boolean;
	isExplain: boolean;
	/** The engine could not tell the parameters (see above): arguments are bound as given. */
	unchecked: boolean;
}

/** Opcodes of a program that changes the database file (sqlite3_stmt_readonly is false for these). */
const WRITE_OPCODES = new Set([
	"OpenWrite",
	"Insert",
	"Delete",
	"IdxInsert",
	"IdxDelete",
	"CreateBtree",
	"Destroy",
	"Clear",
	"ParseSchema",
	"SetCookie",
	"VUpdate",
	"Vacuum",
	"DropTable",
	"DropIndex",
	"DropTrigger",
	"RenameTable",
]);

export class StmtError extends ProtocolError {}

/** The text of the statements the engine currently holds prepared, to learn where one ended. */
function preparedTexts(conn: Connection): string[] {
	return (conn.prepare("SELECT sql FROM sqlite_stmt").raw(true).all() as [string | null][])
		.map((row) => row[0])
		.filter((sql): sql is string => typeof sql === "string");
}

/** The part of `sql` the engine compiled into `prepared`'s statement, or null when it compiled nothing. */
function consumedText(conn: Connection, sql: string): string | null {
	let longest: string | null = null;
	for (const text of preparedTexts(conn))
		if (sql.startsWith(text) && text.length > (longest?.length ?? -1)) longest = text;
	return longest;
}

function holdsStatement(conn: Connection, text: string): boolean {
	try {
		const held = conn.prepare(text);
		const found = consumedText(conn, text) !== null;
		void held;
		return found;
	} catch {
		// The engine tried to compile something there: it is a statement (a wrong one).
		return true;
	}
}

const cache = new Map<string, Analysis>();
const CACHE_SIZE = 2000;

/**
 * Compiles `sql` and returns the prepared statement with what the engine says about it. The analysis is
 * syntactic (parameters, statement boundaries, kind), so it is cached per text; the statement is not.
 */
export function prepareOne(conn: Connection, sql: string) {
	const prepared = conn.prepare(sql);
	let analysis = cache.get(sql);
	if (!analysis) {
		analysis = analyse(conn, sql, prepared);
		cache.set(sql, analysis);
		if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
	}
	return { prepared, analysis };
}

const EXPLAIN_COLUMNS = "addr,opcode,p1,p2,p3,p4,p5,comment";
const QUERY_PLAN_COLUMNS = "id,parent,notused,detail";

function analyse(conn: Connection, sql: string, prepared: unknown): Analysis {
	const consumed = consumedText(conn, sql);
	if (consumed === null) throw new StmtError("SQL string does not contain any statement", "SQL_NO_STATEMENT");
	const rest = sql.slice(consumed.length);
	if (rest.trim() !== "" && holdsStatement(conn, rest)) {
		throw new StmtError("SQL string contains more than one statement", "SQL_MANY_STATEMENTS");
	}
	// An EXPLAIN is known by the listing the engine returns for it (and cannot itself be explained).
	const columns = (prepared as { reader: boolean; columns(): { name: string }[] }).reader
		? (prepared as { columns(): { name: string }[] }).columns().map((c) => c.name)
		: [];
	const isExplain = columns.join() === EXPLAIN_COLUMNS || columns.join() === QUERY_PLAN_COLUMNS;
	const program = isExplain ? [] : explainElsewhere(conn, consumed);
	if (program === null) return { paramCount: 0, paramNames: new Map(), readonly: false, isExplain, unchecked: true };
	const paramNames = new Map<number, string | null>();
	let readonly = true;
	for (const [, opcode, p1, , , p4] of program) {
		if (opcode === "Variable") paramNames.set(Number(p1), typeof p4 === "string" ? p4 : null);
		if (WRITE_OPCODES.has(String(opcode))) readonly = false;
		if (opcode === "Function" && typeof p4 === "string" && p4.startsWith("sqlite_attach("))
			throw new StmtError("ATTACH DATABASE is not allowed", "SQLITE_AUTH");
	}
	const paramCount = paramNames.size === 0 ? 0 : Math.max(...paramNames.keys());
	return { paramCount, paramNames, readonly: isExplain || readonly, isExplain, unchecked: isExplain };
}

/** The statement's program, compiled on a fresh sibling connection; null when it cannot be compiled there. */
function explainElsewhere(conn: Connection, sql: string): unknown[][] | null {
	const file = connectionFiles.get(conn);
	const sibling = new Database(file ?? ":memory:", { timeout: 0 });
	try {
		return sibling.prepare(`EXPLAIN ${sql}`).raw(true).all() as unknown[][];
	} catch {
		return null;
	} finally {
		sibling.close();
	}
}
