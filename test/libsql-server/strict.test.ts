// The libSQL server refuses what sqld (Turso) refuses, as sqld answers it: statement errors per request,
// protocol errors for the whole pipeline with HTTP 400 — so the suite cannot pass on leniency that
// production would not give.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useServer } from "./helpers.ts";

const srv = useServer();

const int = (n: number) => ({ type: "integer", value: String(n) });
const text = (value: string) => ({ type: "text", value });

async function executeAll(namespace: string, stmts: object[]) {
	const r = await srv.pipeline(
		{
			baton: null,
			requests: [...stmts.map((stmt) => ({ type: "execute", stmt })), { type: "close" }],
		},
		`db/${namespace}/v2/pipeline`,
	);
	expect(r.status, r.text).toBe(200);
	return (r.json.results as unknown[]).slice(0, -1) as {
		type: string;
		response?: { result: Record<string, unknown> };
		error?: { code: string };
	}[];
}

const ns = () => `s${Math.random().toString(36).slice(2, 10)}`;

describe("statements as sqld takes them", () => {
	it("refuses several statements in one execute, and SQL with none", async () => {
		const n = ns();
		const [many, trailingComment, empty, commentOnly, semicolons] = await executeAll(n, [
			{ sql: "CREATE TABLE a (x); CREATE TABLE b (y)" },
			{ sql: "SELECT 1; -- and a comment" },
			{ sql: "" },
			{ sql: "-- nothing here" },
			{ sql: "SELECT 2;;" },
		]);
		expect(many?.error?.code).toBe("SQL_MANY_STATEMENTS");
		expect(trailingComment?.type).toBe("ok");
		expect(empty?.error?.code).toBe("SQL_NO_STATEMENT");
		expect(commentOnly?.error?.code).toBe("SQL_NO_STATEMENT");
		expect(semicolons?.type).toBe("ok");
		// The first statement of the refused pair did not run either.
		const [check] = await executeAll(n, [{ sql: "SELECT count(*) FROM sqlite_master WHERE name = 'a'" }]);
		expect(check?.response?.result.rows).toEqual([[int(0)]]);
	});

	it("refuses missing, extra and unmatched arguments", async () => {
		const results = await executeAll(ns(), [
			{ sql: "SELECT ?, ?", args: [int(1)] },
			{ sql: "SELECT ?", args: [int(1), int(2)] },
			{ sql: "SELECT :a", named_args: [{ name: "b", value: int(1) }] },
			{ sql: "SELECT :a, :b", named_args: [{ name: ":a", value: int(1) }] },
			{
				sql: "SELECT :a",
				named_args: [
					{ name: "a", value: int(1) },
					{ name: "zzz", value: int(2) },
				],
			},
			{ sql: "SELECT ?", args: [int(1)], named_args: [{ name: "a", value: int(1) }] },
			{ sql: "SELECT ?, :a, ?3", args: [int(1), int(2), int(3)] },
			{
				sql: "SELECT @a, $b",
				named_args: [
					{ name: "@a", value: int(1) },
					{ name: "b", value: int(2) },
				],
			},
		]);
		expect(results.map((r) => r.error?.code ?? "ok")).toEqual([
			"ARGS_INVALID",
			"ARGS_INVALID",
			"ARGS_INVALID",
			"ARGS_INVALID",
			"ARGS_INVALID",
			"ARGS_BOTH_POSITIONAL_AND_NAMED",
			"ok",
			"ok",
		]);
		expect(results[7]?.response?.result.rows).toEqual([[int(1), int(2)]]);
	});

	it("counts affected rows from the engine, whatever the statement's text looks like", async () => {
		const [, insert, withSelect, commented, select] = await executeAll(ns(), [
			{ sql: "CREATE TABLE t (x)" },
			{ sql: "INSERT INTO t VALUES (1), (2), (3)" },
			{ sql: "WITH q AS (SELECT 1) SELECT * FROM q" },
			{ sql: "/* note */ INSERT INTO t VALUES (4) RETURNING x" },
			{ sql: "SELECT x FROM t" },
		]);
		expect(insert?.response?.result.affected_row_count).toBe(3);
		expect(withSelect?.response?.result.affected_row_count).toBe(0);
		expect(commented?.response?.result.affected_row_count).toBe(1);
		expect(commented?.response?.result.rows).toEqual([[int(4)]]);
		expect(select?.response?.result.affected_row_count).toBe(0);
	});

	it("describes parameters and read-only-ness as the engine compiled them", async () => {
		const n = ns();
		await executeAll(n, [{ sql: "CREATE TABLE t (x)" }]);
		const r = await srv.pipeline(
			{
				baton: null,
				requests: [
					{ type: "describe", sql: "SELECT ?, ?" },
					{ type: "describe", sql: "SELECT :a, @b, ?3" },
					{ type: "describe", sql: "INSERT INTO t VALUES (?)" },
					{ type: "describe", sql: "WITH q AS (SELECT 1) SELECT * FROM q" },
					{ type: "describe", sql: "EXPLAIN SELECT 1" },
					{ type: "close" },
				],
			},
			`db/${n}/v2/pipeline`,
		);
		const [two, named, insert, withSelect, explain] = r.json.results.map(
			(x: { response: { result: Record<string, unknown> } }) => x.response.result,
		);
		expect(two.params).toEqual([{ name: null }, { name: null }]);
		expect(named.params).toEqual([{ name: ":a" }, { name: "@b" }, { name: null }]);
		expect(insert.is_readonly).toBe(false);
		expect(withSelect.is_readonly).toBe(true);
		expect(explain.is_explain).toBe(true);
	});

	it("refuses ATTACH, creating no file", async () => {
		const path = `/tmp/portico-attach-${Math.random().toString(36).slice(2)}.db`;
		const [attach] = await executeAll(ns(), [{ sql: `ATTACH DATABASE '${path}' AS other` }]);
		expect(attach?.type).toBe("error");
		expect(existsSync(path)).toBe(false);
	});

	it("refuses text with a NUL inside rather than shortening it (blobs carry such bytes)", async () => {
		const [nul, blob] = await executeAll(ns(), [
			{ sql: "SELECT ?", args: [text("\u0000admin")] },
			{ sql: "SELECT ?", args: [{ type: "blob", base64: "AGFkbWlu" }] },
		]);
		expect(nul?.error?.code).toBe("ARGS_INVALID");
		expect(blob?.response?.result.rows).toEqual([[{ type: "blob", base64: "AGFkbWlu" }]]);
	});
});

describe("protocol errors refuse the whole pipeline with 400", () => {
	it("for an unknown request type (nothing runs), both sql and sql_id, a duplicate store_sql, a request after close", async () => {
		const n = ns();
		const unknown = await srv.pipeline(
			{ baton: null, requests: [{ type: "execute", stmt: { sql: "CREATE TABLE u (x)" } }, { type: "explode" }] },
			`db/${n}/v2/pipeline`,
		);
		expect(unknown.status).toBe(400);
		const [created] = await executeAll(n, [{ sql: "SELECT count(*) FROM sqlite_master WHERE name = 'u'" }]);
		expect(created?.response?.result.rows).toEqual([[int(0)]]);

		const both = await srv.pipeline({
			baton: null,
			requests: [
				{ type: "store_sql", sql_id: 1, sql: "SELECT 1" },
				{ type: "execute", stmt: { sql: "SELECT 1", sql_id: 1 } },
			],
		});
		expect(both.status).toBe(400);
		const neither = await srv.pipeline({ baton: null, requests: [{ type: "execute", stmt: {} }] });
		expect(neither.status).toBe(400);
		const duplicate = await srv.pipeline({
			baton: null,
			requests: [
				{ type: "store_sql", sql_id: 1, sql: "SELECT 1" },
				{ type: "store_sql", sql_id: 1, sql: "SELECT 2" },
			],
		});
		expect(duplicate.status).toBe(400);
		const afterClose = await srv.pipeline({
			baton: null,
			requests: [{ type: "close" }, { type: "execute", stmt: { sql: "SELECT 1" } }],
		});
		expect(afterClose.status).toBe(400);
	});
});
