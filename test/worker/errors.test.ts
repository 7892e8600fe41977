import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { BUILT_IN_ROLES } from "../../src/auth/permissions.ts";
import type { AppEnv } from "../../src/context.ts";
import { memberships } from "../../src/db/schema.ts";
import { customHostnamesFor } from "../../src/domains/custom-hostnames.ts";
import { productionProblems } from "../../src/env.ts";
import { handleError } from "../../src/errors.tsx";
import { newId } from "../../src/lib/ids.ts";
import { addVerifiedDomain, createOrg, createUser, request, signIn, testDb } from "../support/worker.ts";

describe("errors and headers", () => {
	it("answers an unknown route on a tenant host with the branded 404 page", async () => {
		const org = await createOrg({ name: "Lost Co" });
		const res = await request(`${org.origin}/no/such/page`);
		expect(res.status).toBe(404);
		expect(res.text).toContain("Page not found");
		expect(res.text).toContain("Lost Co");
	});

	it("answers an unknown API path on the apex with a JSON error, never HTML", async () => {
		const anonymous = await request("http://localhost/api/v1/nothing");
		expect(anonymous.status).toBe(401);
		expect(JSON.parse(anonymous.text)).toMatchObject({ error: { code: "unauthorized" } });
		const res = await request("http://localhost/api/v1/nothing", {
			headers: { authorization: `Bearer ${env.VENDOR_API_SECRET}` },
		});
		expect(res.status).toBe(404);
		expect(res.headers.get("content-type")).toContain("application/json");
		expect(JSON.parse(res.text)).toMatchObject({ error: { code: "not_found", message: "No such API endpoint." } });
	});

	it("answers a malformed multipart body with a 4xx and a message, on every route that reads one", async () => {
		const org = await createOrg();
		const owner = await createUser(org, "owner");
		const cookie = await signIn(org, owner.email);
		const broken = {
			body: '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nunterminated',
			headers: { "content-type": "multipart/form-data; boundary=b" },
		};
		const targets = [
			[`${org.origin}/settings/branding`, cookie],
			["http://localhost/ops/sign-in", undefined],
			[`${org.origin}/team/members/mem_00000000000000000000000000/role`, cookie],
			[`${org.origin}/account/profile`, cookie],
		] as const;
		for (const [url, c] of targets) {
			const res = await request(url, { ...broken, cookie: c });
			expect(res.status, url).toBeGreaterThanOrEqual(400);
			expect(res.status, url).toBeLessThan(500);
		}
	});

	it("refuses a body over 1 MB with 413", async () => {
		const org = await createOrg();
		const res = await request(`${org.origin}/sign-in`, {
			body: "x".repeat(1024 * 1024 + 1),
			headers: { "content-type": "text/plain" },
		});
		expect(res.status).toBe(413);
		expect(res.text).toContain("larger than 1 MB");
	});

	it("sets the security headers: CSP without inline script, frame denial, referrer policy, no HSTS on http", async () => {
		const org = await createOrg();
		const res = await request(`${org.origin}/`);
		const csp = res.headers.get("content-security-policy") ?? "";
		expect(csp).toContain("script-src 'self';");
		expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
		expect(csp).toContain("frame-ancestors 'none'");
		const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
		expect(res.text).toContain(`<style nonce="${nonce}">`);
		expect(res.headers.get("x-frame-options")).toBe("DENY");
		expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
		expect(res.headers.get("strict-transport-security")).toBeNull();
		expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
	});

	it("lets forms hand off to exactly Stripe's hosted pages, the portal's hosts and the viewer's custom domains", async () => {
		const org = await createOrg();
		const other = await createOrg();
		await addVerifiedDomain(other, `portal-${other.slug}.example.test`);
		const user = await createUser(org, "owner");
		await testDb()
			.insert(memberships)
			.values({ id: newId("mem"), orgId: other.id, userId: user.id, roleId: BUILT_IN_ROLES.member.id });
		const formAction = (csp: string | null) =>
			/form-action ([^;]+)/
				.exec(csp ?? "")?.[1]
				?.split(" ")
				.sort() ?? [];
		const stripe = new URL(env.STRIPE_API_BASE ?? "").origin;
		const anonymous = await request(`${org.origin}/sign-in`);
		expect(formAction(anonymous.headers.get("content-security-policy"))).toEqual(
			["'self'", "http://localhost", "http://*.localhost", stripe].sort(),
		);
		const cookie = await signIn(org, user.email);
		const page = await request(`${org.origin}/`, { cookie });
		expect(formAction(page.headers.get("content-security-policy"))).toEqual(
			["'self'", "http://localhost", "http://*.localhost", stripe, `http://portal-${other.slug}.example.test`].sort(),
		);
	});

	it("gives every page a description for search engines and link previews", async () => {
		const org = await createOrg({ name: "Described Co" });
		for (const url of [`${org.origin}/sign-in`, `${org.origin}/help`, "http://localhost/", `${org.origin}/nope`]) {
			const res = await request(url);
			expect(res.text, url).toMatch(
				/<meta name="description" content="[^"]*Described Co|<meta name="description" content="[^"]{20,}"/,
			);
		}
	});

	it("sends HSTS on https", async () => {
		const org = await createOrg();
		const res = await request(`https://${org.slug}.localhost/`);
		expect(res.headers.get("strict-transport-security")).toContain("max-age=");
	});

	it("refuses to serve production without what production needs, naming it in the log only", async () => {
		const errors = vi.spyOn(console, "error").mockImplementation(() => {});
		const production = { ...env, ENVIRONMENT: "production", CF_API_TOKEN: undefined };
		expect(productionProblems(production).join("\n")).toMatch(/CF_API_TOKEN.*\n[\s\S]*STRIPE_API_BASE must be unset/);
		expect(() => customHostnamesFor(production)).toThrow(/CF_API_TOKEN/);
		expect(productionProblems({ ...env, ENVIRONMENT: "test" })).toEqual([]);
		const res = await createApp().fetch(new Request("https://acme.localhost/"), production);
		const text = await res.text();
		expect(res.status).toBe(500);
		expect(text).not.toMatch(/CF_API_TOKEN|STRIPE|configuration/);
		expect(errors.mock.calls.map((c) => String(c[0])).join("\n")).toContain("CF_API_TOKEN");
		errors.mockRestore();
	});

	it("renders a 503 page and logs when the database cannot be reached", async () => {
		const errors = vi.spyOn(console, "error").mockImplementation(() => {});
		const app = createApp();
		const res = await app.fetch(new Request("http://acme.localhost/"), { ...env, DATABASE_URL: "http://127.0.0.1:9/" });
		const text = await res.text();
		expect(res.status, text).toBe(503);
		expect(text).toContain("Temporarily unavailable");
		expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|fetch failed/);
		expect(errors).toHaveBeenCalledWith(expect.stringContaining('"msg":"database unreachable"'));
		errors.mockRestore();
	});

	it("never sends an unknown error's message or stack to the user", async () => {
		const errors = vi.spyOn(console, "error").mockImplementation(() => {});
		const app = new Hono<AppEnv>();
		app.use("*", async (c, next) => {
			c.set("requestId", "req_test_leak");
			await next();
		});
		app.onError(handleError);
		app.get("/", () => {
			throw new Error("SELECT secret FROM internals at db.ts:42");
		});
		const res = await app.request("http://localhost/", {}, env);
		const text = await res.text();
		expect(res.status).toBe(500);
		expect(text).toContain("Something went wrong");
		expect(text).toContain("req_test_leak");
		expect(text).not.toContain("internals");
		const logged = JSON.parse(String(errors.mock.calls[0]?.[0]));
		expect(logged).toMatchObject({
			level: "error",
			requestId: "req_test_leak",
			error: { message: expect.stringContaining("internals") },
		});
		errors.mockRestore();
	});
});
