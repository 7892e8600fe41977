import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, PBKDF2_ITERATIONS, verifyPassword } from "../../src/auth/password.ts";
import { can } from "../../src/auth/permissions.ts";
import { newId } from "../../src/lib/ids.ts";
import { lookupForHost } from "../../src/tenancy/hosts.ts";

describe("hosts", () => {
	it("maps apex, subdomains and custom domains, and refuses anything else", () => {
		expect(lookupForHost("portal.example", "portal.example")).toEqual({ kind: "apex" });
		expect(lookupForHost("ACME.portal.example", "portal.example")).toEqual({ kind: "slug", slug: "acme" });
		expect(lookupForHost("a.b.portal.example", "portal.example")).toBeNull();
		expect(lookupForHost("-x.portal.example", "portal.example")).toBeNull();
		expect(lookupForHost("portal.acme.com", "portal.example")).toEqual({ kind: "domain", hostname: "portal.acme.com" });
		expect(lookupForHost("10.0.0.1", "portal.example")).toBeNull();
		expect(lookupForHost("localhost", "portal.example")).toBeNull();
	});
});

describe("ids", () => {
	it("are prefixed, random and sort by creation time", () => {
		const early = newId("org", 1_700_000_000_000);
		const late = newId("org", 1_700_000_000_001);
		expect(early).toMatch(/^org_[0-9a-z]{26}$/);
		expect(early < late).toBe(true);
		expect(newId("usr")).not.toBe(newId("usr"));
	});
});

describe("passwords", () => {
	it("stay within the 100,000 PBKDF2 iterations production Workers accept", async () => {
		expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
		const hash = await hashPassword("s3cret pass");
		expect(hash.split("$")[1]).toBe(String(PBKDF2_ITERATIONS));
		expect(await verifyPassword("s3cret pass", hash)).toBe(true);
		expect(await verifyPassword("s3cret pas", hash)).toBe(false);
		expect(needsRehash(hash)).toBe(false);
		expect(needsRehash("pbkdf2-sha256$50000$x$y")).toBe(true);
		// A stored hash that asks for more iterations than Workers allow is refused, not attempted.
		expect(await verifyPassword("s3cret pass", hash.replace("$100000$", "$200000$"))).toBe(false);
	});
});

describe("permissions", () => {
	it("grants only what the role lists", () => {
		expect(can({ permissions: ["audit:read"] }, "audit:read")).toBe(true);
		expect(can({ permissions: ["audit:read"] }, "billing:manage")).toBe(false);
		expect(can(null, "org:read")).toBe(false);
	});
});
