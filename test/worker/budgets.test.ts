// Budgets that do not depend on machine speed: database round trips per page view, counted by the
// libSQL server for each request id. The goal is one (session, tenant, membership and the page's
// reads in one batch); the budget is two.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tenantData } from "../../src/db/tenant-data.ts";
import { insertEndpoint, testEventWrites } from "../../src/db/webhooks.ts";
import { moveOrganization } from "../../src/tenancy/move.ts";
import { createOrg, createUser, request, roundTrips, signIn, testDb } from "../support/worker.ts";

describe("database round trips per page", () => {
	it("costs one round trip for the signed-in overview and the anonymous sign-in page", async () => {
		const org = await createOrg();
		const owner = await createUser(org, "owner");
		const cookie = await signIn(org, owner.email);
		const home = await request(`${org.origin}/`, { cookie });
		expect(home.status).toBe(200);
		expect(await roundTrips(home.headers.get("x-request-id"))).toBe(1);
		const anonymous = await request(`${org.origin}/sign-in`);
		expect(await roundTrips(anonymous.headers.get("x-request-id"))).toBe(1);
	});

	it.each([
		"/audit",
		"/account",
		"/settings/security",
		"/team",
		"/team/roles",
		"/settings",
		"/settings/export",
		"/notifications",
		"/account/notifications",
		"/billing",
		"/usage",
		"/keys",
		"/help?q=download+invoice",
		"/support",
		"/support/new",
		"/settings/branding",
		"/settings/domains",
		"/settings/directory",
		"/settings/webhooks",
		"/settings/webhooks/events",
	])("stays within two round trips for %s", async (path) => {
		const org = await createOrg();
		const owner = await createUser(org, "owner");
		const cookie = await signIn(org, owner.email);
		const page = await request(`${org.origin}${path}`, { cookie });
		expect(page.status, page.text.slice(0, 300)).toBe(200);
		expect(await roundTrips(page.headers.get("x-request-id"))).toBeLessThanOrEqual(2);
	});

	it("reads a webhook endpoint with its deliveries, attempts and events in one batch", async () => {
		const org = await createOrg();
		const owner = await createUser(org, "owner");
		const cookie = await signIn(org, owner.email);
		const tenant = tenantData({ orgId: org.id, db: testDb() });
		const made = insertEndpoint(tenant, {
			url: "https://hooks.example.com/in",
			description: "",
			eventTypes: null,
			secretSealed: "v1.x.y",
			nowMs: Date.now(),
		});
		await made.query;
		for (const n of [1, 2, 3])
			await tenant.batch(
				testEventWrites(tenant, {
					eventId: `msg_budget${n}${org.id.slice(-8)}`,
					type: "member.added",
					payload: `{"n":${n}}`,
					endpointId: made.id,
					nowMs: Date.now(),
				}) as [never, ...never[]],
			);
		const page = await request(`${org.origin}/settings/webhooks/${made.id}`, { cookie });
		expect(page.status).toBe(200);
		expect(page.text).toContain("{&quot;n&quot;:3}");
		expect(await roundTrips(page.headers.get("x-request-id"))).toBeLessThanOrEqual(2);
	});

	it("reads the brand with the organization: the branding page itself costs one round trip", async () => {
		const org = await createOrg({ brandPrimary: "#123456", supportEmail: "help@example.com" });
		const owner = await createUser(org, "owner");
		const cookie = await signIn(org, owner.email);
		const page = await request(`${org.origin}/settings/branding`, { cookie });
		expect(page.text).toContain("--brand-primary:#123456");
		expect(await roundTrips(page.headers.get("x-request-id"))).toBe(1);
	});

	it("costs no round trip for the apex landing page of an anonymous visitor", async () => {
		const res = await request("http://localhost/");
		expect(res.status).toBe(200);
		expect(await roundTrips(res.headers.get("x-request-id"))).toBe(0);
	});
});

describe("database round trips per page on the dedicated tier", () => {
	// The overview, /billing and /usage declare their main-database reads (plans, key names, seats,
	// verification counts) for the site batch, so the organization's own database is the second trip.
	it.each([
		["/", 2],
		["/audit", 2],
		["/notifications", 2],
		["/billing", 2],
		["/usage", 2],
		["/keys", 2],
		["/support", 2],
		["/settings/export", 2],
	] as const)("stays within its round trips for %s in the organization's own database", async (path, budget) => {
		const org = await createOrg();
		const owner = await createUser(org, "owner");
		await moveOrganization(env, testDb(), { url: env.DATABASE_URL }, org.id, "dedicated", Date.now());
		const cookie = await signIn(org, owner.email);
		const page = await request(`${org.origin}${path}`, { cookie });
		expect(page.status, page.text.slice(0, 300)).toBe(200);
		expect(await roundTrips(page.headers.get("x-request-id"))).toBeLessThanOrEqual(budget);
	});
});
