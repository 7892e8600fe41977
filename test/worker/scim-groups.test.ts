// SCIM Groups in workerd against the real libSQL server: Okta's and Entra ID's documented request
// sequences for a group push and its membership changes, filters (displayName, externalId,
// members[value eq]), refusals with nothing written, another organization's group and users, the same
// group created five times at once; the group → role mapping set in the portal, with roles following
// membership, Owners untouched and the hand edit refused; and the alert when provisioning keeps failing.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { directoryGroupMembers, directoryGroups, memberships, organizations } from "../../src/db/schema.ts";
import { directoryOrg, newHire, scim, unique } from "../support/scim.ts";
import { auditActions, createUser, request, signIn, type TestOrg, testDb } from "../support/worker.ts";

const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

async function provision(org: TestOrg, token: string, count: number) {
	const tag = unique();
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const res = await scim(org, token, "/Users", { body: newHire(`g${i}.${tag}@example.test`) });
		expect(res.status, res.text).toBe(201);
		ids.push(res.json?.id);
	}
	return ids;
}

async function roleOf(membershipId: string) {
	const [row] = await testDb()
		.select({ roleId: memberships.roleId })
		.from(memberships)
		.where(eq(memberships.id, membershipId));
	return row?.roleId;
}

async function memberIdsOf(groupId: string) {
	const rows = await testDb()
		.select({ id: directoryGroupMembers.membershipId })
		.from(directoryGroupMembers)
		.where(eq(directoryGroupMembers.groupId, groupId));
	return rows.map((r) => r.id).sort();
}

describe("SCIM Groups: Okta's sequence", () => {
	it("looks the group up, pushes it, adds members, renames it, removes one by value filter, deletes it", async () => {
		const { org, token } = await directoryOrg();
		const [ana, ben] = await provision(org, token, 2);
		const lookup = await scim(org, token, `/Groups?filter=${encodeURIComponent('displayName eq "Engineering"')}`);
		expect(lookup.json?.totalResults).toBe(0);
		const pushed = await scim(org, token, "/Groups", {
			body: { schemas: [GROUP], displayName: "Engineering", members: [] },
		});
		expect(pushed.status, pushed.text).toBe(201);
		expect(pushed.headers.get("location")).toBe(`${org.origin}/scim/v2/Groups/${pushed.json?.id}`);
		const id = pushed.json?.id as string;

		const added = await scim(org, token, `/Groups/${id}`, {
			method: "PATCH",
			body: {
				schemas: [PATCH],
				Operations: [{ op: "add", path: "members", value: [{ value: ana, display: "g0" }, { value: ben }] }],
			},
		});
		expect(added.status, added.text).toBe(204);
		const read = await scim(org, token, `/Groups/${id}`);
		expect(read.json?.members.map((m: { value: string }) => m.value).sort()).toEqual([ana, ben].sort());
		expect(read.json?.members[0].$ref).toContain("/scim/v2/Users/");

		const renamed = await scim(org, token, `/Groups/${id}`, {
			method: "PATCH",
			body: { schemas: [PATCH], Operations: [{ op: "replace", value: { id, displayName: "Engineering EU" } }] },
		});
		expect(renamed.status).toBe(204);
		const removed = await scim(org, token, `/Groups/${id}`, {
			method: "PATCH",
			body: { schemas: [PATCH], Operations: [{ op: "remove", path: `members[value eq "${ana}"]` }] },
		});
		expect(removed.status).toBe(204);
		const after = await scim(org, token, `/Groups/${id}`);
		expect(after.json?.displayName).toBe("Engineering EU");
		expect(after.json?.members.map((m: { value: string }) => m.value)).toEqual([ben]);

		// Okta's PUT carries the whole group: the members listed are the members.
		const put = await scim(org, token, `/Groups/${id}`, {
			method: "PUT",
			body: { schemas: [GROUP], id, displayName: "Engineering EU", members: [{ value: ana }] },
		});
		expect(put.status, put.text).toBe(200);
		expect(put.json?.members.map((m: { value: string }) => m.value)).toEqual([ana]);

		expect((await scim(org, token, `/Groups/${id}`, { method: "DELETE" })).status).toBe(204);
		expect((await scim(org, token, `/Groups/${id}`)).status).toBe(404);
		expect(await memberIdsOf(id)).toEqual([]);
		expect(await auditActions(org.id)).toEqual(
			expect.arrayContaining(["directory.group_created", "directory.group_updated", "directory.group_deleted"]),
		);
	});
});

describe("SCIM Groups: Entra ID's sequence", () => {
	it("filters without members, adds and removes many at once with capitalized ops, filters by member", async () => {
		const { org, token } = await directoryOrg();
		const [a, b, c] = await provision(org, token, 3);
		const query = `excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Sales"')}`;
		expect((await scim(org, token, `/Groups?${query}`)).json?.totalResults).toBe(0);
		const created = await scim(org, token, "/Groups", {
			body: { schemas: [GROUP], externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", displayName: "Sales" },
		});
		expect(created.status).toBe(201);
		const id = created.json?.id as string;
		const add = await scim(org, token, `/Groups/${id}`, {
			method: "PATCH",
			body: {
				schemas: [PATCH],
				Operations: [
					{ op: "Add", path: "members", value: [{ $ref: null, value: a }, { $ref: null, value: b }, { value: c }] },
				],
			},
		});
		expect(add.status, add.text).toBe(204);
		const byMember = await scim(
			org,
			token,
			`/Groups?excludedAttributes=members&filter=${encodeURIComponent(`members[value eq "${b}"]`)}`,
		);
		expect(byMember.json?.totalResults).toBe(1);
		expect(byMember.json?.Resources[0].members).toBeUndefined();
		expect(byMember.json?.Resources[0].displayName).toBe("Sales");
		const remove = await scim(org, token, `/Groups/${id}`, {
			method: "PATCH",
			body: {
				schemas: [PATCH],
				Operations: [
					{ op: "Remove", path: "members", value: [{ value: a }, { value: b }] },
					{ op: "Replace", path: "displayName", value: "Sales EMEA" },
				],
			},
		});
		expect(remove.status, remove.text).toBe(204);
		expect(await memberIdsOf(id)).toEqual([c]);
		const byExternal = await scim(
			org,
			token,
			`/Groups?filter=${encodeURIComponent('externalId eq "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159" and displayName sw "sales"')}`,
		);
		expect(byExternal.json?.Resources.map((g: { id: string }) => g.id)).toEqual([id]);
		expect(byExternal.json?.Resources[0].members.map((m: { value: string }) => m.value)).toEqual([c]);
		// Entra's departure: the user is deleted, and leaves the directory's groups with it.
		expect((await scim(org, token, `/Users/${c}`, { method: "DELETE" })).status).toBe(204);
		expect(await memberIdsOf(id)).toEqual([]);
	});

	it("pages groups with startIndex and count, each page one list query", async () => {
		const { org, token } = await directoryOrg();
		const tag = unique();
		for (let i = 0; i < 5; i++)
			expect((await scim(org, token, "/Groups", { body: { displayName: `Team ${i} ${tag}` } })).status).toBe(201);
		const first = await scim(org, token, "/Groups?startIndex=1&count=2");
		const third = await scim(org, token, "/Groups?startIndex=5&count=2");
		expect(first.json?.totalResults).toBe(5);
		expect(first.json?.itemsPerPage).toBe(2);
		expect(third.json?.Resources).toHaveLength(1);
		const counted = await scim(org, token, "/Groups?count=0");
		expect(counted.json?.Resources).toEqual([]);
		expect(counted.json?.totalResults).toBe(5);
	});
});

describe("SCIM Groups: refusals", () => {
	it("answers errors in the SCIM schema and writes nothing", async () => {
		const { org, token } = await directoryOrg();
		const [a] = await provision(org, token, 1);
		const other = await directoryOrg();
		const [foreign] = await provision(other.org, other.token, 1);
		const theirs = await scim(other.org, other.token, "/Groups", { body: { displayName: "Theirs" } });

		const noName = await scim(org, token, "/Groups", { body: { members: [] } });
		expect([noName.status, noName.json?.scimType]).toEqual([400, "invalidValue"]);
		const unknownMember = await scim(org, token, "/Groups", {
			body: { displayName: "X", members: [{ value: foreign }] },
		});
		expect([unknownMember.status, unknownMember.json?.scimType]).toEqual([400, "invalidValue"]);
		const groups = () => testDb().select().from(directoryGroups).where(eq(directoryGroups.orgId, org.id));
		expect(await groups()).toEqual([]);

		const made = await scim(org, token, "/Groups", { body: { displayName: "Ops", members: [{ value: a }] } });
		const id = made.json?.id as string;
		const dup = await scim(org, token, "/Groups", { body: { displayName: "Ops" } });
		expect([dup.status, dup.json?.scimType]).toEqual([409, "uniqueness"]);
		const badFilter = await scim(org, token, `/Groups?filter=${encodeURIComponent('members[display eq "x"]')}`);
		expect([badFilter.status, badFilter.json?.scimType]).toEqual([400, "invalidFilter"]);
		const badPath = await scim(org, token, `/Groups/${id}`, {
			method: "PATCH",
			body: { Operations: [{ op: "replace", path: "owner", value: "x" }] },
		});
		expect([badPath.status, badPath.json?.scimType]).toEqual([400, "invalidPath"]);
		const noTarget = await scim(org, token, `/Groups/${id}`, {
			method: "PATCH",
			body: { Operations: [{ op: "remove" }] },
		});
		expect([noTarget.status, noTarget.json?.scimType]).toEqual([400, "noTarget"]);
		// A good operation before a bad one: the whole PATCH is refused.
		const half = await scim(org, token, `/Groups/${id}`, {
			method: "PATCH",
			body: {
				Operations: [
					{ op: "replace", path: "displayName", value: "Renamed" },
					{ op: "add", path: "members", value: [{ value: foreign }] },
				],
			},
		});
		expect(half.status).toBe(400);
		const [kept] = await groups();
		expect(kept?.displayName).toBe("Ops");
		expect(await memberIdsOf(id)).toEqual([a]);

		// Another organization's group is not there; neither is this one on the other's host.
		expect((await scim(org, token, `/Groups/${theirs.json?.id}`)).status).toBe(404);
		expect((await scim(org, token, `/Groups/${theirs.json?.id}`, { method: "DELETE" })).status).toBe(404);
		expect((await scim(other.org, other.token, `/Groups/${id}`)).status).toBe(404);
		expect((await scim(org, null, "/Groups")).status).toBe(401);
		// The database itself refuses a member of another organization in a group.
		await expect(
			testDb()
				.insert(directoryGroupMembers)
				.values({ groupId: id, membershipId: foreign ?? "", orgId: org.id }),
		).rejects.toThrow();
	});

	it("creates one group when the same push arrives five times at once", async () => {
		const { org, token } = await directoryOrg();
		const results = await Promise.all(
			Array.from({ length: 5 }, () => scim(org, token, "/Groups", { body: { displayName: "Finance" } })),
		);
		expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
		const [a = "", b = ""] = await provision(org, token, 2);
		const id = results.find((r) => r.status === 201)?.json?.id as string;
		// Two membership changes at once both land.
		await Promise.all(
			[a, b].map((m) =>
				scim(org, token, `/Groups/${id}`, {
					method: "PATCH",
					body: { Operations: [{ op: "add", path: "members", value: [{ value: m }] }] },
				}),
			),
		);
		expect(await memberIdsOf(id)).toEqual([a, b].sort());
	});
});

describe("Group → role mapping", () => {
	it("gives a mapped group's members its role, follows membership, keeps Owners, refuses the hand edit", async () => {
		const { org, token, cookie, owner } = await directoryOrg();
		const [a = "", b = ""] = await provision(org, token, 2);
		const admins = await scim(org, token, "/Groups", {
			body: { displayName: "Portal admins", members: [{ value: a }] },
		});
		const id = admins.json?.id as string;
		const [ownerMember] = await testDb().select().from(memberships).where(eq(memberships.userId, owner.id));
		// The Owner is managed by the directory too, and in the group: they stay Owner.
		await scim(org, token, "/Users", { body: newHire(owner.email) });
		await testDb()
			.update(memberships)
			.set({ directoryManaged: true })
			.where(eq(memberships.id, ownerMember?.id ?? ""));
		await scim(org, token, `/Groups/${id}`, {
			method: "PATCH",
			body: { Operations: [{ op: "add", path: "members", value: [{ value: ownerMember?.id }] }] },
		});

		const ownerRefused = await request(`${org.origin}/settings/directory/groups/${id}/role`, {
			cookie,
			form: { roleId: "rol_builtin_owner" },
		});
		expect(ownerRefused.status).toBe(422);
		expect(await roleOf(a)).toBe("rol_builtin_member");

		const mapped = await request(`${org.origin}/settings/directory/groups/${id}/role`, {
			cookie,
			form: { roleId: "rol_builtin_admin" },
		});
		expect(mapped.status, mapped.text).toBe(303);
		expect(await roleOf(a)).toBe("rol_builtin_admin");
		expect(await roleOf(b)).toBe("rol_builtin_member");
		expect(await roleOf(ownerMember?.id ?? "")).toBe("rol_builtin_owner");
		const page = await request(`${org.origin}/settings/directory`, { cookie });
		expect(page.text).toContain("Portal admins");

		// Joining the group gives the role; leaving it takes it back.
		await scim(org, token, `/Groups/${id}`, {
			method: "PATCH",
			body: { Operations: [{ op: "add", path: "members", value: [{ value: b }] }] },
		});
		expect(await roleOf(b)).toBe("rol_builtin_admin");
		const team = await request(`${org.origin}/team`, { cookie });
		expect(team.text).toContain("Role from the directory group “Portal admins”");
		const byHand = await request(`${org.origin}/team/members/${b}/role`, {
			cookie,
			form: { roleId: "rol_builtin_member" },
		});
		expect(byHand.status).toBe(422);
		expect(byHand.text).toContain("comes from the directory group “Portal admins”");
		expect(await roleOf(b)).toBe("rol_builtin_admin");
		await scim(org, token, `/Groups/${id}`, {
			method: "PATCH",
			body: { Operations: [{ op: "remove", path: `members[value eq "${b}"]` }] },
		});
		expect(await roleOf(b)).toBe("rol_builtin_member");

		// No role for the group: back to the default; mapped again and deleted: back to the default.
		await request(`${org.origin}/settings/directory/groups/${id}/role`, { cookie, form: { roleId: "" } });
		expect(await roleOf(a)).toBe("rol_builtin_member");
		await request(`${org.origin}/settings/directory/groups/${id}/role`, {
			cookie,
			form: { roleId: "rol_builtin_admin" },
		});
		expect(await roleOf(a)).toBe("rol_builtin_admin");
		expect((await scim(org, token, `/Groups/${id}`, { method: "DELETE" })).status).toBe(204);
		expect(await roleOf(a)).toBe("rol_builtin_member");
		expect(await roleOf(ownerMember?.id ?? "")).toBe("rol_builtin_owner");
		expect(await auditActions(org.id)).toEqual(expect.arrayContaining(["directory.group_role_mapped"]));
	});

	it("is the admin's own organization's: another's group is 404, a Member cannot map", async () => {
		const { org, token, cookie } = await directoryOrg();
		const other = await directoryOrg();
		const theirs = await scim(other.org, other.token, "/Groups", { body: { displayName: "Theirs" } });
		const cross = await request(`${org.origin}/settings/directory/groups/${theirs.json?.id}/role`, {
			cookie,
			form: { roleId: "rol_builtin_admin" },
		});
		expect(cross.status).toBe(404);
		const own = await scim(org, token, "/Groups", { body: { displayName: "Ours" } });
		const member = await createUser(org, "member");
		const memberCookie = await signIn(org, member.email);
		const byMember = await request(`${org.origin}/settings/directory/groups/${own.json?.id}/role`, {
			cookie: memberCookie,
			form: { roleId: "rol_builtin_admin" },
		});
		expect(byMember.status).toBe(403);
		const rows = await testDb().select().from(directoryGroups).where(eq(directoryGroups.roleId, "rol_builtin_admin"));
		expect(rows.filter((r) => r.id === theirs.json?.id || r.id === own.json?.id)).toEqual([]);
	});
});

describe("Directory failure alert", () => {
	it("tells the directory's managers once when provisioning keeps failing", async () => {
		const { org, token, cookie } = await directoryOrg();
		await testDb().update(organizations).set({ planId: "pln_free" }).where(eq(organizations.id, org.id));
		await createUser(org, "member");
		await createUser(org, "member");
		const tag = unique();
		// Free holds 3 seats, all taken: every new hire is refused, four of them at once.
		const refused = await Promise.all(
			[1, 2, 3, 4].map((i) => scim(org, token, "/Users", { body: newHire(`over${i}.${tag}@example.test`) })),
		);
		expect(refused.map((r) => r.status)).toEqual([409, 409, 409, 409]);
		const inbox = await request(`${org.origin}/notifications`, { cookie });
		expect(inbox.text.split("Directory sync is failing").length - 1).toBe(1);
		const still = await testDb()
			.select()
			.from(memberships)
			.where(and(eq(memberships.orgId, org.id), eq(memberships.directoryManaged, true)));
		expect(still).toEqual([]);
	});
});
