import { env, exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notifications, usageEvents, usageRollups } from "../../src/db/schema.ts";
import { tenantData } from "../../src/db/tenant-data.ts";
import { aggregateTenant } from "../../src/usage/aggregate.ts";
import { checkUsageAlerts } from "../../src/usage/alerts.ts";
import { createOrg, createUser, request, roundTrips, signIn, type TestOrg, testDb } from "../support/worker.ts";

const VENDOR = `Bearer ${env.VENDOR_API_SECRET}`;

async function send(body: unknown, auth = VENDOR) {
	const res = await exports.default.fetch(
		new Request("http://localhost/api/v1/usage", {
			method: "POST",
			headers: { authorization: auth, "content-type": "application/json" },
			body: typeof body === "string" ? body : JSON.stringify(body),
		}),
	);
	return { status: res.status, body: (await res.json()) as Record<string, any> };
}

function tenant(org: TestOrg) {
	return tenantData({ orgId: org.id, db: testDb() });
}

async function rawCount(org: TestOrg) {
	return (await testDb().select().from(usageEvents).where(eq(usageEvents.orgId, org.id))).length;
}

const now = () => Date.now();

describe("ingestion", () => {
	it("counts a repeated batch once", async () => {
		const org = await createOrg();
		const events = Array.from({ length: 5 }, (_, i) => ({
			metric: "messages",
			quantity: 2,
			timestamp: now() - i * 1000,
			idempotency_key: `m-${i}`,
		}));
		expect((await send({ organization: org.slug, events })).body).toMatchObject({
			accepted: 5,
			duplicates: 0,
			rejected: [],
		});
		expect((await send({ organization: org.id, events })).body).toMatchObject({ accepted: 0, duplicates: 5 });
		expect(await rawCount(org)).toBe(5);
	});

	it("rejects a bad event with its reason and writes the others", async () => {
		const org = await createOrg();
		const res = await send({
			organization: org.slug,
			events: [
				{ metric: "messages", quantity: 1, timestamp: new Date().toISOString(), idempotency_key: "ok-1" },
				{ metric: "unicorns", quantity: 1, timestamp: now(), idempotency_key: "bad-1" },
				{ metric: "messages", quantity: -3, timestamp: now(), idempotency_key: "bad-2" },
				{ metric: "messages", quantity: "many", timestamp: now(), idempotency_key: "bad-3" },
				{ metric: "messages", quantity: 1, timestamp: now() + 3_600_000, idempotency_key: "bad-4" },
				{ metric: "messages", quantity: 1, timestamp: now(), idempotency_key: "ok-2" },
			],
		});
		expect(res.status).toBe(200);
		expect(res.body.accepted).toBe(2);
		expect(res.body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
			[1, "unknown_metric"],
			[2, "invalid"],
			[3, "invalid"],
			[4, "timestamp_in_future"],
		]);
		expect(res.body.rejected[1].message).toContain("negative");
		expect(await rawCount(org)).toBe(2);
	});

	it("refuses whole batches that are malformed, too long or too large, writing nothing", async () => {
		const org = await createOrg();
		const event = (i: number) => ({ metric: "messages", quantity: 1, timestamp: now(), idempotency_key: `k-${i}` });
		expect((await send("{not json")).status).toBe(422);
		expect(
			(await send({ organization: org.slug, events: Array.from({ length: 1001 }, (_, i) => event(i)) })).status,
		).toBe(422);
		expect((await send({ organization: org.slug, events: [] })).status).toBe(422);
		expect((await send({ events: [event(1)] })).status).toBe(422);
		const huge = await send({
			organization: org.slug,
			events: [{ ...event(1), idempotency_key: "x".repeat(2_000_000) }],
		});
		expect(huge.status).toBe(413);
		const allBad = await send({
			organization: org.slug,
			events: [{ metric: "nope", quantity: 1, timestamp: now(), idempotency_key: "z" }],
		});
		expect(allBad.status).toBe(422);
		expect(await rawCount(org)).toBe(0);
	});

	it("lets an API key with usage:write report for its own organization only", async () => {
		const org = await createOrg();
		const other = await createOrg();
		const cookie = await signIn(org, (await createUser(org, "admin")).email);
		const make = async (scopes: string) => {
			const res = await request(`${org.origin}/keys`, {
				form: { name: `K ${scopes}`, scopes, expires: "", rateLimit: "" },
				cookie,
			});
			return /pk_live_[0-9A-Za-z]{28}/.exec(res.text)?.[0] ?? "";
		};
		const writer = await make("usage:write");
		const reader = await make("data:read");
		const event = { metric: "messages", quantity: 1, timestamp: now(), idempotency_key: "key-1" };
		expect((await send({ events: [event] }, `Bearer ${writer}`)).body).toMatchObject({ accepted: 1 });
		expect(
			(await send({ organization: other.slug, events: [{ ...event, idempotency_key: "key-2" }] }, `Bearer ${writer}`))
				.status,
		).toBe(403);
		expect((await send({ events: [{ ...event, idempotency_key: "key-3" }] }, `Bearer ${reader}`)).status).toBe(403);
		expect((await send({ events: [event] }, "Bearer not-a-key")).status).toBe(401);
		expect(await rawCount(other)).toBe(0);
		expect(await rawCount(org)).toBe(1);
	});
});

describe("aggregation", () => {
	it("makes rollups equal to the sum of raw events, exactly once, late events included (random events)", async () => {
		const org = await createOrg({ planId: "pln_business" });
		let seed = 42;
		const random = () => {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			return seed / 2 ** 31;
		};
		const metrics = ["api_calls", "messages", "compute_hours"];
		const make = (n: number, offset: number, maxAgeMs: number) =>
			Array.from({ length: n }, (_, i) => ({
				metric: metrics[Math.floor(random() * metrics.length)] ?? "messages",
				quantity: Math.round(random() * 1000) / 10,
				timestamp: now() - Math.floor(random() * maxAgeMs),
				idempotency_key: `p-${offset + i}`,
			}));
		const first = make(400, 0, 3 * 86_400_000);
		await send({ organization: org.slug, events: first });
		await aggregateTenant(tenant(org), now());
		await aggregateTenant(tenant(org), now()); // nothing new: nothing added twice
		const late = make(150, 1000, 20 * 86_400_000);
		await send({ organization: org.slug, events: late });
		await aggregateTenant(tenant(org), now());

		const expected = new Map<string, number>();
		for (const e of [...first, ...late]) {
			const day = Math.floor(e.timestamp / 86_400_000) * 86_400_000;
			const id = `${e.metric}|${day}`;
			expected.set(id, (expected.get(id) ?? 0) + e.quantity);
		}
		const rows = await testDb()
			.select()
			.from(usageRollups)
			.where(and(eq(usageRollups.orgId, org.id), eq(usageRollups.granularity, "day")));
		expect(rows.length).toBe(expected.size);
		for (const r of rows) expect(r.value).toBeCloseTo(expected.get(`${r.metric}|${r.bucketStart}`) ?? -1, 6);
		const hourly = await testDb()
			.select()
			.from(usageRollups)
			.where(and(eq(usageRollups.orgId, org.id), eq(usageRollups.granularity, "hour")));
		expect(hourly.reduce((n, r) => n + r.value, 0)).toBeCloseTo(
			rows.reduce((n, r) => n + r.value, 0),
			6,
		);
	});

	it("keeps the latest snapshot of a gauge instead of summing", async () => {
		const org = await createOrg();
		const t0 = now() - 60_000;
		await send({
			organization: org.slug,
			events: [5, 7, 6].map((seats, i) => ({
				metric: "seats",
				quantity: seats,
				timestamp: t0 + i * 1000,
				idempotency_key: `g-${i}`,
			})),
		});
		await aggregateTenant(tenant(org), now());
		await send({
			organization: org.slug,
			events: [{ metric: "seats", quantity: 9, timestamp: t0 - 30_000, idempotency_key: "g-old" }],
		});
		await aggregateTenant(tenant(org), now());
		const [day] = await testDb()
			.select()
			.from(usageRollups)
			.where(and(eq(usageRollups.orgId, org.id), eq(usageRollups.granularity, "day")));
		expect(day?.value).toBe(6);
	});

	it("alerts at 80 % and 100 % once per period each", async () => {
		const org = await createOrg(); // Free: 10,000 API calls
		const admin = await createUser(org, "admin");
		const at = (q: number, key: string) =>
			send({
				organization: org.slug,
				events: [{ metric: "api_calls", quantity: q, timestamp: now(), idempotency_key: key }],
			});
		const run = async () => {
			await aggregateTenant(tenant(org), now());
			return checkUsageAlerts(env, testDb(), tenant(org), now(), org.origin);
		};
		await at(7000, "a1");
		expect(await run()).toBe(0);
		await at(1500, "a2");
		expect(await run()).toBe(1);
		await at(100, "a3");
		expect(await run()).toBe(0);
		await at(2000, "a4");
		expect(await run()).toBe(1);
		expect(await run()).toBe(0);
		const notices = await testDb()
			.select()
			.from(notifications)
			.where(and(eq(notifications.orgId, org.id), eq(notifications.userId, admin.id)));
		expect(notices.map((n) => n.title).sort()).toEqual([
			"API calls: 80 % of the Free limit used",
			"API calls: the Free limit is reached",
		]);
	});
});

describe("dashboard", () => {
	it("shows usage against the plan with a banner when over, in two round trips, and exports CSV", async () => {
		const org = await createOrg();
		const member = await createUser(org, "member");
		const cookie = await signIn(org, member.email);
		await send({
			organization: org.slug,
			events: [{ metric: "api_calls", quantity: 12_000, timestamp: now(), idempotency_key: "d1" }],
		});
		await aggregateTenant(tenant(org), now());
		const page = await request(`${org.origin}/usage`, { cookie });
		expect(page.status).toBe(200);
		expect(page.text).toContain("12,000");
		expect(page.text).toContain("of 10,000 calls");
		expect(page.text).toContain("120 %");
		expect(page.text).toContain("Over the limit");
		expect(page.text).toContain('aria-valuenow="100"');
		expect(await roundTrips(page.headers.get("x-request-id"))).toBeLessThanOrEqual(2);
		const csv = await request(`${org.origin}/usage/export.csv`, { cookie });
		expect(csv.headers.get("content-type")).toContain("text/csv");
		expect(csv.text.split("\r\n")[0]).toBe("metric,day,value,limit");
		expect(csv.text).toContain(",12000,10000");
	});

	it("reads each figure the same everywhere: API calls (verify API, Usage), seats (Team, Usage), role members (Roles)", async () => {
		const org = await createOrg(); // Free: 10,000 API calls, 3 seats
		const owner = await createUser(org, "owner");
		await createUser(org, "member");
		const cookie = await signIn(org, owner.email);
		const created = await request(`${org.origin}/keys`, {
			cookie,
			form: { name: "Backend", scopes: "data:read", expires: "", rateLimit: "" },
		});
		const secret = /pk_live_[0-9A-Za-z]{28}/.exec(created.text)?.[0];
		expect(secret, created.text.slice(0, 300)).toBeDefined();
		await send({
			organization: org.slug,
			events: [{ metric: "api_calls", quantity: 45_000, timestamp: now(), idempotency_key: "f1" }],
		});
		await aggregateTenant(tenant(org), now());
		const verify = async () => {
			const res = await exports.default.fetch(
				new Request("http://localhost/api/v1/keys/verify", {
					method: "POST",
					headers: { authorization: VENDOR, "content-type": "application/json" },
					body: JSON.stringify({ key: secret }),
				}),
			);
			return (await res.json()) as { quota: { used: number; limit: number; remaining: number } };
		};
		expect((await verify()).quota).toMatchObject({ used: 45_001, limit: 10_000, remaining: 0 });
		const second = await verify();
		const usage = await request(`${org.origin}/usage`, { cookie });
		// Verifications count when the usage message is written (inline in tests): both calls are in.
		expect(second.quota.used).toBe(45_002);
		expect(usage.text).toContain("45,002</strong> of 10,000 calls");

		const invite = await request(`${org.origin}/team/invitations`, {
			cookie,
			form: { emails: "new-person@example.test", roleId: "rol_builtin_member" },
		});
		expect(invite.status, invite.text.slice(0, 300)).toBeLessThan(400);
		const team = await request(`${org.origin}/team`, { cookie });
		expect(team.text).toContain("3 of 3 seats");
		expect((await request(`${org.origin}/usage`, { cookie })).text).toContain("3</strong> of 3 seats");

		const roles = await request(`${org.origin}/team/roles`, { cookie });
		expect(roles.text).toMatch(/Owner\s*<span[^>]*>\s*· 1 member</);
		expect(roles.text).toMatch(/Member\s*<span[^>]*>\s*· 1 member</);
		expect(roles.text).toMatch(/Admin\s*<span[^>]*>\s*· 0 members</);
	});
});
