import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invitations, memberships, organizations, roles, users } from "../../src/db/schema.ts";
import { newId } from "../../src/lib/ids.ts";
import {
	auditActions,
	cookieFrom,
	createOrg,
	createUser,
	lastMailTo,
	linkIn,
	PASSWORD,
	request,
	signIn,
	type TestOrg,
	testDb,
} from "../support/worker.ts";

const pro = { planId: "pln_pro" };

async function memberRows(orgId: string) {
	return testDb().select().from(memberships).where(eq(memberships.orgId, orgId));
}

async function invitationRows(orgId: string) {
	return testDb().select().from(invitations).where(eq(invitations.orgId, orgId));
}

async function membershipId(orgId: string, userId: string) {
	const [row] = await testDb()
		.select({ id: memberships.id })
		.from(memberships)
		.where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
	return row?.id ?? "";
}

async function admin(org: TestOrg) {
	const user = await createUser(org, "admin");
	return { user, cookie: await signIn(org, user.email) };
}

describe("invitations", () => {
	it("invites new people, who create an account from the emailed link and land signed in", async () => {
		const org = await createOrg({ ...pro, name: "Teamco" });
		const { cookie } = await admin(org);
		const a = `a-${org.slug}@example.test`;
		const b = `b-${org.slug}@example.test`;
		const res = await request(`${org.origin}/team/invitations`, {
			form: { emails: `${a}, ${b.toUpperCase()}`, roleId: "rol_builtin_member" },
			cookie,
		});
		expect(res.status, res.text).toBe(303);
		expect((await invitationRows(org.id)).map((i) => i.email).sort()).toEqual([a, b]);
		const team = await request(`${org.origin}/team`, { cookie });
		expect(team.text).toContain("3 of 20 seats");
		expect(team.text).toContain(a);

		const link = linkIn((await lastMailTo(a))?.text, "/invitation?token=");
		expect((await lastMailTo(a))?.subject).toMatch(/invited you to Teamco/);
		const page = await request(link);
		expect(page.status).toBe(200);
		expect(page.text).toContain("Choose a password");
		const token = new URL(link).searchParams.get("token") ?? "";
		const weak = await request(`${org.origin}/invitation/accept`, { form: { token, name: "Ann", password: "short" } });
		expect(weak.status).toBe(422);
		const accept = await request(`${org.origin}/invitation/accept`, {
			form: { token, name: "Ann", password: "a long enough passphrase" },
		});
		expect(accept.status).toBe(303);
		const home = await request(`${org.origin}/`, { cookie: cookieFrom(accept) });
		expect(home.text).toContain("Welcome, Ann");
		expect((await memberRows(org.id)).length).toBe(2);
		expect(await auditActions(org.id)).toEqual(expect.arrayContaining(["team.invited", "team.invitation_accepted"]));
		expect(
			(
				await request(`${org.origin}/invitation/accept`, {
					form: { token, name: "Ann", password: "a long enough passphrase" },
				})
			).status,
		).toBe(400);
	});

	it("lets an existing user join with their password; the invitation does not work on another organization's host", async () => {
		const org = await createOrg(pro);
		const elsewhere = await createOrg();
		const { cookie } = await admin(org);
		const existing = await createUser(elsewhere);
		await request(`${org.origin}/team/invitations`, {
			form: { emails: existing.email, roleId: "rol_builtin_admin" },
			cookie,
		});
		const token =
			new URL(linkIn((await lastMailTo(existing.email))?.text, "/invitation?token=")).searchParams.get("token") ?? "";
		expect((await request(`${elsewhere.origin}/invitation?token=${token}`)).status).toBe(400);
		const page = await request(`${org.origin}/invitation?token=${token}`);
		expect(page.text).toContain("You already have an account");
		expect((await request(`${org.origin}/invitation/accept`, { form: { token, password: "wrong" } })).status).toBe(422);
		const ok = await request(`${org.origin}/invitation/accept`, { form: { token, password: PASSWORD } });
		expect(ok.status).toBe(303);
		const rows = await memberRows(org.id);
		expect(rows.find((m) => m.userId === existing.id)?.roleId).toBe("rol_builtin_admin");
	});

	it("refuses invalid, duplicate and existing-member addresses and seats beyond the plan, writing nothing", async () => {
		const org = await createOrg(); // Free plan: 3 seats
		const { cookie, user } = await admin(org);
		const member = await createUser(org, "member");
		const bad = await request(`${org.origin}/team/invitations`, {
			form: { emails: "ok@example.test, nope", roleId: "rol_builtin_member" },
			cookie,
		});
		expect(bad.status).toBe(422);
		expect(bad.text).toContain("Not valid email addresses: nope");
		const existing = await request(`${org.origin}/team/invitations`, {
			form: { emails: member.email, roleId: "rol_builtin_member" },
			cookie,
		});
		expect(existing.status).toBe(422);
		expect(existing.text).toContain("Already members");
		expect(
			(
				await request(`${org.origin}/team/invitations`, {
					form: { emails: "one@example.test", roleId: "rol_builtin_member" },
					cookie,
				})
			).status,
		).toBe(303);
		const dup = await request(`${org.origin}/team/invitations`, {
			form: { emails: "one@example.test", roleId: "rol_builtin_member" },
			cookie,
		});
		expect(dup.status).toBe(422);
		expect(dup.text).toContain("Already invited");
		const full = await request(`${org.origin}/team/invitations`, {
			form: { emails: "two@example.test", roleId: "rol_builtin_member" },
			cookie,
		});
		expect(full.status).toBe(402);
		expect(full.text).toContain(
			"Your plan has 3 seats and 3 are taken: 1 more invitation would not fit. Ask an Owner to upgrade the plan",
		);
		// Someone who may change the plan gets the way there as a link.
		const owner = await createUser(org, "owner");
		await testDb().delete(memberships).where(eq(memberships.userId, member.id));
		const ownerFull = await request(`${org.origin}/team/invitations`, {
			form: { emails: "two@example.test, three@example.test", roleId: "rol_builtin_member" },
			cookie: await signIn(org, owner.email),
		});
		expect(ownerFull.status).toBe(402);
		expect(ownerFull.text).toContain(
			'and 3 are taken: 2 more invitations would not fit. <a href="/billing">Upgrade the plan</a>',
		);
		expect((await invitationRows(org.id)).map((i) => i.email)).toEqual(["one@example.test"]);
		const team = await request(`${org.origin}/team`, { cookie });
		expect(team.text).toContain("3 of 3 seats");
		void user;
	});

	it("resends with a fresh link (the old one stops working) and revokes", async () => {
		const org = await createOrg(pro);
		const { cookie } = await admin(org);
		const email = `r-${org.slug}@example.test`;
		await request(`${org.origin}/team/invitations`, { form: { emails: email, roleId: "rol_builtin_member" }, cookie });
		const first = linkIn((await lastMailTo(email))?.text, "/invitation?token=");
		const [inv] = await invitationRows(org.id);
		expect((await request(`${org.origin}/team/invitations/${inv?.id}/resend`, { method: "POST", cookie })).status).toBe(
			303,
		);
		expect((await request(first)).status).toBe(400);
		const second = linkIn((await lastMailTo(email))?.text, "/invitation?token=");
		expect((await request(second)).status).toBe(200);
		expect((await request(`${org.origin}/team/invitations/${inv?.id}/revoke`, { method: "POST", cookie })).status).toBe(
			303,
		);
		expect((await request(second)).status).toBe(400);
		expect(await auditActions(org.id)).toEqual(
			expect.arrayContaining(["team.invitation_resent", "team.invitation_revoked"]),
		);
	});
});

describe("what a Member cannot do", () => {
	it("gets 403 on the raw invite, role-change and remove forms, and nothing is written", async () => {
		const org = await createOrg(pro);
		const owner = await createUser(org, "owner");
		const member = await createUser(org, "member");
		const cookie = await signIn(org, member.email);
		const ownerMembership = await membershipId(org.id, owner.id);
		const attempts = [
			request(`${org.origin}/team/invitations`, {
				form: { emails: "x@example.test", roleId: "rol_builtin_owner" },
				cookie,
			}),
			request(`${org.origin}/team/members/${ownerMembership}/role`, { form: { roleId: "rol_builtin_member" }, cookie }),
			request(`${org.origin}/team/members/${ownerMembership}/remove`, { method: "POST", cookie }),
			request(`${org.origin}/team/roles`, { form: { name: "Sneaky", permissions: "billing:manage" }, cookie }),
		];
		for (const res of await Promise.all(attempts)) expect(res.status).toBe(403);
		expect(await invitationRows(org.id)).toEqual([]);
		expect((await memberRows(org.id)).find((m) => m.userId === owner.id)?.roleId).toBe("rol_builtin_owner");
		expect(await testDb().select().from(roles).where(eq(roles.orgId, org.id))).toEqual([]);
		expect((await request(`${org.origin}/`, { cookie })).text).not.toContain('href="/team/roles"');
	});

	it("ignores extra fields such as org_id, role or owner (mass assignment)", async () => {
		const org = await createOrg(pro);
		const other = await createOrg();
		const { cookie } = await admin(org);
		const member = await createUser(org, "member");
		const id = await membershipId(org.id, member.id);
		const sneaky = await request(`${org.origin}/team/members/${id}/role`, {
			form: { roleId: "rol_builtin_admin", org_id: other.id, owner: "1" },
			cookie,
		});
		expect(sneaky.status).toBe(422);
		const invite = await request(`${org.origin}/team/invitations`, {
			form: { emails: "m@example.test", roleId: "rol_builtin_member", role: "owner", org_id: other.id },
			cookie,
		});
		expect(invite.status).toBe(422);
		expect((await memberRows(org.id)).find((m) => m.userId === member.id)?.roleId).toBe("rol_builtin_member");
		expect(await invitationRows(org.id)).toEqual([]);
		expect(await invitationRows(other.id)).toEqual([]);
	});
});

describe("roles of members", () => {
	it("changes roles, keeps Owner changes to Owners and always keeps one Owner", async () => {
		const org = await createOrg(pro);
		const owner = await createUser(org, "owner");
		const { cookie: adminCookie } = await admin(org);
		const member = await createUser(org, "member");
		const memberId = await membershipId(org.id, member.id);
		const ownerId = await membershipId(org.id, owner.id);

		expect(
			(
				await request(`${org.origin}/team/members/${memberId}/role`, {
					form: { roleId: "rol_builtin_admin" },
					cookie: adminCookie,
				})
			).status,
		).toBe(303);
		expect(
			(
				await request(`${org.origin}/team/members/${memberId}/role`, {
					form: { roleId: "rol_builtin_owner" },
					cookie: adminCookie,
				})
			).status,
		).toBe(422);
		// A refusal stays on the Team page, its message beside the forms, not a generic error card.
		const demote = await request(`${org.origin}/team/members/${ownerId}/role`, {
			form: { roleId: "rol_builtin_member" },
			cookie: adminCookie,
		});
		expect(demote.status).toBe(422);
		expect(demote.text).toContain('<h1 id="team-title">Team</h1>');
		expect(demote.text).toMatch(/role="alert">\s*Only an Owner can change or remove an Owner\./);
		expect(demote.text).not.toContain("Go to the start page");

		const ownerCookie = await signIn(org, owner.email);
		const self = await request(`${org.origin}/team/members/${ownerId}/role`, {
			form: { roleId: "rol_builtin_member" },
			cookie: ownerCookie,
		});
		expect(self.status).toBe(422);
		const leave = await request(`${org.origin}/team/leave`, { method: "POST", cookie: ownerCookie });
		expect(leave.status).toBe(422);
		expect(leave.text).toContain('<h1 id="team-title">Team</h1>');
		expect(leave.text).toContain("last Owner");
		expect(await auditActions(org.id)).toContain("team.role_changed");
	});

	it("removes a member whose sessions here end at once; another organization's member id is a plain 404", async () => {
		const org = await createOrg(pro);
		const other = await createOrg();
		const { cookie } = await admin(org);
		const member = await createUser(org, "member");
		const theirCookie = await signIn(org, member.email);
		const outsider = await createUser(other, "member");
		const outsiderId = await membershipId(other.id, outsider.id);
		const foreign = await request(`${org.origin}/team/members/${outsiderId}/remove`, { method: "POST", cookie });
		const missing = await request(`${org.origin}/team/members/mem_00000000000000000000000000/remove`, {
			method: "POST",
			cookie,
		});
		expect(foreign.status).toBe(404);
		expect(missing.status).toBe(404);
		const normalize = (html: string) => html.replace(/req_[\w-]+/g, "").replace(/nonce="[^"]+"/g, "");
		expect(normalize(foreign.text)).toBe(normalize(missing.text));
		expect(await memberRows(other.id)).toHaveLength(1);

		const res = await request(`${org.origin}/team/members/${await membershipId(org.id, member.id)}/remove`, {
			method: "POST",
			cookie,
		});
		expect(res.status).toBe(303);
		expect((await request(`${org.origin}/`, { cookie: theirCookie })).text).toContain("Sign in to");
		expect(await auditActions(org.id)).toContain("team.member_removed");
	});

	it("transfers ownership: the Owner nominates, the nominee accepts, the old Owner becomes Admin", async () => {
		const org = await createOrg(pro);
		const owner = await createUser(org, "owner");
		const next = await createUser(org, "admin");
		const ownerCookie = await signIn(org, owner.email);
		const nextId = await membershipId(org.id, next.id);
		expect(
			(await request(`${org.origin}/team/members/${nextId}/nominate-owner`, { method: "POST", cookie: ownerCookie }))
				.status,
		).toBe(303);
		const nextCookie = await signIn(org, next.email);
		expect((await request(`${org.origin}/team`, { cookie: nextCookie })).text).toContain("Accept ownership");
		expect((await request(`${org.origin}/team/ownership/accept`, { method: "POST", cookie: nextCookie })).status).toBe(
			303,
		);
		const rows = await memberRows(org.id);
		expect(rows.find((m) => m.userId === next.id)?.roleId).toBe("rol_builtin_owner");
		expect(rows.find((m) => m.userId === owner.id)?.roleId).toBe("rol_builtin_admin");
		const [o] = await testDb().select().from(organizations).where(eq(organizations.id, org.id));
		expect(o?.ownershipNomineeId).toBeNull();
		expect(await auditActions(org.id)).toEqual(
			expect.arrayContaining(["team.ownership_nominated", "team.ownership_transferred"]),
		);
	});
});

describe("the Owner invariant under concurrency", () => {
	async function twoOwners() {
		const org = await createOrg(pro);
		const a = await createUser(org, "owner");
		const b = await createUser(org, "owner");
		return {
			org,
			a: { ...a, cookie: await signIn(org, a.email), membership: await membershipId(org.id, a.id) },
			b: { ...b, cookie: await signIn(org, b.email), membership: await membershipId(org.id, b.id) },
		};
	}
	const owners = async (orgId: string) =>
		(await memberRows(orgId)).filter((m) => m.roleId === "rol_builtin_owner").length;

	it("two Owners demoting each other at the same moment leave one Owner", async () => {
		for (let i = 0; i < 3; i++) {
			const { org, a, b } = await twoOwners();
			const results = await Promise.all([
				request(`${org.origin}/team/members/${b.membership}/role`, {
					form: { roleId: "rol_builtin_admin" },
					cookie: a.cookie,
				}),
				request(`${org.origin}/team/members/${a.membership}/role`, {
					form: { roleId: "rol_builtin_admin" },
					cookie: b.cookie,
				}),
			]);
			expect(results.map((r) => r.status).sort()).toEqual([303, 422]);
			expect(await owners(org.id)).toBe(1);
			expect((await auditActions(org.id)).filter((x) => x === "team.role_changed")).toHaveLength(1);
		}
	});

	it("two Owners leaving at once, or removing each other, leave one Owner", async () => {
		const first = await twoOwners();
		const left = await Promise.all([
			request(`${first.org.origin}/team/leave`, { method: "POST", cookie: first.a.cookie }),
			request(`${first.org.origin}/team/leave`, { method: "POST", cookie: first.b.cookie }),
		]);
		expect(left.map((r) => r.status).sort()).toEqual([303, 422]);
		expect(await owners(first.org.id)).toBe(1);

		const second = await twoOwners();
		const removed = await Promise.all([
			request(`${second.org.origin}/team/members/${second.b.membership}/remove`, {
				method: "POST",
				cookie: second.a.cookie,
			}),
			request(`${second.org.origin}/team/members/${second.a.membership}/remove`, {
				method: "POST",
				cookie: second.b.cookie,
			}),
		]);
		expect(removed.map((r) => r.status).sort()).toEqual([303, 422]);
		expect(await owners(second.org.id)).toBe(1);
	});

	it("invitations sent at the same moment never pass the plan's seat limit together", async () => {
		const org = await createOrg(); // Free plan: 3 seats
		const { cookie } = await admin(org);
		const send = (tag: string) =>
			request(`${org.origin}/team/invitations`, {
				form: { emails: `${tag}1@example.test, ${tag}2@example.test`, roleId: "rol_builtin_member" },
				cookie,
			});
		const results = await Promise.all([send("a"), send("b"), send("c")]);
		expect(results.map((r) => r.status).sort()).toEqual([303, 402, 402]);
		const pending = await testDb().select().from(invitations).where(eq(invitations.orgId, org.id));
		expect(pending).toHaveLength(2);
	});

	it("a nomination ends with its maker's Owner role", async () => {
		const { org, a, b } = await twoOwners();
		const nominee = await createUser(org, "member");
		const nomineeId = await membershipId(org.id, nominee.id);
		const nominated = await request(`${org.origin}/team/members/${nomineeId}/nominate-owner`, {
			method: "POST",
			cookie: a.cookie,
		});
		expect(nominated.status).toBe(303);
		// The other Owner demotes the nominator; the nomination must not survive it.
		const demoted = await request(`${org.origin}/team/members/${a.membership}/role`, {
			form: { roleId: "rol_builtin_member" },
			cookie: b.cookie,
		});
		expect(demoted.status).toBe(303);
		const nomineeCookie = await signIn(org, nominee.email);
		const accept = await request(`${org.origin}/team/ownership/accept`, { method: "POST", cookie: nomineeCookie });
		expect(accept.status).toBe(404);
		const rows = await memberRows(org.id);
		expect(rows.find((m) => m.userId === nominee.id)?.roleId).toBe("rol_builtin_member");
		const [o] = await testDb().select().from(organizations).where(eq(organizations.id, org.id));
		expect(o?.ownershipNomineeId).toBeNull();
	});

	it("an accepted nomination whose maker is demoted at the same moment makes at most the one change", async () => {
		const { org, a, b } = await twoOwners();
		const nominee = await createUser(org, "member");
		await request(`${org.origin}/team/members/${await membershipId(org.id, nominee.id)}/nominate-owner`, {
			method: "POST",
			cookie: a.cookie,
		});
		const nomineeCookie = await signIn(org, nominee.email);
		const [accept, demote] = await Promise.all([
			request(`${org.origin}/team/ownership/accept`, { method: "POST", cookie: nomineeCookie }),
			request(`${org.origin}/team/members/${a.membership}/role`, {
				form: { roleId: "rol_builtin_member" },
				cookie: b.cookie,
			}),
		]);
		const rows = await memberRows(org.id);
		const nomineeRole = rows.find((m) => m.userId === nominee.id)?.roleId;
		// Either the transfer ran first (nominee Owner, then the demotion) or the demotion did (no transfer).
		if (accept.status === 303) expect(nomineeRole).toBe("rol_builtin_owner");
		else expect(nomineeRole).toBe("rol_builtin_member");
		expect(demote.status).toBe(303);
		expect(rows.find((m) => m.userId === a.id)?.roleId).not.toBe("rol_builtin_owner");
	});
});

describe("custom roles", () => {
	it("creates, edits and deletes roles, never granting more than the editor holds, never deleting one in use", async () => {
		const org = await createOrg(pro);
		const { cookie } = await admin(org);
		const created = await request(`${org.origin}/team/roles`, {
			body: new URLSearchParams([
				["name", "Support lead"],
				["permissions", "support:use"],
				["permissions", "audit:read"],
			]).toString(),
			headers: { "content-type": "application/x-www-form-urlencoded" },
			cookie,
		});
		expect(created.status, created.text).toBe(303);
		const [role] = await testDb().select().from(roles).where(eq(roles.orgId, org.id));
		expect(role?.permissions.sort()).toEqual(["audit:read", "org:read", "support:use"]);

		const escalate = await request(`${org.origin}/team/roles`, {
			form: { name: "Money", permissions: "billing:manage" },
			cookie,
		});
		expect(escalate.status).toBe(422);
		expect(escalate.text).toContain('<h1 id="roles-title">Roles</h1>');
		expect(escalate.text).toContain("A role cannot include permissions you do not have yourself.");
		expect(escalate.text).toContain('id="new-role-name" name="name" value="Money"');
		// The editor is offered only what they hold: an Admin sees no billing:manage box at all.
		const page = await request(`${org.origin}/team/roles`, { cookie });
		expect(page.text).toContain('value="members:manage"');
		expect(page.text).not.toContain('value="billing:manage"');
		const builtinName = await request(`${org.origin}/team/roles`, {
			form: { name: "Owner", permissions: "org:read" },
			cookie,
		});
		expect(builtinName.status).toBe(422);

		const member = await createUser(org, "member");
		await request(`${org.origin}/team/members/${await membershipId(org.id, member.id)}/role`, {
			form: { roleId: role?.id ?? "" },
			cookie,
		});
		const memberCookie = await signIn(org, member.email);
		expect((await request(`${org.origin}/audit`, { cookie: memberCookie })).status).toBe(200);

		const inUse = await request(`${org.origin}/team/roles/${role?.id}/delete`, { method: "POST", cookie });
		expect(inUse.status).toBe(422);
		expect(inUse.text).toContain('<h1 id="roles-title">Roles</h1>');
		expect(inUse.text).toContain("Give them another role first");
		await request(`${org.origin}/team/members/${await membershipId(org.id, member.id)}/role`, {
			form: { roleId: "rol_builtin_member" },
			cookie,
		});
		expect((await request(`${org.origin}/team/roles/${role?.id}/delete`, { method: "POST", cookie })).status).toBe(303);
		expect(await testDb().select().from(roles).where(eq(roles.orgId, org.id))).toEqual([]);
		expect(await auditActions(org.id)).toEqual(expect.arrayContaining(["role.created", "role.deleted"]));
	});

	it("lets a member manage only people whose permissions are a subset of their own", async () => {
		const org = await createOrg(pro);
		const roleId = newId("rol");
		await testDb()
			.insert(roles)
			.values({
				id: roleId,
				orgId: org.id,
				key: "people-ops",
				name: "People ops",
				permissions: ["org:read", "usage:read", "support:use", "members:manage"],
			});
		const manager = await createUser(null);
		await testDb()
			.insert(memberships)
			.values({ id: newId("mem"), orgId: org.id, userId: manager.id, roleId });
		await testDb().update(users).set({ emailVerifiedAt: Date.now() }).where(eq(users.id, manager.id));
		const cookie = await signIn(org, manager.email);
		const anAdmin = await createUser(org, "admin");
		const aMember = await createUser(org, "member");
		const adminId = await membershipId(org.id, anAdmin.id);
		const demote = await request(`${org.origin}/team/members/${adminId}/role`, { form: { roleId }, cookie });
		// Refused on the Team page itself, its reason beside the forms.
		expect(demote.status).toBe(422);
		expect(demote.text).toContain("holds permissions you do not have");
		const remove = await request(`${org.origin}/team/members/${adminId}/remove`, { method: "POST", cookie });
		expect(remove.status).toBe(422);
		expect(remove.text).toContain("holds permissions you do not have");
		expect((await memberRows(org.id)).find((m) => m.userId === anAdmin.id)?.roleId).toBe("rol_builtin_admin");
		// A Member holds a subset of People ops' permissions: theirs to manage.
		const memberId = await membershipId(org.id, aMember.id);
		expect((await request(`${org.origin}/team/members/${memberId}/remove`, { method: "POST", cookie })).status).toBe(
			303,
		);
	});

	it("treats another organization's custom role as not found", async () => {
		const org = await createOrg(pro);
		const other = await createOrg();
		const foreignRole = newId("rol");
		await testDb()
			.insert(roles)
			.values({ id: foreignRole, orgId: other.id, key: "x", name: "Theirs", permissions: ["org:read"] });
		const { cookie } = await admin(org);
		expect((await request(`${org.origin}/team/roles/${foreignRole}/delete`, { method: "POST", cookie })).status).toBe(
			404,
		);
		const member = await createUser(org, "member");
		const assign = await request(`${org.origin}/team/members/${await membershipId(org.id, member.id)}/role`, {
			form: { roleId: foreignRole },
			cookie,
		});
		expect(assign.status).toBe(422);
	});
});

describe("invite link and the members list", () => {
	it("sends invitations only to allowed domains through the organization's link", async () => {
		const org = await createOrg(pro);
		const { cookie } = await admin(org);
		expect(
			(await request(`${org.origin}/team/invite-link`, { form: { domains: "not a domain!" }, cookie })).status,
		).toBe(422);
		expect(
			(await request(`${org.origin}/team/invite-link`, { form: { domains: "@teamco.test" }, cookie })).status,
		).toBe(303);
		const team = await request(`${org.origin}/team`, { cookie });
		const link = /\/join\?token=([A-Za-z0-9_-]+)/.exec(team.text);
		expect(link).not.toBeNull();
		const token = link?.[1] ?? "";
		expect((await request(`${org.origin}/join?token=${token}`)).status).toBe(200);
		const wrong = await request(`${org.origin}/join`, { form: { token, email: "someone@gmail.test" } });
		expect(wrong.status).toBe(422);
		const ok = await request(`${org.origin}/join`, { form: { token, email: "newbie@teamco.test" } });
		expect(ok.status).toBe(200);
		expect((await lastMailTo("newbie@teamco.test"))?.text).toContain("/invitation?token=");
		await request(`${org.origin}/team/invite-link/disable`, { method: "POST", cookie });
		expect((await request(`${org.origin}/join?token=${token}`)).status).toBe(404);
	});

	it("searches members and pages through them", async () => {
		const org = await createOrg({ planId: "pln_business" });
		const { cookie } = await admin(org);
		const people = [];
		for (let i = 0; i < 26; i++) people.push(await createUser(org, "member"));
		const first = await request(`${org.origin}/team`, { cookie });
		expect((first.text.match(/<tr>/g) ?? []).length).toBe(26);
		const next = /href="(\/team\?[^"]*after=mem_[^"]+)"/.exec(first.text)?.[1]?.replaceAll("&amp;", "&");
		expect(next).toBeDefined();
		const second = await request(`${org.origin}${next}`, { cookie });
		expect((second.text.match(/<tr>/g) ?? []).length).toBe(3);
		const found = await request(`${org.origin}/team?q=${encodeURIComponent(people[7]?.email ?? "")}`, { cookie });
		expect((found.text.match(/<tr>/g) ?? []).length).toBe(2);
		expect(found.text).toContain(people[7]?.name);
	});
});

describe("last active", () => {
	it("records when a member last used the portal", async () => {
		const org = await createOrg(pro);
		const user = await createUser(org, "member");
		await signIn(org, user.email);
		const [row] = await testDb().select().from(memberships).where(eq(memberships.userId, user.id));
		expect(row?.lastActiveAt).toBeGreaterThan(Date.now() - 60_000);
	});
});

describe("refusals stay on their page", () => {
	it("answers an Admin with an unverified email who invites on the Team page, which says how to verify", async () => {
		const org = await createOrg(pro);
		const admin = await createUser(org, "admin");
		await testDb().update(users).set({ emailVerifiedAt: null }).where(eq(users.id, admin.id));
		const cookie = await signIn(org, admin.email);
		const res = await request(`${org.origin}/team/invitations`, {
			form: { emails: "kept@example.test, also@example.test", roleId: "rol_builtin_member" },
			cookie,
		});
		expect(res.status).toBe(422);
		expect(res.text).toContain('<h1 id="team-title">Team</h1>');
		expect(res.text).toContain("Verify your email address first");
		expect(res.text).toContain('href="/account">your account</a>');
		expect(res.text).not.toContain("Go to the start page");
		expect(await testDb().select().from(invitations).where(eq(invitations.orgId, org.id))).toEqual([]);
	});
});
