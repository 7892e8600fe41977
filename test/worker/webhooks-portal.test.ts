// Webhook endpoints in the portal, in workerd against the real libSQL server: adding one (its secret
// shown once, sealed at rest), the SSRF refusals with nothing written, the limit under concurrency, a test
// event delivered and shown in the log, rotation with both secrets verifying, replay of one delivery and
// of every failure since a date, editing, deletion, and another organization's ids answering 404.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { auditEvents, webhookAttempts, webhookDeliveries, webhookEndpoints } from "../../src/db/schema.ts";
import { tenantData } from "../../src/db/tenant-data.ts";
import { MAX_ENDPOINTS } from "../../src/db/webhooks.ts";
import { RETRY_DELAYS_MS, runWebhooks } from "../../src/webhooks/deliver.ts";
import { runnerFor } from "../../src/webhooks/runner.ts";
import { mockDns } from "../support/dns.ts";
import { createOrg, createUser, request, signIn, type TestOrg, testDb } from "../support/worker.ts";

const ZONE = ".hooks-test.example";
const dns = mockDns((name) => name.endsWith(ZONE));
const PUBLIC = "93.184.216.34";
const form = (url: string, extra: Record<string, string> = {}) => ({ url, description: "", scope: "all", ...extra });

async function setup() {
	const org = await createOrg({ planId: "pln_pro" });
	const owner = await createUser(org, "owner");
	const cookie = await signIn(org, owner.email);
	return { org, cookie };
}

let n = 0;
function publicName() {
	const name = `r${++n}-${crypto.randomUUID().slice(0, 6)}${ZONE}`;
	dns.set("A", name, [PUBLIC]);
	return name;
}

async function addEndpoint(org: TestOrg, cookie: string, url = `https://${publicName()}/in`) {
	const res = await request(`${org.origin}/settings/webhooks`, { cookie, form: form(url) });
	expect(res.status).toBe(200);
	const secret = /whsec_[A-Za-z0-9+/]{32}/.exec(res.text)?.[0] ?? "";
	expect(secret).not.toBe("");
	const rows = await testDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.orgId, org.id));
	const made = rows.find((r) => r.url === url);
	expect(made).toBeTruthy();
	return { id: made?.id ?? "", secret, url };
}

/** A receiver verifying each delivery with every secret given, answering as told. */
function receiver(secrets: string[], status = 200) {
	const seen: { verifiedWith: number[]; body: string }[] = [];
	const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
		const req = new Request(input, init);
		const body = await req.text();
		const headers: Record<string, string> = {};
		req.headers.forEach((value, key) => {
			headers[key] = value;
		});
		const verifiedWith = secrets.flatMap((secret, i) => {
			try {
				new Webhook(secret).verify(body, headers);
				return [i];
			} catch {
				return [];
			}
		});
		seen.push({ verifiedWith, body });
		return new Response(status === 200 ? "thanks" : "nope", { status });
	}) as typeof fetch;
	return { seen, fetcher };
}

const run = (org: TestOrg, fetcher: typeof fetch, nowMs = Date.now()) =>
	runWebhooks({
		tenant: tenantData({ orgId: org.id, db: testDb() }),
		nowMs,
		fetcher,
		rules: { development: false, portalDomain: "localhost" },
		resolver: { lookup: async (_n: string, type: "A" | "AAAA") => (type === "A" ? [PUBLIC] : []) },
		sealKey: (env as unknown as { SSO_SECRET_KEY: string }).SSO_SECRET_KEY,
	});

describe("webhook endpoints in the portal", () => {
	it("adds an endpoint with its secret shown once and sealed, and sends it a test event", async () => {
		const { org, cookie } = await setup();
		const endpoint = await addEndpoint(org, cookie);
		const [row] = await testDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
		expect(JSON.stringify(row)).not.toContain(endpoint.secret.slice(6));
		const again = await request(`${org.origin}/settings/webhooks`, { cookie });
		expect(again.text).not.toContain(endpoint.secret);
		expect(again.text).toContain(endpoint.url);

		const test = await request(`${org.origin}/settings/webhooks/${endpoint.id}/test`, {
			cookie,
			form: { type: "member.added" },
		});
		expect(test.status).toBe(303);
		const hook = receiver([endpoint.secret]);
		expect(await run(org, hook.fetcher)).toEqual({ attempted: 1, succeeded: 1 });
		expect(hook.seen[0]?.verifiedWith).toEqual([0]);
		expect(JSON.parse(hook.seen[0]?.body ?? "{}")).toMatchObject({ type: "member.added", data: { test: true } });
		const page = await request(`${org.origin}/settings/webhooks/${endpoint.id}`, { cookie });
		expect(page.text).toContain("member.added · Succeeded (200)");
		expect(page.text).toContain("thanks");
		const actions = await testDb()
			.select({ action: auditEvents.action, metadata: auditEvents.metadata })
			.from(auditEvents)
			.where(eq(auditEvents.orgId, org.id));
		expect(actions.map((a) => a.action)).toEqual(
			expect.arrayContaining(["webhooks.endpoint_created", "webhooks.test_sent"]),
		);
		expect(JSON.stringify(actions)).not.toContain(endpoint.secret);
	});

	it("refuses targets that are not public, writing nothing", async () => {
		const { org, cookie } = await setup();
		const loopbackName = `loop-${crypto.randomUUID().slice(0, 6)}${ZONE}`;
		dns.set("A", loopbackName, ["127.0.0.1"]);
		for (const url of [
			"https://127.0.0.1/in",
			"https://[::1]/in",
			"https://169.254.169.254/latest/meta-data",
			"https://10.0.0.1/in",
			`https://${loopbackName}/in`,
			"http://example.com/in",
			"https://user:secret@example.com/in",
			"https://example.com:8443/in",
		]) {
			const res = await request(`${org.origin}/settings/webhooks`, { cookie, form: form(url) });
			expect(res.status, url).toBe(422);
			expect(res.text).not.toContain("whsec_");
		}
		expect(await testDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.orgId, org.id))).toEqual([]);
	});

	it(`keeps to ${MAX_ENDPOINTS} endpoints when more are added at once`, async () => {
		const { org, cookie } = await setup();
		const results = await Promise.all(
			Array.from({ length: MAX_ENDPOINTS + 2 }, () =>
				request(`${org.origin}/settings/webhooks`, { cookie, form: form(`https://${publicName()}/in`) }),
			),
		);
		expect(results.filter((r) => r.status === 200)).toHaveLength(MAX_ENDPOINTS);
		expect(results.filter((r) => r.status === 422)).toHaveLength(2);
		const rows = await testDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.orgId, org.id));
		expect(rows).toHaveLength(MAX_ENDPOINTS);
	});

	it("rotates the secret with both verifying for a day, and replays deliveries", async () => {
		const { org, cookie } = await setup();
		const endpoint = await addEndpoint(org, cookie);
		const rotated = await request(`${org.origin}/settings/webhooks/${endpoint.id}/rotate`, { cookie, form: {} });
		const next = /whsec_[A-Za-z0-9+/]{32}/.exec(rotated.text)?.[0] ?? "";
		expect(next).not.toBe(endpoint.secret);
		expect(rotated.text).toContain("keeps signing for 24 hours");
		await request(`${org.origin}/settings/webhooks/${endpoint.id}/test`, { cookie, form: { type: "invoice.paid" } });
		const both = receiver([endpoint.secret, next]);
		await run(org, both.fetcher);
		expect(both.seen[0]?.verifiedWith).toEqual([0, 1]);
		// A day later only the new secret signs.
		await request(`${org.origin}/settings/webhooks/${endpoint.id}/test`, { cookie, form: { type: "invoice.paid" } });
		const later = receiver([endpoint.secret, next]);
		await run(org, later.fetcher, Date.now() + 24 * 3_600_000 + 1);
		expect(later.seen[0]?.verifiedWith).toEqual([1]);

		// Replay one delivery: attempted again from the start.
		const [first] = await testDb()
			.select()
			.from(webhookDeliveries)
			.where(eq(webhookDeliveries.endpointId, endpoint.id))
			.orderBy(webhookDeliveries.id);
		const replay = await request(`${org.origin}/settings/webhooks/${endpoint.id}/deliveries/${first?.id}/replay`, {
			cookie,
			form: {},
		});
		expect(replay.status).toBe(303);
		const third = receiver([next]);
		expect((await run(org, third.fetcher)).attempted).toBe(1);
		const attempts = await testDb()
			.select()
			.from(webhookAttempts)
			.where(eq(webhookAttempts.deliveryId, first?.id ?? ""));
		expect(attempts).toHaveLength(2);

		// Every failure since a date: a delivery that used its whole schedule is sent again.
		await request(`${org.origin}/settings/webhooks/${endpoint.id}/test`, { cookie, form: { type: "ticket.updated" } });
		const down = receiver([next], 500);
		let now = Date.now();
		for (let i = 0; i <= RETRY_DELAYS_MS.length; i++) {
			await run(org, down.fetcher, now);
			now += RETRY_DELAYS_MS[i] ?? 0;
		}
		const failed = await testDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.status, "failed"));
		expect(failed.filter((d) => d.endpointId === endpoint.id)).toHaveLength(1);
		const today = new Date().toISOString().slice(0, 10);
		const all = await request(`${org.origin}/settings/webhooks/${endpoint.id}/replay-failed`, {
			cookie,
			form: { since: today },
		});
		expect(all.status).toBe(303);
		const up = receiver([next]);
		expect(await run(org, up.fetcher)).toEqual({ attempted: 1, succeeded: 1 });
	});

	it("edits and deletes an endpoint; another organization's endpoint and deliveries are 404", async () => {
		const { org, cookie } = await setup();
		const other = await setup();
		const mine = await addEndpoint(org, cookie);
		const theirs = await addEndpoint(other.org, other.cookie);
		await request(`${other.org.origin}/settings/webhooks/${theirs.id}/test`, {
			cookie: other.cookie,
			form: { type: "member.added" },
		});
		const [theirDelivery] = await testDb()
			.select()
			.from(webhookDeliveries)
			.where(eq(webhookDeliveries.endpointId, theirs.id));
		for (const [path, body] of [
			[`/settings/webhooks/${theirs.id}`, undefined],
			[`/settings/webhooks/${theirs.id}`, form("https://example.com/x")],
			[`/settings/webhooks/${theirs.id}/rotate`, {}],
			[`/settings/webhooks/${theirs.id}/test`, { type: "member.added" }],
			[`/settings/webhooks/${theirs.id}/delete`, {}],
			[`/settings/webhooks/${mine.id}/deliveries/${theirDelivery?.id}/replay`, {}],
		] as const) {
			const res = await request(`${org.origin}${path}`, { cookie, ...(body ? { form: body } : {}) });
			expect(res.status, path).toBe(404);
		}
		const [still] = await testDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, theirs.id));
		expect(still?.secretSealed).toBeTruthy();

		const refused = await request(`${org.origin}/settings/webhooks/${mine.id}`, {
			cookie,
			form: form("https://127.0.0.1/in", { enabled: "on" }),
		});
		expect(refused.status).toBe(422);
		const edited = await request(`${org.origin}/settings/webhooks/${mine.id}`, {
			cookie,
			form: { url: mine.url, description: "Billing system", scope: "chosen", eventTypes: "invoice.paid" },
		});
		expect(edited.status).toBe(303);
		const [row] = await testDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, mine.id));
		expect([row?.enabled, row?.disabledReason, row?.eventTypes, row?.description]).toEqual([
			false,
			"manual",
			["invoice.paid"],
			"Billing system",
		]);
		const deleted = await request(`${org.origin}/settings/webhooks/${mine.id}/delete`, { cookie, form: {} });
		expect(deleted.status).toBe(303);
		expect(await testDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, mine.id))).toEqual([]);
	});

	it("tells the organization's webhook managers when an endpoint is disabled, once", async () => {
		const { org, cookie } = await setup();
		const endpoint = await addEndpoint(org, cookie);
		await request(`${org.origin}/settings/webhooks/${endpoint.id}/test`, { cookie, form: { type: "member.added" } });
		await request(`${org.origin}/settings/webhooks/${endpoint.id}/test`, { cookie, form: { type: "invoice.paid" } });
		const gone = (async () => new Response("", { status: 410 })) as typeof fetch;
		const tenant = tenantData({ orgId: org.id, db: testDb() });
		const context = {
			bindings: env as never,
			main: testDb(),
			tenant,
			orgId: org.id,
			origin: org.origin,
			nowMs: Date.now(),
		};
		const runner = runnerFor(context, gone);
		expect(runner).not.toBeNull();
		if (runner) expect(await runWebhooks(runner)).toEqual({ attempted: 2, succeeded: 0 });
		const inbox = await request(`${org.origin}/notifications`, { cookie });
		expect(inbox.text.split("A webhook endpoint was disabled").length - 1).toBe(1);
		const page = await request(`${org.origin}/settings/webhooks`, { cookie });
		expect(page.text).toContain("Disabled: the receiver answered 410 Gone");
	});
});
