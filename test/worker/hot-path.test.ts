// The hot path's machine-independent budgets and its building blocks: statements built once per isolate,
// one database handle per isolate, the bytes a page view sends to and gets from the database, and
// password hashing through the password Worker (the PASSWORDS binding, the real bundle).
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { prepared, runBatch, runOne } from "../../src/db/prepared.ts";
import { organizations } from "../../src/db/schema.ts";
import { inProcess, passwordsFor } from "../../src/passwords/service.ts";
import { createOrg, createUser, request, signIn, testDb } from "../support/worker.ts";

async function dbCost(requestId: string | null) {
	const stats = await fetch(`${env.DATABASE_URL}_stats?tag=${requestId}`);
	return (await stats.json()) as { pipeline_requests: number; request_bytes: number; response_bytes: number };
}

describe("statements built once", () => {
	it("builds the SQL on first use only and binds new values every time", async () => {
		const org = await createOrg({ name: "Prepared Co" });
		let builds = 0;
		const bySlug = prepared(["slug"], (db, p) => {
			builds++;
			return db.select({ name: organizations.name }).from(organizations).where(sql`${organizations.slug} = ${p.slug}`);
		});
		const db = testDb();
		expect(await runOne(db, bySlug(db, { slug: org.slug }))).toEqual([{ name: "Prepared Co" }]);
		const [again, none] = await runBatch(db, [bySlug(db, { slug: org.slug }), bySlug(db, { slug: "no-such-org" })]);
		expect(again).toEqual([{ name: "Prepared Co" }]);
		expect(none).toEqual([]);
		expect(builds).toBe(1);
		expect(bySlug(db, { slug: "x" }).args).toEqual(["x"]);
	});

	it("keeps one database handle per isolate, except a round-trip-tagged one (tests, benchmarks)", () => {
		const config = { url: env.DATABASE_URL, authToken: undefined };
		expect(openDatabase(config)).toBe(openDatabase({ ...config }));
		expect(openDatabase({ ...config, statsTag: "a" })).not.toBe(openDatabase({ ...config, statsTag: "a" }));
	});
});

describe("bytes per page view", () => {
	it("reads only the layout's columns of the organization where the page shows no billing", async () => {
		const org = await createOrg();
		const owner = await createUser(org, "owner");
		const cookie = await signIn(org, owner.email);
		const audit = await request(`${org.origin}/audit`, { cookie });
		const billing = await request(`${org.origin}/billing`, { cookie });
		expect(audit.status).toBe(200);
		expect(billing.status).toBe(200);
		const auditCost = await dbCost(audit.headers.get("x-request-id"));
		expect(auditCost.pipeline_requests).toBeLessThanOrEqual(2);
		// The budget: what the audit log page sends and receives, both round trips together.
		expect(auditCost.request_bytes).toBeLessThanOrEqual(5_500);
		expect(auditCost.response_bytes).toBeLessThanOrEqual(8_000);
	});

	it("keeps the overview's one round trip within its SQL and JSON budget", async () => {
		const org = await createOrg();
		const owner = await createUser(org, "owner");
		const cookie = await signIn(org, owner.email);
		const home = await request(`${org.origin}/`, { cookie });
		expect(home.status).toBe(200);
		const cost = await dbCost(home.headers.get("x-request-id"));
		expect(cost.pipeline_requests).toBe(1);
		expect(cost.request_bytes).toBeLessThanOrEqual(10_000);
		expect(cost.response_bytes).toBeLessThanOrEqual(11_000);
	});
});

describe("the password Worker", () => {
	it("hashes and checks through the PASSWORDS binding, interchangeably with this isolate", async () => {
		const remote = passwordsFor(env);
		expect(remote).not.toBe(inProcess);
		const hash = await remote.hash("a long pass phrase");
		expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
		expect(await remote.verify("a long pass phrase", hash)).toBe(true);
		expect(await remote.verify("a long pass phrasf", hash)).toBe(false);
		expect(await inProcess.verify("a long pass phrase", hash)).toBe(true);
		expect(await remote.verify("a long pass phrase", await inProcess.hash("a long pass phrase"))).toBe(true);
	});

	it("answers only its two POSTs with well-formed bodies", async () => {
		const binding = env.PASSWORDS;
		const post = (path: string, body: unknown) =>
			binding.fetch(`https://passwords.internal${path}`, { method: "POST", body: JSON.stringify(body) });
		expect((await post("/hash", { password: 7 })).status).toBe(400);
		expect((await post("/verify", { password: "x" })).status).toBe(400);
		expect((await post("/other", {})).status).toBe(404);
		expect((await binding.fetch("https://passwords.internal/hash")).status).toBe(405);
	});
});
