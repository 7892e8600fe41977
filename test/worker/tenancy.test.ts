import { describe, expect, it } from "vitest";
import { addVerifiedDomain, createOrg, request } from "../support/worker.ts";

describe("tenant resolution by host", () => {
	it("serves the organization's branded portal on its subdomain", async () => {
		const org = await createOrg({ name: "Branded Co", brandPrimary: "#123456" });
		const res = await request(`${org.origin}/`);
		expect(res.status, res.text).toBe(200);
		expect(res.text).toContain("Sign in to Branded Co");
		expect(res.text).toContain("--brand-primary:#123456");
		expect(res.headers.get("x-request-id")).toMatch(/^req_/);
	});

	it("serves the vendor's landing page on the apex", async () => {
		const res = await request("http://localhost/");
		expect(res.status, res.text).toBe(200);
		expect(res.text).toContain("Portico");
		expect(res.text).not.toContain("Sign in to");
	});

	it("answers the same bare 404 for an unknown slug, a nested label and a foreign host", async () => {
		const answers = await Promise.all(
			[
				"http://no-such-tenant-xyz.localhost/",
				"http://a.b.localhost/",
				"http://evil.example.com/",
				"http://127.0.0.1/",
			].map((u) => request(u)),
		);
		for (const res of answers) {
			expect(res.status).toBe(404);
			expect(res.text).toBe("Not found");
		}
	});

	it("serves a verified custom domain as the organization's portal, and ignores an unverified one", async () => {
		const org = await createOrg({ name: "Custom Domain Co" });
		const host = `portal-${org.slug}.example.com`;
		await addVerifiedDomain(org, host);
		const res = await request(`http://${host}/`);
		expect(res.status, res.text).toBe(200);
		expect(res.text).toContain("Sign in to Custom Domain Co");

		const other = await createOrg();
		const pending = `pending-${other.slug}.example.com`;
		await addVerifiedDomain(other, pending, false);
		expect((await request(`http://${pending}/`)).status).toBe(404);
	});

	it("shows a clear page and none of the data of a suspended or deleted organization", async () => {
		const suspended = await createOrg({ name: "Paused Co", status: "suspended" });
		const res = await request(`${suspended.origin}/`);
		expect(res.status).toBe(403);
		expect(res.text).toContain("This portal is paused");
		expect(res.text).not.toContain("Sign in");
		const audit = await request(`${suspended.origin}/audit`);
		expect(audit.status).toBe(403);

		const deleted = await createOrg({ name: "Gone Co", status: "deleted" });
		const gone = await request(`${deleted.origin}/`);
		expect(gone.status).toBe(410);
		expect(gone.text).toContain("This portal has closed");
	});
});

describe("markup", () => {
	it("never repeats an id on a page (labels must point at their own field)", async () => {
		const org = await createOrg();
		const res = await request(`${org.origin}/sign-in`);
		const ids = [...res.text.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
		expect(ids.length).toBeGreaterThan(3);
		expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
	});
});
