import { afterEach, describe, expect, it, vi } from "vitest";
import { useServer } from "./helpers.ts";

const srv = useServer({ idleStreamTimeoutMs: 10_000 });

afterEach(() => {
	vi.useRealTimers();
});

describe("bad input never crashes the server", () => {
	it("answers malformed JSON and a wrong body shape with 400 and a message", async () => {
		const broken = await srv.pipeline("{not json");
		expect(broken.status).toBe(400);
		expect(broken.json).toEqual({ message: "The body is not valid JSON", code: "PROTOCOL_ERROR" });
		const shape = await srv.pipeline({ baton: 12, requests: [] });
		expect(shape.status).toBe(400);
		expect(shape.json.message).toMatch(/baton/);
		const noRequests = await srv.pipeline({ baton: null });
		expect(noRequests.json.message).toMatch(/requests/);
	});

	it("answers bad SQL and wrong argument types per request", async () => {
		const r = await srv.pipeline({
			baton: null,
			requests: [
				{ type: "get_autocommit" },
				{ type: "execute", stmt: { sql: "SELEC 1" } },
				{ type: "execute", stmt: { sql: "SELECT ?", args: [{ type: "integer", value: 12 }] } },
				{ type: "execute", stmt: { sql: "SELECT ?", args: [{ type: "integer", value: "99999999999999999999" }] } },
				{ type: "execute", stmt: { sql: "SELECT ?", args: [{ type: "wat" }] } },
				{ type: "execute", stmt: { sql: "SELECT 'still fine'" } },
				{ type: "close" },
			],
		});
		expect(r.status).toBe(200);
		const [, badSql, intAsNumber, tooBig, badType, fine] = r.json.results;
		expect(badSql.error).toMatchObject({ code: "SQLITE_ERROR" });
		expect(badSql.error.message).toMatch(/syntax error/);
		expect(intAsNumber.error).toMatchObject({ code: "ARGS_INVALID" });
		expect(tooBig.error.message).toMatch(/64 bits/);
		expect(badType.error.message).toMatch(/Unknown value type/);
		expect(fine.response.result.rows).toEqual([[{ type: "text", value: "still fine" }]]);
	});

	it("refuses unknown batons and batons already used", async () => {
		const unknown = await srv.pipeline({ baton: "1.forged", requests: [{ type: "close" }] });
		expect(unknown.status).toBe(400);
		expect(unknown.json).toMatchObject({ code: "STREAM_EXPIRED" });
		const open = await srv.pipeline({ baton: null, requests: [{ type: "execute", stmt: { sql: "SELECT 1" } }] });
		const baton = open.json.baton as string;
		expect(baton).toEqual(expect.any(String));
		const next = await srv.pipeline({ baton, requests: [{ type: "get_autocommit" }] });
		expect(next.json.baton).not.toBe(baton);
		const replay = await srv.pipeline({ baton, requests: [{ type: "close" }] });
		expect(replay.status).toBe(400);
		await srv.pipeline({ baton: next.json.baton, requests: [{ type: "close" }] });
	});

	it("answers 413 to an oversized body and 404 to unknown paths and bad namespaces", async () => {
		const huge = await srv.pipeline({
			baton: null,
			requests: [{ type: "sequence", sql: `-- ${"x".repeat(9 * 1024 * 1024)}` }],
		});
		expect(huge.status).toBe(413);
		expect((await srv.pipeline({}, "v9/pipeline")).status).toBe(404);
		expect((await srv.pipeline({ baton: null, requests: [] }, "db/Bad..Name/v2/pipeline")).status).toBe(404);
		const health = await fetch(new URL("health", srv.url));
		expect(health.status).toBe(200);
		expect((await fetch(new URL("v2", srv.url))).status).toBe(200);
		expect(await (await fetch(new URL("version", srv.url))).text()).toMatch(/hrana 2/);
	});

	it("closes an idle stream after the timeout, rolling back its transaction and releasing the lock", async () => {
		vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
		const path = "db/idle/v2/pipeline";
		await srv.pipeline(
			{ baton: null, requests: [{ type: "sequence", sql: "CREATE TABLE IF NOT EXISTS i (v)" }, { type: "close" }] },
			path,
		);
		const open = await srv.pipeline(
			{ baton: null, requests: [{ type: "sequence", sql: "BEGIN IMMEDIATE; INSERT INTO i VALUES ('lost');" }] },
			path,
		);
		expect(open.json.baton).toEqual(expect.any(String));
		expect((await srv.stats()).open_streams).toBeGreaterThanOrEqual(1);
		vi.advanceTimersByTime(10_001);
		vi.useRealTimers();
		expect((await srv.stats()).open_streams).toBe(0);
		const expired = await srv.pipeline({ baton: open.json.baton, requests: [{ type: "close" }] }, path);
		expect(expired.json).toMatchObject({ code: "STREAM_EXPIRED" });
		// The write lock is gone and the uncommitted row with it.
		const after = await srv.pipeline(
			{
				baton: null,
				requests: [
					{ type: "sequence", sql: "BEGIN IMMEDIATE; INSERT INTO i VALUES ('kept'); COMMIT;" },
					{ type: "execute", stmt: { sql: "SELECT v FROM i" } },
					{ type: "close" },
				],
			},
			path,
		);
		expect(after.json.results[1].response.result.rows).toEqual([[{ type: "text", value: "kept" }]]);
	});
});

describe("auth token", () => {
	const guarded = useServer({ authToken: "s3cret" });

	it("refuses requests without the bearer token and accepts the right one", async () => {
		const body = { baton: null, requests: [{ type: "execute", stmt: { sql: "SELECT 1" } }, { type: "close" }] };
		expect((await guarded.pipeline(body)).status).toBe(401);
		expect((await guarded.pipeline(body, "v2/pipeline", { authorization: "Bearer wrong!" })).status).toBe(401);
		expect((await guarded.pipeline(body, "v2/pipeline", { authorization: "Bearer s3cret" })).status).toBe(200);
		const client = guarded.client();
		expect((await client.execute("SELECT 2 AS two")).rows[0]?.two).toBe(2);
	});
});
