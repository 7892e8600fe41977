import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKeys, apiKeyUsageDaily, auditEvents } from "../../src/db/schema.ts";
import { hashKey, isWellFormedKey, newKey } from "../../src/keys/format.ts";
import { createOrg, createUser, request, roundTrips, signIn, type TestOrg, testDb } from "../support/worker.ts";
import { unzip } from "../support/zip.ts";

const VENDOR = `Bearer ${env.VENDOR_API_SECRET}`;

async function admin(org: TestOrg) {
	const user = await createUser(org, "admin");
	return signIn(org, user.email);
}

async function createKey(org: TestOrg, cookie: string, form: Record<string, string> = {}) {
	const res = await request(`${org.origin}/keys`, {
		body: new URLSearchParams({
			name: "Production server",
			scopes: "data:read",
			expires: "",
			rateLimit: "",
			...form,
		}).toString(),
		headers: { "content-type": "application/x-www-form-urlencoded" },
		cookie,
	});
	const secret = /pk_live_[0-9A-Za-z]{28}/.exec(res.text)?.[0] ?? "";
	return { res, secret };
}

async function verify(key: unknown, auth = VENDOR) {
	const res = await exports.default.fetch(
		new Request("http://localhost/api/v1/keys/verify", {
			method: "POST",
			headers: {
				authorization: auth,
				"content-type": "application/json",
				"x-request-id": `req_verify_${crypto.randomUUID().slice(0, 8)}`,
			},
			body: JSON.stringify({ key }),
		}),
	);
	return {
		status: res.status,
		body: (await res.json()) as Record<string, any>,
		requestId: res.headers.get("x-request-id"),
	};
}

describe("API keys in the portal", () => {
	it("shows a new secret once, stores only its hash, and keeps it out of pages, the audit log and the data export", async () => {
		const org = await createOrg();
		const cookie = await admin(org);
		const { res, secret } = await createKey(org, cookie, { scopes: "usage:write" });
		expect(res.status, res.text.slice(0, 400)).toBe(200);
		expect(res.headers.get("cache-control")).toBe("no-store");
		expect(isWellFormedKey(secret)).toBe(true);
		const [row] = await testDb().select().from(apiKeys).where(eq(apiKeys.orgId, org.id));
		expect(row?.hash).toBe(await hashKey(secret));
		expect(JSON.stringify(row)).not.toContain(secret);
		const list = await request(`${org.origin}/keys`, { cookie });
		expect(list.text).toContain(`pk_live_…${secret.slice(-4)}`);
		expect(list.text).not.toContain(secret);
		const audit = await testDb().select().from(auditEvents).where(eq(auditEvents.orgId, org.id));
		expect(JSON.stringify(audit)).not.toContain(secret);
		expect(audit.map((a) => a.action)).toContain("keys.created");
		expect((await request(`${org.origin}/settings/export`, { method: "POST", cookie })).status).toBe(303);
		const { dataExports } = await import("../../src/db/schema.ts");
		const [exported] = await testDb().select().from(dataExports).where(eq(dataExports.orgId, org.id));
		const zip = await env.FILES.get(exported?.objectKey ?? "");
		const files = await unzip(new Uint8Array((await zip?.arrayBuffer()) ?? new ArrayBuffer(0)));
		const text = Object.values(files).join("\n");
		expect(Object.keys(files)).toContain("api_keys.json");
		expect(text).toContain("Production server");
		expect(text).not.toContain(secret);
		expect(text).not.toContain(row?.hash ?? "x");
	});

	it("refuses empty or over-long names, unknown scopes and past expiry, writing nothing", async () => {
		const org = await createOrg();
		const cookie = await admin(org);
		for (const [form, message] of [
			[{ name: "" }, "Enter a name"],
			[{ name: "x".repeat(61) }, "at most 60"],
			[{ scopes: "root" }, "Choose scopes from the list"],
			[{ expires: "2001-01-01" }, "in the future"],
			[{ rateLimit: "-5" }, "whole number"],
		] as const) {
			const { res } = await createKey(org, cookie, form);
			expect(res.status).toBe(422);
			expect(res.text).toContain(message);
		}
		expect(await testDb().select().from(apiKeys).where(eq(apiKeys.orgId, org.id))).toEqual([]);
	});

	it("answers 404 for another organization's key on every key route, and 403 to a Member", async () => {
		const org = await createOrg();
		const other = await createOrg();
		const cookie = await admin(org);
		await createKey(other, await admin(other));
		const [foreign] = await testDb().select().from(apiKeys).where(eq(apiKeys.orgId, other.id));
		for (const [path, form] of [
			[`/keys/${foreign?.id}/rotate`, { grace: "none" }],
			[`/keys/${foreign?.id}/revoke`, {}],
			[`/keys/${foreign?.id}`, { name: "Stolen", scopes: "data:read", expires: "", rateLimit: "" }],
		] as const) {
			expect((await request(`${org.origin}${path}`, { form, cookie })).status, path).toBe(404);
		}
		expect((await request(`${org.origin}/keys/${foreign?.id}/edit`, { cookie })).status).toBe(404);
		const [still] = await testDb()
			.select()
			.from(apiKeys)
			.where(eq(apiKeys.id, foreign?.id ?? ""));
		expect(still).toMatchObject({ name: "Production server", revokedAt: null, graceUntil: null });

		const member = await createUser(org, "member");
		const memberCookie = await signIn(org, member.email);
		expect((await request(`${org.origin}/`, { cookie: memberCookie })).text).not.toContain('href="/keys"');
		expect((await request(`${org.origin}/keys`, { cookie: memberCookie })).status).toBe(403);
	});
});

describe("verification API", () => {
	it("returns the organization, scopes, plan and quota for a valid key, and counts the call", async () => {
		const org = await createOrg({ planId: "pln_pro" });
		const cookie = await admin(org);
		const { secret } = await createKey(org, cookie, { scopes: "usage:write" });
		const res = await verify(secret);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({
			valid: true,
			key: { name: "Production server", scopes: ["usage:write"] },
			organization: { id: org.id, slug: org.slug },
			plan: { key: "pro" },
			quota: { metric: "api_calls", limit: 1_000_000, used: 1, remaining: 999_999 },
		});
		expect(await roundTrips(res.requestId)).toBe(2); // the lookup, and (tests only) the inline usage write
		const [usage] = await testDb().select().from(apiKeyUsageDaily).where(eq(apiKeyUsageDaily.orgId, org.id));
		expect(usage?.count).toBe(1);
		const [row] = await testDb().select().from(apiKeys).where(eq(apiKeys.orgId, org.id));
		expect(row?.lastUsedAt).toEqual(expect.any(Number));
		expect((await request(`${org.origin}/keys`, { cookie })).text).toContain("1 calls in 30 days");
	});

	it("refuses malformed keys by their checksum without touching the database", async () => {
		const good = newKey();
		const typo = `${good.slice(0, 12)}${good[12] === "a" ? "b" : "a"}${good.slice(13)}`;
		for (const key of [typo, good.replace("pk_live_", "sk_live_"), "x".repeat(150)]) {
			const res = await verify(key);
			expect(res.body).toMatchObject({ valid: false, code: "malformed" });
			expect(await roundTrips(res.requestId)).toBe(0);
		}
		const huge = await verify("x".repeat(10_000));
		expect(huge.status).toBe(422);
		expect((await verify(good, "Bearer wrong")).status).toBe(401);
		expect((await verify(good)).body).toMatchObject({ valid: false, code: "unknown" });
	});

	it("rotates with a grace period, revokes (typing the name once used) and expires keys", async () => {
		const org = await createOrg();
		const cookie = await admin(org);
		const { secret: first } = await createKey(org, cookie);
		expect((await verify(first)).body.valid).toBe(true);
		const [row] = await testDb().select().from(apiKeys).where(eq(apiKeys.orgId, org.id));
		const rotated = await request(`${org.origin}/keys/${row?.id}/rotate`, { form: { grace: "1h" }, cookie });
		expect(rotated.status).toBe(200);
		const second = /pk_live_[0-9A-Za-z]{28}/.exec(rotated.text)?.[0] ?? "";
		expect(second).not.toBe(first);
		expect((await verify(first)).body.valid).toBe(true);
		expect((await verify(second)).body.valid).toBe(true);
		await testDb()
			.update(apiKeys)
			.set({ graceUntil: Date.now() - 1 })
			.where(eq(apiKeys.id, row?.id ?? ""));
		expect((await verify(first)).body).toMatchObject({ valid: false, code: "rotated" });

		const [current] = (await testDb().select().from(apiKeys).where(eq(apiKeys.orgId, org.id))).filter(
			(k) => k.id !== row?.id,
		);
		const noName = await request(`${org.origin}/keys/${current?.id}/revoke`, { form: {}, cookie });
		expect(noName.status).toBe(422);
		expect(noName.text).toContain("Type its name");
		// The refusal stays beside that key's revoke form, with what was typed kept.
		const wrongName = await request(`${org.origin}/keys/${current?.id}/revoke`, {
			form: { confirmName: "Production" },
			cookie,
		});
		expect(wrongName.status).toBe(422);
		expect(wrongName.text).toContain('<h1 id="keys-title">API keys</h1>');
		expect(wrongName.text).toMatch(
			new RegExp(
				`id="confirm-${current?.id}"[^>]*value="Production"[^>]*aria-describedby="confirm-${current?.id}-error"`,
			),
		);
		expect(wrongName.text).toContain(`id="confirm-${current?.id}-error"`);
		expect(
			(
				await request(`${org.origin}/keys/${current?.id}/revoke`, {
					form: { confirmName: "Production server" },
					cookie,
				})
			).status,
		).toBe(303);
		expect((await verify(second)).body).toMatchObject({ valid: false, code: "revoked" });

		const { secret: dated } = await createKey(org, cookie, { name: "Short-lived" });
		await testDb()
			.update(apiKeys)
			.set({ expiresAt: Date.now() - 1 })
			.where(eq(apiKeys.name, "Short-lived"));
		expect((await verify(dated)).body).toMatchObject({ valid: false, code: "expired" });
	});

	it("answers rate_limited with a reset time past the key's requests per minute", async () => {
		const org = await createOrg();
		const { secret } = await createKey(org, await admin(org), { rateLimit: "2" });
		expect((await verify(secret)).status).toBe(200);
		expect((await verify(secret)).status).toBe(200);
		const limited = await verify(secret);
		expect(limited.status).toBe(429);
		expect(limited.body).toMatchObject({ error: { code: "rate_limited", reset_at: expect.any(String) } });
	});
});
