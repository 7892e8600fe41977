// The SCIM 2.0 API in workerd against the real libSQL server: tokens (shown once, hashed, revocable,
// only for their own organization and host), discovery, and Users — Okta's and Entra ID's documented
// request sequences for a new hire, an update and a departure, filters, paging, PATCH quirks, errors in
// the SCIM schema with nothing written, seats, and the same create sent five times at once.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, memberships, organizations, scimTokens, sessions } from "../../src/db/schema.ts";
import { directoryOrg, newHire, SCIM, scim, unique } from "../support/scim.ts";
import {
	createOrg,
	createUser,
	lastMailTo,
	PASSWORD,
	request,
	sessionCount,
	signIn,
	testDb,
} from "../support/worker.ts";

describe("SCIM tokens", () => {
	it("shows a token once, keeps only its hash, and refuses no token, a revoked one, another organization's", async () => {
		const { org, cookie, token } = await directoryOrg();
		const [row] = await testDb().select().from(scimTokens).where(eq(scimTokens.orgId, org.id));
		expect(row?.tokenHash).not.toContain(token);
		expect(JSON.stringify(row)).not.toContain(token);
		const page = await request(`${org.origin}/settings/directory`, { cookie });
		expect(page.text).not.toContain(token);
		expect(page.text).toContain(`…${token.slice(-4)}`);

		expect((await scim(org, token, "/Users")).status).toBe(200);
		const none = await scim(org, null, "/Users");
		expect(none.status).toBe(401);
		expect(none.headers.get("content-type")).toContain(SCIM);
		expect(none.json?.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
		expect((await scim(org, "scim_wrong", "/Users")).json?.detail).toBe(none.json?.detail);

		// Another organization's token, on this host, and this token on the other's host.
		const other = await directoryOrg();
		expect((await scim(org, other.token, "/Users")).status).toBe(401);
		expect((await scim(other.org, token, "/Users")).status).toBe(401);

		const revoked = await request(`${org.origin}/settings/directory/tokens/${row?.id}/revoke`, { cookie, form: {} });
		expect(revoked.status).toBe(303);
		expect((await scim(org, token, "/Users")).status).toBe(401);
		const actions = await testDb()
			.select({ action: auditEvents.action })
			.from(auditEvents)
			.where(eq(auditEvents.orgId, org.id));
		expect(actions.map((a) => a.action)).toEqual(
			expect.arrayContaining(["directory.token_created", "directory.token_revoked"]),
		);
	});

	it("is an upgrade on Free: no token can be created", async () => {
		const org = await createOrg();
		const owner = await createUser(org, "owner");
		const cookie = await signIn(org, owner.email);
		expect((await request(`${org.origin}/settings/directory`, { cookie })).text).toContain("comes with the paid plans");
		expect((await request(`${org.origin}/settings/directory/tokens`, { cookie, form: { name: "x" } })).status).toBe(
			402,
		);
	});
});

describe("SCIM discovery", () => {
	it("describes itself: ServiceProviderConfig, ResourceTypes, Schemas", async () => {
		const { org, token } = await directoryOrg();
		const config = await scim(org, token, "/ServiceProviderConfig");
		expect(config.headers.get("content-type")).toContain(SCIM);
		expect(config.json?.patch).toEqual({ supported: true });
		expect(config.json?.filter).toEqual({ supported: true, maxResults: 200 });
		const types = await scim(org, token, "/ResourceTypes");
		expect(types.json?.Resources.map((r: { name: string }) => r.name)).toEqual(["User", "Group"]);
		const schema = await scim(org, token, "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
		expect(schema.json?.attributes.map((a: { name: string }) => a.name)).toContain("userName");
		expect((await scim(org, token, "/Nothing")).status).toBe(404);
	});
});

describe("SCIM Users: Okta's sequence", () => {
	it("looks the new hire up, creates them, updates them by PUT, deactivates and reactivates them", async () => {
		const { org, token, cookie: ownerCookie } = await directoryOrg();
		// Someone who already has a Portico account (a password), so signing in can be tried.
		const person = await createUser(null);
		const login = person.email;
		// Okta asks first whether the user exists.
		const lookup = await scim(
			org,
			token,
			`/Users?filter=${encodeURIComponent(`userName eq "${login}"`)}&startIndex=1&count=100`,
		);
		expect(lookup.json).toMatchObject({ totalResults: 0, Resources: [] });
		const created = await scim(org, token, "/Users", { body: newHire(login) });
		expect(created.status, created.text).toBe(201);
		expect(created.headers.get("location")).toBe(`${org.origin}/scim/v2/Users/${created.json?.id}`);
		expect(created.json).toMatchObject({ userName: login, displayName: "Nia Newhire", active: true });
		const id = created.json?.id as string;
		const [member] = await testDb().select().from(memberships).where(eq(memberships.id, id));
		expect(member).toMatchObject({ orgId: org.id, roleId: "rol_builtin_member", directoryManaged: true });
		const [audit] = await testDb()
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.orgId, org.id), eq(auditEvents.action, "directory.user_provisioned")));
		expect(audit?.actorLabel).toBe("Directory sync (Okta)");

		// A profile update is a PUT of the whole user.
		const put = await scim(org, token, `/Users/${id}`, {
			method: "PUT",
			body: newHire(login, { name: { givenName: "Nia", familyName: "Married" } }),
		});
		expect(put.json?.displayName).toBe("Nia Married");

		// The departure: PUT with active false ends the member's sessions at once; they cannot sign in.
		const cookie = await signIn(org, login, PASSWORD);
		expect(await sessionCount(person.id)).toBe(1);
		const off = await scim(org, token, `/Users/${id}`, { method: "PUT", body: newHire(login, { active: false }) });
		expect(off.json?.active).toBe(false);
		expect(await sessionCount(person.id)).toBe(0);
		await expect(signIn(org, login, PASSWORD)).rejects.toThrow("sign-in failed");
		// Nor by an email link: the deprovisioned get the "no account here" note, not a link.
		await request(`${org.origin}/sign-in/link`, { form: { email: login } });
		const mail = await lastMailTo(login);
		expect(mail).not.toBeNull();
		expect(JSON.stringify(mail)).not.toContain("/sign-in/link?token=");
		expect((await request(`${org.origin}/team`, { cookie })).status).not.toBe(200);
		expect((await request(`${org.origin}/team`, { cookie: ownerCookie })).text).toContain(
			"Deprovisioned by your directory",
		);

		const on = await scim(org, token, `/Users/${id}`, { method: "PUT", body: newHire(login, { active: true }) });
		expect(on.json?.active).toBe(true);
		// Managed by the directory: the Team page says so, and removing by hand is refused.
		expect((await request(`${org.origin}/team`, { cookie: ownerCookie })).text).toContain("Managed by your directory");
		const byHand = await request(`${org.origin}/team/members/${id}/remove`, { cookie: ownerCookie, form: {} });
		expect(byHand.status).toBe(422);
		expect(byHand.text).toContain("is managed by your identity provider&#39;s directory sync");
		expect(await sessionCount(person.id)).toBe(0);
		const auditActionsNow = (
			await testDb().select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.orgId, org.id))
		).map((a) => a.action);
		expect(auditActionsNow).toEqual(
			expect.arrayContaining(["directory.user_updated", "directory.user_deactivated", "directory.user_reactivated"]),
		);
	});
});

describe("SCIM Users: Entra ID's sequence", () => {
	it("filters by externalId, takes PATCH with capitalized ops and string booleans, and DELETE", async () => {
		const { org, token } = await directoryOrg();
		const login = `eli.${unique()}@example.test`;
		const externalId = crypto.randomUUID();
		const probe = await scim(org, token, `/Users?filter=${encodeURIComponent(`externalId eq "${externalId}"`)}`);
		expect(probe.json?.totalResults).toBe(0);
		const created = await scim(org, token, "/Users", {
			body: newHire(login, { externalId, active: "True", displayName: "Eli Entra" }),
		});
		expect(created.status, created.text).toBe(201);
		const id = created.json?.id as string;
		const found = await scim(org, token, `/Users?filter=${encodeURIComponent(`externalId eq "${externalId}"`)}`);
		expect(found.json?.Resources.map((r: { id: string }) => r.id)).toEqual([id]);

		const patched = await scim(org, token, `/Users/${id}`, {
			method: "PATCH",
			body: {
				schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
				Operations: [
					{ op: "Replace", path: "displayName", value: "Eli Renamed" },
					{ op: "Add", path: 'emails[type eq "work"].value', value: `renamed.${login}` },
					{
						op: "Replace",
						path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
						value: "Ops",
					},
				],
			},
		});
		expect(patched.status, patched.text).toBe(200);
		expect(patched.json).toMatchObject({ displayName: "Eli Renamed", userName: `renamed.${login}` });
		const disabled = await scim(org, token, `/Users/${id}`, {
			method: "PATCH",
			body: { Operations: [{ op: "Replace", value: { active: "False" } }] },
		});
		expect(disabled.json?.active).toBe(false);

		const deleted = await scim(org, token, `/Users/${id}`, { method: "DELETE" });
		expect(deleted.status).toBe(204);
		expect((await scim(org, token, `/Users/${id}`)).status).toBe(404);
		const [member] = await testDb().select().from(memberships).where(eq(memberships.id, id));
		expect(member?.deprovisionedAt).toBeTruthy();
	});
});

describe("SCIM Users: filters and paging", () => {
	it("supports eq, co, sw, pr, and/or, the work email's value, startIndex/count and attributes", async () => {
		const { org, token } = await directoryOrg();
		const tag = unique();
		for (const name of ["ann", "anna", "bob"])
			expect(
				(
					await scim(org, token, "/Users", {
						body: newHire(`${name}.${tag}@example.test`, { externalId: `${name}-${tag}` }),
					})
				).status,
			).toBe(201);
		const ids = async (filter: string, query = "") =>
			((await scim(org, token, `/Users?filter=${encodeURIComponent(filter)}${query}`)).json?.Resources ?? []).map(
				(r: { userName: string }) => r.userName.split(".")[0],
			);
		expect(await ids(`userName sw "ann"`)).toEqual(["ann", "anna"]);
		expect(await ids(`userName co "nna.${tag}"`)).toEqual(["anna"]);
		expect(await ids(`USERNAME EQ "BOB.${tag.toUpperCase()}@EXAMPLE.TEST"`)).toEqual(["bob"]);
		expect(await ids(`externalId pr and (userName sw "bob" or userName sw "anna")`)).toEqual(["anna", "bob"]);
		expect(await ids(`emails[type eq "work"].value eq "ann.${tag}@example.test"`)).toEqual(["ann"]);
		expect(await ids(`externalId eq "ANN-${tag}"`)).toEqual([]);

		const page = await scim(org, token, `/Users?filter=${encodeURIComponent(`externalId pr`)}&startIndex=2&count=1`);
		expect(page.json).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
		const thin = await scim(org, token, `/Users?count=1&attributes=userName`);
		expect(Object.keys(thin.json?.Resources[0]).sort()).toEqual(["id", "schemas", "userName"]);

		for (const bad of [`userName eq`, `nickName eq "x"`, `userName xx "y"`]) {
			const refused = await scim(org, token, `/Users?filter=${encodeURIComponent(bad)}`);
			expect(refused.status, bad).toBe(400);
			expect(refused.json?.scimType).toBe("invalidFilter");
		}
		const tooLong = await scim(org, token, `/Users?filter=${encodeURIComponent(`userName eq "${"x".repeat(1200)}"`)}`);
		expect(tooLong.status).toBe(400);
	});
});

describe("SCIM Users: refusals", () => {
	it("answers errors in the SCIM schema and writes nothing", async () => {
		const { org, token } = await directoryOrg();
		const login = `dup.${unique()}@example.test`;
		const count = async () => (await testDb().select().from(memberships).where(eq(memberships.orgId, org.id))).length;
		const before = await count();
		const noName = await scim(org, token, "/Users", { body: { emails: [] } });
		expect(noName).toMatchObject({ status: 400, json: { scimType: "invalidValue" } });
		const notEmail = await scim(org, token, "/Users", { body: { userName: "not-an-email" } });
		expect(notEmail.json?.scimType).toBe("invalidValue");
		const notJson = await request(`${org.origin}/scim/v2/Users`, {
			method: "POST",
			headers: { authorization: `Bearer ${token}`, "content-type": SCIM },
			body: "{",
			sameOrigin: false,
		});
		expect(JSON.parse(notJson.text).scimType).toBe("invalidSyntax");
		expect(await count()).toBe(before);

		// The same new hire five times at once: one is created, the others are told it exists.
		const results = await Promise.all(
			Array.from({ length: 5 }, () => scim(org, token, "/Users", { body: newHire(login) })),
		);
		expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
		expect(results.find((r) => r.status === 409)?.json?.scimType).toBe("uniqueness");
		expect(await count()).toBe(before + 1);

		const id = results.find((r) => r.status === 201)?.json?.id;
		const badPatch = await scim(org, token, `/Users/${id}`, {
			method: "PATCH",
			body: { Operations: [{ op: "remove", path: "userName" }] },
		});
		expect(badPatch.json?.scimType).toBe("mutability");
		const badPath = await scim(org, token, `/Users/${id}`, {
			method: "PATCH",
			body: { Operations: [{ op: "replace", path: "nickName", value: "x" }] },
		});
		expect(badPath.json?.scimType).toBe("invalidPath");
		expect((await scim(org, token, "/Users/mem_00000000000000000000000000")).status).toBe(404);
	});

	it("refuses a user over the seat limit, and never deactivates the last Owner", async () => {
		const { org, token, owner } = await directoryOrg();
		// Down to Free (3 seats; the Owner holds one): a token made before the downgrade still works.
		await testDb().update(organizations).set({ planId: "pln_free" }).where(eq(organizations.id, org.id));
		const tag = unique();
		expect((await scim(org, token, "/Users", { body: newHire(`s1.${tag}@example.test`) })).status).toBe(201);
		expect((await scim(org, token, "/Users", { body: newHire(`s2.${tag}@example.test`) })).status).toBe(201);
		const over = await scim(org, token, "/Users", { body: newHire(`s3.${tag}@example.test`) });
		expect(over.status).toBe(409);
		expect(over.json?.detail).toContain("seat");
		const [ownerMember] = await testDb().select().from(memberships).where(eq(memberships.userId, owner.id));
		const last = await scim(org, token, `/Users/${ownerMember?.id}`, {
			method: "PATCH",
			body: { Operations: [{ op: "replace", path: "active", value: false }] },
		});
		expect(last.status).toBe(400);
		expect(last.json?.scimType).toBe("mutability");
		const [still] = await testDb().select().from(sessions).where(eq(sessions.userId, owner.id));
		expect(still).toBeTruthy();
	});
});
