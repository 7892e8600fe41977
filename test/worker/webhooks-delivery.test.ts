// Webhook delivery in workerd against the real libSQL server: an event written in the same batch as its
// change (an API key created through the portal), fanned out to the endpoints that want it, signed and
// verified by the official `standardwebhooks` package at the receiver (the receiver is the third party:
// it answers at the fetch boundary), Svix's retry schedule driven by a fake clock, 410 unsubscribes, a
// redirect is not followed, an endpoint failing for 5 days is disabled, the SSRF check before each
// delivery, two runners at once sending each attempt once, and one organization's runner never touching
// another's deliveries.
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
	apiKeys,
	memberships,
	webhookAttempts,
	webhookDeliveries,
	webhookEndpoints,
	webhookEvents,
} from "../../src/db/schema.ts";
import { tenantData } from "../../src/db/tenant-data.ts";
import { insertEndpoint, purgeWebhooksBefore } from "../../src/db/webhooks.ts";
import { seal } from "../../src/lib/secret-box.ts";
import { DISABLE_AFTER_MS, RETRY_DELAYS_MS, runWebhooks, SECRET_PURPOSE } from "../../src/webhooks/deliver.ts";
import { newSigningSecret } from "../../src/webhooks/signing.ts";
import { createOrg, createUser, request, signIn, type TestOrg, testDb } from "../support/worker.ts";

const SEAL_KEY = "test-webhook-seal-key";
const rules = { development: false, portalDomain: "localhost" };
const publicDns = { lookup: async (_name: string, type: "A" | "AAAA") => (type === "A" ? ["93.184.216.34"] : []) };

type Answer = (request: Request) => Response | Promise<Response>;

/** A receiver that verifies every delivery's signature, records it, and answers as told. */
function receiver(secret: string, answer: Answer = () => new Response("ok")) {
	const seen: { id: string; type: string; verified: boolean }[] = [];
	const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
		const req = new Request(input, init);
		const body = await req.clone().text();
		let verified = false;
		try {
			const headers: Record<string, string> = {};
			req.headers.forEach((value, key) => {
				headers[key] = value;
			});
			new Webhook(secret).verify(body, headers);
			verified = true;
		} catch {
			verified = false;
		}
		seen.push({ id: req.headers.get("webhook-id") ?? "", type: JSON.parse(body).type, verified });
		return answer(req);
	}) as typeof fetch;
	return { seen, fetcher };
}

async function endpointFor(
	org: TestOrg,
	url = "https://hooks.example.com/portico",
	eventTypes: string[] | null = null,
) {
	const secret = newSigningSecret();
	const tenant = tenantData({ orgId: org.id, db: testDb() });
	const made = insertEndpoint(tenant, {
		url,
		description: "Test receiver",
		eventTypes,
		secretSealed: await seal(SEAL_KEY, SECRET_PURPOSE, secret),
		nowMs: Date.now(),
	});
	await made.query;
	return { id: made.id, secret, tenant };
}

async function createKey(org: TestOrg, cookie: string, name: string) {
	const res = await request(`${org.origin}/keys`, {
		cookie,
		form: { name, scopes: "usage:write", expires: "", rateLimit: "" },
	});
	expect(res.status).toBeLessThan(400);
}

const runner = (tenant: ReturnType<typeof tenantData>, fetcher: typeof fetch, nowMs: number) => ({
	tenant,
	nowMs,
	fetcher,
	rules,
	resolver: publicDns,
	sealKey: SEAL_KEY,
});

async function setup() {
	const org = await createOrg({ planId: "pln_pro" });
	const owner = await createUser(org, "owner");
	const cookie = await signIn(org, owner.email);
	return { org, cookie };
}

describe("webhook delivery", () => {
	it("writes the event with its change, and delivers it signed to the endpoints that want it", async () => {
		const { org, cookie } = await setup();
		const all = await endpointFor(org);
		const revokedOnly = await endpointFor(org, "https://other.example.com/in", ["api_key.revoked"]);
		await createKey(org, cookie, "Backend");
		const events = await testDb().select().from(webhookEvents).where(eq(webhookEvents.orgId, org.id));
		expect(events.map((e) => e.type)).toEqual(["api_key.created"]);
		expect(JSON.parse(events[0]?.payload ?? "{}").data.name).toBe("Backend");

		const first = receiver(all.secret);
		const result = await runWebhooks(runner(all.tenant, first.fetcher, Date.now()));
		expect(result).toEqual({ attempted: 1, succeeded: 1 });
		expect(first.seen).toEqual([{ id: events[0]?.id, type: "api_key.created", verified: true }]);
		const deliveries = await testDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.orgId, org.id));
		expect(deliveries.map((d) => [d.endpointId, d.status])).toEqual([[all.id, "succeeded"]]);
		expect(revokedOnly.id).not.toBe(all.id);
		// Nothing is due any more: a second run sends nothing.
		expect(await runWebhooks(runner(all.tenant, first.fetcher, Date.now()))).toEqual({ attempted: 0, succeeded: 0 });
	});

	it("retries on Svix's schedule by the clock, then gives up", async () => {
		const { org, cookie } = await setup();
		const endpoint = await endpointFor(org);
		await createKey(org, cookie, "Flaky");
		const failing = receiver(endpoint.secret, () => new Response("down", { status: 503 }));
		let now = Date.now();
		const at: number[] = [];
		for (let attempt = 0; attempt < 8; attempt++) {
			// Just before it is due, nothing is sent.
			if (attempt > 0) {
				const early = await runWebhooks(runner(endpoint.tenant, failing.fetcher, now - 1));
				expect(early.attempted).toBe(0);
			}
			expect((await runWebhooks(runner(endpoint.tenant, failing.fetcher, now))).attempted).toBe(1);
			at.push(now);
			const [delivery] = await testDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.orgId, org.id));
			if (attempt < 7) {
				expect(delivery?.status).toBe("pending");
				expect((delivery?.nextAttemptAt ?? 0) - now).toBe(RETRY_DELAYS_MS[attempt]);
				now = delivery?.nextAttemptAt ?? now;
			} else expect(delivery?.status).toBe("failed");
		}
		expect(failing.seen).toHaveLength(8);
		expect(failing.seen.every((s) => s.verified && s.id === failing.seen[0]?.id)).toBe(true);
		const attempts = await testDb().select().from(webhookAttempts).where(eq(webhookAttempts.orgId, org.id));
		expect(attempts.map((a) => a.statusCode)).toEqual(Array(8).fill(503));
		expect(attempts[0]?.responseBody).toBe("down");
	});

	it("unsubscribes on 410, does not follow a redirect, and disables an endpoint failing for 5 days", async () => {
		const { org, cookie } = await setup();
		const gone = await endpointFor(org, "https://gone.example.com/in");
		const moved = await endpointFor(org, "https://moved.example.com/in");
		const fetcher = (async (input: RequestInfo | URL) => {
			const url = new Request(input).url;
			if (url.includes("gone")) return new Response("", { status: 410 });
			return new Response("", { status: 302, headers: { location: "http://127.0.0.1/admin" } });
		}) as typeof fetch;
		await createKey(org, cookie, "One");
		const disabled: string[] = [];
		const now = Date.now();
		await runWebhooks({
			...runner(gone.tenant, fetcher, now),
			onDisabled: async (e, reason) => void disabled.push(`${e.id} ${reason}`),
		});
		const endpoints = await testDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.orgId, org.id));
		const byId = new Map(endpoints.map((e) => [e.id, e]));
		expect([byId.get(gone.id)?.enabled, byId.get(gone.id)?.disabledReason]).toEqual([false, "gone"]);
		expect(disabled).toEqual([`${gone.id} gone`]);
		const attempts = await testDb().select().from(webhookAttempts).where(eq(webhookAttempts.orgId, org.id));
		const redirected = attempts.find((a) => a.statusCode === 302);
		expect(redirected?.error ?? "").toContain("redirect");
		expect(byId.get(moved.id)?.failingSince).toBe(now);

		// Five days of failures later, the next failure disables the endpoint, once.
		await createKey(org, cookie, "Two");
		await runWebhooks({
			...runner(moved.tenant, fetcher, now + DISABLE_AFTER_MS),
			onDisabled: async (e, reason) => void disabled.push(`${e.id} ${reason}`),
		});
		const [after] = await testDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, moved.id));
		expect([after?.enabled, after?.disabledReason]).toEqual([false, "failing"]);
		expect(disabled).toEqual([`${gone.id} gone`, `${moved.id} failing`]);
	});

	it("checks the target before each delivery: a name now resolving to loopback is not sent to", async () => {
		const { org, cookie } = await setup();
		const endpoint = await endpointFor(org, "https://rebind.example.com/in");
		await createKey(org, cookie, "Rebind");
		const hook = receiver(endpoint.secret);
		const rebound = { lookup: async (_n: string, type: "A" | "AAAA") => (type === "A" ? ["127.0.0.1"] : []) };
		await runWebhooks({ ...runner(endpoint.tenant, hook.fetcher, Date.now()), resolver: rebound });
		expect(hook.seen).toEqual([]);
		const [attempt] = await testDb().select().from(webhookAttempts).where(eq(webhookAttempts.orgId, org.id));
		expect(attempt?.error).toContain("public");
	});

	it("sends each attempt once when two runners start together, and keeps to its own organization", async () => {
		const { org, cookie } = await setup();
		const other = await setup();
		const endpoint = await endpointFor(org);
		const theirs = await endpointFor(other.org);
		for (const name of ["A", "B", "C"]) await createKey(org, cookie, name);
		await createKey(other.org, other.cookie, "Theirs");
		const hook = receiver(endpoint.secret);
		const now = Date.now();
		const results = await Promise.all([
			runWebhooks(runner(endpoint.tenant, hook.fetcher, now)),
			runWebhooks(runner(endpoint.tenant, hook.fetcher, now)),
		]);
		expect(results.reduce((n, r) => n + r.attempted, 0)).toBe(3);
		expect(hook.seen.map((s) => s.id).sort()).toEqual([...new Set(hook.seen.map((s) => s.id))].sort());
		expect(hook.seen).toHaveLength(3);
		const [theirDelivery] = await testDb()
			.select()
			.from(webhookDeliveries)
			.where(eq(webhookDeliveries.orgId, other.org.id));
		// The other organization's event is not even fanned out by this organization's runner.
		expect(theirDelivery).toBeUndefined();
		expect(theirs.id).toBeTruthy();
	});

	it("emits each change's event in its batch: invitations, role changes, removals, key revocations", async () => {
		const { org, cookie } = await setup();
		await endpointFor(org);
		const member = await createUser(org, "member");
		const [membership] = await testDb().select().from(memberships).where(eq(memberships.userId, member.id));
		const invited = await request(`${org.origin}/team/invitations`, {
			cookie,
			form: { emails: "new.one@example.test, new.two@example.test", roleId: "rol_builtin_member" },
		});
		expect(invited.status).toBeLessThan(400);
		const role = await request(`${org.origin}/team/members/${membership?.id}/role`, {
			cookie,
			form: { roleId: "rol_builtin_admin" },
		});
		expect(role.status).toBe(303);
		const removed = await request(`${org.origin}/team/members/${membership?.id}/remove`, { cookie, form: {} });
		expect(removed.status).toBe(303);
		await createKey(org, cookie, "Short-lived");
		const [key] = await testDb().select().from(apiKeys).where(eq(apiKeys.orgId, org.id));
		expect((await request(`${org.origin}/keys/${key?.id}/revoke`, { cookie, form: {} })).status).toBe(303);
		const events = await testDb()
			.select()
			.from(webhookEvents)
			.where(eq(webhookEvents.orgId, org.id))
			.orderBy(webhookEvents.id);
		expect(events.map((e) => e.type)).toEqual([
			"invitation.created",
			"invitation.created",
			"member.role_changed",
			"member.removed",
			"api_key.created",
			"api_key.revoked",
		]);
		const bodies = events.map((e) => JSON.parse(e.payload));
		expect(bodies[2]).toMatchObject({
			type: "member.role_changed",
			data: { id: membership?.id, roleId: "rol_builtin_admin" },
		});
		expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
		expect(bodies.every((b) => !Number.isNaN(Date.parse(b.timestamp)))).toBe(true);
	});

	it("keeps 30 days: settled deliveries, their attempts and events before that go; pending ones stay", async () => {
		const { org, cookie } = await setup();
		const endpoint = await endpointFor(org);
		await createKey(org, cookie, "Old");
		const hook = receiver(endpoint.secret);
		await runWebhooks(runner(endpoint.tenant, hook.fetcher, Date.now()));
		await createKey(org, cookie, "Stuck");
		const down = receiver(endpoint.secret, () => new Response("", { status: 500 }));
		await runWebhooks(runner(endpoint.tenant, down.fetcher, Date.now()));
		const later = Date.now() + 31 * 24 * 3_600_000;
		await endpoint.tenant.batch(
			purgeWebhooksBefore(endpoint.tenant, later - 30 * 24 * 3_600_000) as [never, ...never[]],
		);
		const deliveries = await testDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.orgId, org.id));
		expect(deliveries.map((d) => d.status)).toEqual(["pending"]);
		const events = await testDb().select().from(webhookEvents).where(eq(webhookEvents.orgId, org.id));
		expect(events.map((e) => e.id)).toEqual([deliveries[0]?.eventId]);
		const attempts = await testDb().select().from(webhookAttempts).where(eq(webhookAttempts.orgId, org.id));
		expect(attempts.map((a) => a.deliveryId)).toEqual([deliveries[0]?.id]);
	});

	it("stores no event for an organization without an enabled endpoint", async () => {
		const { org, cookie } = await setup();
		await createKey(org, cookie, "Nobody listens");
		expect(await testDb().select().from(webhookEvents).where(eq(webhookEvents.orgId, org.id))).toEqual([]);
		const endpoint = await endpointFor(org);
		await testDb().update(webhookEndpoints).set({ enabled: false }).where(eq(webhookEndpoints.id, endpoint.id));
		await createKey(org, cookie, "Disabled endpoint");
		expect(await testDb().select().from(webhookEvents).where(eq(webhookEvents.orgId, org.id))).toEqual([]);
		await testDb().update(webhookEndpoints).set({ enabled: true }).where(eq(webhookEndpoints.id, endpoint.id));
		await createKey(org, cookie, "Listened to");
		const events = await testDb().select().from(webhookEvents).where(eq(webhookEvents.orgId, org.id));
		expect(events.map((e) => JSON.parse(e.payload).data.name)).toEqual(["Listened to"]);
	});
});
