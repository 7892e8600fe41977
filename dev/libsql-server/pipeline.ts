// One Hrana v2 pipeline: find or open the stream, run its requests in order, hand back a new baton.
import { setTimeout as sleep } from "node:timers/promises";
import { type Counters, describeStmt, executeBatch, executeStmt, isBusy, resolveSql, toHranaError } from "./execute.ts";
import type { Databases, Stream } from "./streams.ts";
import { FatalProtocolError, ProtocolError } from "./values.ts";

const BUSY_RETRY_FOR_MS = 5_000;

/** Retries a step that found the database locked, yielding to the event loop so the lock holder can finish. */
async function retryBusy<T>(fn: () => T): Promise<T> {
	const giveUpAt = Date.now() + BUSY_RETRY_FOR_MS;
	let delayMs = 1;
	for (;;) {
		try {
			return fn();
		} catch (error) {
			if (!isBusy(error) || Date.now() > giveUpAt) throw error;
			await sleep(delayMs);
			delayMs = Math.min(delayMs * 2, 25);
		}
	}
}

type Request = { type?: unknown; [key: string]: unknown };

async function runRequest(stream: Stream, request: Request, counters: Counters): Promise<unknown> {
	if (typeof request !== "object" || request === null) throw new ProtocolError("A request must be an object");
	const { conn, sqlTexts } = stream;
	switch (request.type) {
		case "execute":
			return {
				type: "execute",
				result: await retryBusy(() => executeStmt(conn, request.stmt as object, sqlTexts, counters)),
			};
		case "batch":
			return { type: "batch", result: await executeBatch(conn, request.batch, retryBusy, sqlTexts, counters) };
		case "sequence": {
			const sql = resolveSql(request.sql, request.sql_id, sqlTexts);
			counters.statements++;
			await retryBusy(() => conn.exec(sql));
			return { type: "sequence" };
		}
		case "describe":
			return { type: "describe", result: describeStmt(conn, resolveSql(request.sql, request.sql_id, sqlTexts)) };
		case "store_sql":
			if (typeof request.sql_id !== "number" || typeof request.sql !== "string") {
				throw new ProtocolError("'store_sql' needs a numeric 'sql_id' and 'sql'");
			}
			if (sqlTexts.has(request.sql_id))
				throw new FatalProtocolError(`SQL text ${request.sql_id} is already stored`, "SQL_STORE_EXISTS");
			sqlTexts.set(request.sql_id, request.sql);
			return { type: "store_sql" };
		case "close_sql":
			if (typeof request.sql_id !== "number") throw new ProtocolError("'close_sql' needs a numeric 'sql_id'");
			sqlTexts.delete(request.sql_id);
			return { type: "close_sql" };
		case "get_autocommit":
			return { type: "get_autocommit", is_autocommit: !conn.inTransaction };
		case "close":
			return { type: "close" };
		default:
			throw new FatalProtocolError(`Unknown request type ${JSON.stringify(request.type)}`);
	}
}

const REQUEST_TYPES = new Set([
	"execute",
	"batch",
	"sequence",
	"describe",
	"store_sql",
	"close_sql",
	"get_autocommit",
	"close",
]);

export interface PipelineBody {
	baton: string | null;
	requests: Request[];
}

export function parsePipelineBody(body: unknown): PipelineBody {
	const b = body as { baton?: unknown; requests?: unknown };
	if (typeof b !== "object" || b === null) throw new ProtocolError("The body must be a JSON object");
	if (b.baton !== undefined && b.baton !== null && typeof b.baton !== "string") {
		throw new ProtocolError("'baton' must be a string or null");
	}
	if (!Array.isArray(b.requests)) throw new ProtocolError("'requests' must be an array");
	return { baton: (b.baton as string | null | undefined) ?? null, requests: b.requests };
}

export async function runPipeline(dbs: Databases, namespace: string, body: PipelineBody, counters: Counters) {
	// Like sqld, a body with a request of unknown type is refused before anything runs.
	for (const request of body.requests) {
		const type = (request as Request | null)?.type;
		if (typeof type !== "string" || !REQUEST_TYPES.has(type))
			throw new FatalProtocolError(`Unknown request type ${JSON.stringify(type)}`);
	}
	const closeAt = body.requests.findIndex((r) => r.type === "close");
	if (closeAt !== -1 && closeAt < body.requests.length - 1)
		throw new FatalProtocolError("A request follows 'close': the stream is closed", "STREAM_CLOSED");
	const stream = body.baton === null ? dbs.open(namespace) : dbs.take(body.baton, namespace);
	const work = stream.tail.then(async () => {
		const results: unknown[] = [];
		let closed = false;
		for (const request of body.requests) {
			try {
				const response = await runRequest(stream, request, counters);
				if (request.type === "close") closed = true;
				results.push({ type: "ok", response });
			} catch (error) {
				// The whole pipeline is refused; the stream (and any transaction in it) ends.
				if (error instanceof FatalProtocolError) {
					dbs.close(stream);
					throw error;
				}
				results.push({ type: "error", error: toHranaError(error) });
			}
		}
		if (closed) {
			dbs.close(stream);
			return { baton: null, base_url: null, results };
		}
		return { baton: dbs.park(stream), base_url: null, results };
	});
	stream.tail = work.catch(() => undefined);
	return work;
}
