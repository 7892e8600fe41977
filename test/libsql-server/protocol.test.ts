import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql/web";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { useServer } from "./helpers.ts";

const srv = useServer();

describe("values", () => {
	it("round-trips every value type exactly, including 64-bit integers and blobs", async () => {
		const db = srv.client(undefined, "bigint");
		await db.execute("CREATE TABLE v (i INTEGER, f REAL, t TEXT, b BLOB, n)");
		const big = 9007199254740993n; // 2^53 + 1: lost if integers travelled as JSON numbers
		const blob = new Uint8Array([0, 1, 2, 253, 254, 255]);
		const ins = await db.execute({
			sql: "INSERT INTO v VALUES (?, ?, ?, ?, ?)",
			args: [big, 1.5, "héllo ✓", blob, null],
		});
		expect(ins.rowsAffected).toBe(1);
		expect(ins.lastInsertRowid).toBe(1n);
		const rs = await db.execute("SELECT i, f, t, b, n, typeof(i) AS ti FROM v");
		expect(rs.columns).toEqual(["i", "f", "t", "b", "n", "ti"]);
		expect(rs.columnTypes).toEqual(["INTEGER", "REAL", "TEXT", "BLOB", "", ""]);
		const row = rs.rows[0];
		expect(row?.i).toBe(big);
		expect(row?.f).toBe(1.5);
		expect(row?.t).toBe("héllo ✓");
		expect(new Uint8Array(row?.b as ArrayBuffer)).toEqual(blob);
		expect(row?.n).toBeNull();
		expect(row?.ti).toBe("integer");
		// The raw protocol carries the integer as a decimal string, all 64 bits of it.
		const raw = await srv.pipeline({
			baton: null,
			requests: [
				{ type: "execute", stmt: { sql: "SELECT 9223372036854775807, -9223372036854775808" } },
				{ type: "close" },
			],
		});
		expect(raw.json.results[0].response.result.rows[0]).toEqual([
			{ type: "integer", value: "9223372036854775807" },
			{ type: "integer", value: "-9223372036854775808" },
		]);
	});

	it("binds named arguments with any prefix and reports rows read and written", async () => {
		const db = srv.client("named-args");
		await db.execute("CREATE TABLE n (a TEXT, b INTEGER)");
		await db.execute({ sql: "INSERT INTO n VALUES (:a, @b)", args: { a: "x", b: 7 } });
		const raw = await srv.pipeline(
			{
				baton: null,
				requests: [
					{
						type: "execute",
						stmt: {
							sql: "SELECT a, b FROM n WHERE b = $b",
							named_args: [{ name: "$b", value: { type: "integer", value: "7" } }],
						},
					},
					{ type: "close" },
				],
			},
			"db/named-args/v2/pipeline",
		);
		const result = raw.json.results[0].response.result;
		expect(result.rows).toEqual([
			[
				{ type: "text", value: "x" },
				{ type: "integer", value: "7" },
			],
		]);
		expect(result.rows_read).toBe(1);
		expect(result.rows_written).toBe(0);
	});
});

describe("batches", () => {
	it("rolls back the whole batch when one statement fails", async () => {
		const db = srv.client();
		await db.execute("CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
		await expect(
			db.batch(
				["INSERT INTO b (v) VALUES ('one')", "INSERT INTO b (v) VALUES (NULL)", "INSERT INTO b (v) VALUES ('three')"],
				"write",
			),
		).rejects.toThrow(/NOT NULL/);
		const rs = await db.execute("SELECT count(*) AS n FROM b");
		expect(rs.rows[0]?.n).toBe(0);
		await db.batch(["INSERT INTO b (v) VALUES ('one')", "INSERT INTO b (v) VALUES ('two')"], "write");
		expect((await db.execute("SELECT count(*) AS n FROM b")).rows[0]?.n).toBe(2);
	});

	it("evaluates step conditions ok, error, not, and, or, is_autocommit", async () => {
		const stmt = (sql: string) => ({ sql });
		const raw = await srv.pipeline({
			baton: null,
			requests: [
				{
					type: "batch",
					batch: {
						steps: [
							{ stmt: stmt("SELECT 1") },
							{ stmt: stmt("SELECT nope") },
							{ condition: { type: "ok", step: 0 }, stmt: stmt("SELECT 'ran-ok'") },
							{ condition: { type: "ok", step: 1 }, stmt: stmt("SELECT 'skipped'") },
							{ condition: { type: "error", step: 1 }, stmt: stmt("SELECT 'ran-error'") },
							{ condition: { type: "not", cond: { type: "ok", step: 1 } }, stmt: stmt("SELECT 'ran-not'") },
							{
								condition: {
									type: "and",
									conds: [
										{ type: "ok", step: 0 },
										{ type: "ok", step: 1 },
									],
								},
								stmt: stmt("SELECT 'skipped'"),
							},
							{
								condition: {
									type: "or",
									conds: [
										{ type: "ok", step: 0 },
										{ type: "ok", step: 1 },
									],
								},
								stmt: stmt("SELECT 'ran-or'"),
							},
							{ condition: { type: "is_autocommit" }, stmt: stmt("SELECT 'ran-autocommit'") },
						],
					},
				},
				{ type: "close" },
			],
		});
		const { step_results, step_errors } = raw.json.results[0].response.result;
		const ran = step_results.map((r: { rows: { value: string }[][] } | null) => r?.rows[0]?.[0]?.value ?? null);
		expect(ran).toEqual(["1", null, "ran-ok", null, "ran-error", "ran-not", null, "ran-or", "ran-autocommit"]);
		expect(step_errors[1].message).toMatch(/no such column/);
		expect(step_errors[1].code).toBe("SQLITE_ERROR");
	});
});

describe("interactive transactions", () => {
	it("commits, rolls back and honours savepoints", async () => {
		const db = srv.client();
		await db.execute("CREATE TABLE t (v TEXT)");
		const tx = await db.transaction("write");
		await tx.execute("INSERT INTO t VALUES ('kept')");
		await tx.execute("SAVEPOINT s1");
		await tx.execute("INSERT INTO t VALUES ('undone')");
		await tx.execute("ROLLBACK TO s1");
		await tx.commit();
		const rolled = await db.transaction("write");
		await rolled.execute("INSERT INTO t VALUES ('rolled back')");
		await rolled.rollback();
		const rs = await db.execute("SELECT v FROM t ORDER BY v");
		expect(rs.rows.map((r) => r.v)).toEqual(["kept"]);
	});

	it("lets two concurrent write transactions both finish instead of deadlocking", async () => {
		const name = `conc-${Date.now()}`;
		const a = srv.client(name);
		const b = srv.client(name);
		await a.execute("CREATE TABLE c (who TEXT)");
		const txA = await a.transaction("write");
		await txA.execute("INSERT INTO c VALUES ('a')");
		// b's BEGIN IMMEDIATE meets a's lock; the server retries it asynchronously while a commits.
		const txBPromise = b.transaction("write").then(async (txB) => {
			await txB.execute("INSERT INTO c VALUES ('b')");
			await txB.commit();
		});
		await txA.commit();
		await txBPromise;
		const rs = await a.execute("SELECT who FROM c ORDER BY who");
		expect(rs.rows.map((r) => r.who)).toEqual(["a", "b"]);
	});

	it("reports autocommit state and describes statements", async () => {
		const raw = await srv.pipeline({
			baton: null,
			requests: [
				{ type: "get_autocommit" },
				{ type: "sequence", sql: "CREATE TABLE d (a INTEGER, b TEXT); BEGIN;" },
				{ type: "get_autocommit" },
				{ type: "describe", sql: "SELECT a, b FROM d WHERE a = :a" },
				{ type: "store_sql", sql_id: 1, sql: "SELECT count(*) FROM d" },
				{ type: "execute", stmt: { sql_id: 1 } },
				{ type: "close_sql", sql_id: 1 },
				{ type: "execute", stmt: { sql_id: 1 } },
				{ type: "sequence", sql: "ROLLBACK" },
				{ type: "close" },
			],
		});
		const r = raw.json.results;
		expect(r[0].response.is_autocommit).toBe(true);
		expect(r[2].response.is_autocommit).toBe(false);
		expect(r[3].response.result).toMatchObject({
			params: [{ name: ":a" }],
			cols: [
				{ name: "a", decltype: "INTEGER" },
				{ name: "b", decltype: "TEXT" },
			],
			is_explain: false,
			is_readonly: true,
		});
		expect(r[5].response.result.rows).toEqual([[{ type: "integer", value: "0" }]]);
		expect(r[7]).toMatchObject({ type: "error", error: { code: "SQL_NOT_FOUND" } });
		expect(raw.json.baton).toBeNull();
	});
});

describe("engine features", () => {
	it("runs FTS5 with ranking and snippets", async () => {
		const db = srv.client();
		await db.batch(
			[
				"CREATE VIRTUAL TABLE docs USING fts5(title, body)",
				"INSERT INTO docs VALUES ('Invoices', 'Download invoices as PDF from the billing page')",
				"INSERT INTO docs VALUES ('API keys', 'Rotate a key with an overlap window')",
			],
			"write",
		);
		const rs = await db.execute({
			sql: "SELECT title, snippet(docs, 1, '<b>', '</b>', '…', 5) AS s FROM docs WHERE docs MATCH ? ORDER BY rank",
			args: ["invoices"],
		});
		expect(rs.rows.map((r) => r.title)).toEqual(["Invoices"]);
		expect(String(rs.rows[0]?.s)).toContain("<b>invoices</b>");
	});

	it("keeps namespaces apart", async () => {
		const one = srv.client("iso-one");
		const two = srv.client("iso-two");
		await one.execute("CREATE TABLE secret (v TEXT)");
		await one.execute("INSERT INTO secret VALUES ('one')");
		await expect(two.execute("SELECT * FROM secret")).rejects.toThrow(/no such table/);
	});

	it("works with drizzle over the web client", async () => {
		const items = sqliteTable("items", { id: integer("id").primaryKey(), name: text("name").notNull() });
		const client = srv.client();
		await client.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
		const db = drizzle(client);
		const [, inserted] = await db.batch([
			db.insert(items).values({ name: "first" }),
			db.insert(items).values({ name: "second" }).returning(),
		]);
		expect(inserted).toEqual([{ id: 2, name: "second" }]);
		const rows = await db.select().from(items).where(eq(items.name, "first"));
		expect(rows).toEqual([{ id: 1, name: "first" }]);
		await expect(db.insert(items).values({ id: 1, name: "dup" })).rejects.toThrow();
		expect(await db.select().from(items)).toHaveLength(2);
	});
});
