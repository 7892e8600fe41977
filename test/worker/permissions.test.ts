import { describe, expect, it } from "vitest";
import { auditActions, createOrg, createUser, request, signIn } from "../support/worker.ts";

describe("permission-aware navigation and routes", () => {
	it("shows the audit log to an owner, with the link in the navigation", async () => {
		const org = await createOrg();
		const owner = await createUser(org, "owner");
		const cookie = await signIn(org, owner.email);
		const res = await request(`${org.origin}/audit`, { cookie });
		expect(res.status, res.text).toBe(200);
		expect(res.text).toContain('href="/audit" aria-current="page"');
		expect(res.text).toContain("auth.sign_in");
	});

	it("hides the audit link from a member and refuses the route on the server", async () => {
		const org = await createOrg();
		const member = await createUser(org, "member");
		const cookie = await signIn(org, member.email);
		const home = await request(`${org.origin}/`, { cookie });
		expect(home.status).toBe(200);
		expect(home.text).not.toContain('href="/audit"');
		const res = await request(`${org.origin}/audit`, { cookie });
		expect(res.status).toBe(403);
		expect(res.text).toContain("Your role does not allow this");
		expect(res.text).not.toContain("auth.sign_in");
	});

	it("sends an anonymous visitor to sign in", async () => {
		const org = await createOrg();
		const res = await request(`${org.origin}/audit`);
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/sign-in");
	});

	it("never shows one organization's audit events in another's log", async () => {
		const a = await createOrg();
		const b = await createOrg();
		const ownerA = await createUser(a, "owner");
		const ownerB = await createUser(b, "owner");
		await signIn(a, ownerA.email);
		const cookieB = await signIn(b, ownerB.email);
		const res = await request(`${b.origin}/audit`, { cookie: cookieB });
		expect(res.status).toBe(200);
		expect(res.text).toContain(ownerB.name);
		expect(res.text).not.toContain(ownerA.name);
		expect(await auditActions(a.id)).toEqual(["auth.sign_in"]);
	});
});
