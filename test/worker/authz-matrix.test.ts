// The authorization matrix, generated from the router: every tenant-host route × every kind of visitor,
// against the checked-in table below. A route missing from the table fails the test, so a new route
// cannot ship without someone deciding who may use it.

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import {
	apiKeys,
	dataExports,
	domains,
	invitations,
	memberships,
	notifications,
	roles,
	sessions,
	ticketAttachments,
	tickets,
} from "../../src/db/schema.ts";
import { newId } from "../../src/lib/ids.ts";
import { createOrg, createUser, request, signIn, testDb } from "../support/worker.ts";

const VISITORS = ["anonymous", "member", "admin", "owner", "custom", "other tenant"] as const;

/**
 * Expected status per visitor, in the order of VISITORS. Requests carry no form fields and use ids that
 * do not exist, so "may use it" shows as 200, 303 (a redirect after the check) or 404/422 (the route ran
 * and found nothing or refused the empty input), and "may not" as 303 to sign-in (anonymous) or 403.
 */
const EXPECTED: Record<string, string> = {
	"GET /sign-in": "200 303 303 303 303 200",
	"POST /sign-in": "422 422 422 422 422 422",
	"GET /sign-in/mfa": "303 303 303 303 303 303",
	"POST /sign-in/mfa": "303 303 303 303 303 303",
	"POST /sign-out": "303 303 303 303 303 303",
	"POST /sign-in/link": "422 422 422 422 422 422",
	"GET /sign-in/link": "400 400 400 400 400 400",
	"POST /sign-in/link/confirm": "400 400 400 400 400 400",
	"GET /forgot-password": "200 200 200 200 200 200",
	"POST /forgot-password": "422 422 422 422 422 422",
	"GET /reset-password": "400 400 400 400 400 400",
	"POST /reset-password": "422 422 422 422 422 422",
	"GET /verify-email": "400 400 400 400 400 400",
	"GET /confirm-email": "400 400 400 400 400 400",
	"POST /verify-email": "400 400 400 400 400 400",
	"POST /confirm-email": "400 400 400 400 400 400",
	"GET /sign-in/ticket": "400 400 400 400 400 400",
	"GET /sign-in/ticket/complete": "400 400 400 400 400 400",
	"GET /sign-in/ticket/vouch": "400 400 400 400 400 400",
	"GET /sign-in/oauth/:provider": "303 303 303 303 303 303",
	"GET /account": "303 200 200 200 200 303",
	"GET /account/confirm": "303 200 200 200 200 303",
	"POST /account/confirm": "303 422 422 422 422 303",
	"POST /account/password": "303 422 422 422 422 303",
	"POST /account/email": "303 422 422 422 422 303",
	"POST /account/verify-email": "303 303 303 303 303 303",
	"POST /account/sessions/:id/revoke": "303 303 303 303 303 303",
	"POST /account/sessions/revoke-others": "303 303 303 303 303 303",
	"POST /switch": "303 422 422 422 422 303",
	"GET /account/mfa": "303 200 200 200 200 303",
	"POST /account/mfa": "303 422 422 422 422 303",
	"POST /account/mfa/recovery-codes": "303 303 303 303 303 303",
	"POST /account/mfa/disable": "303 303 303 303 303 303",
	"GET /settings/security": "303 403 200 200 403 303",
	"POST /settings/security": "303 403 422 422 403 303",
	"GET /team": "303 200 200 200 200 303",
	"POST /team/invitations": "303 403 422 422 403 303",
	"POST /team/invitations/:id/resend": "303 403 404 404 403 303",
	"POST /team/invitations/:id/revoke": "303 403 404 404 403 303",
	"POST /team/members/:id/role": "303 403 422 422 403 303",
	"POST /team/members/:id/remove": "303 403 404 404 403 303",
	"POST /team/leave": "303 303 303 422 303 303",
	"GET /team/leave": "303 200 200 200 200 303",
	"GET /team/members/:id/remove": "303 403 404 404 403 303",
	"GET /team/members/:id/nominate-owner": "303 403 403 404 403 303",
	"POST /team/invite-link": "303 403 422 422 403 303",
	"POST /team/invite-link/disable": "303 403 303 303 403 303",
	"POST /team/members/:id/nominate-owner": "303 403 422 404 403 303",
	"POST /team/ownership/accept": "303 404 404 404 404 303",
	"POST /team/ownership/cancel": "303 303 303 303 303 303",
	"GET /team/roles": "303 403 200 200 403 303",
	"POST /team/roles": "303 403 422 422 403 303",
	"POST /team/roles/:id": "303 403 422 422 403 303",
	"POST /team/roles/:id/delete": "303 403 404 404 403 303",
	"GET /invitation": "400 400 400 400 400 400",
	"POST /invitation/accept": "400 400 400 400 400 400",
	"GET /join": "404 404 404 404 404 404",
	"POST /join": "404 404 404 404 404 404",
	"GET /": "200 200 200 200 200 200",
	"GET /audit": "303 403 200 200 200 303",
	"POST /audit/verify": "303 403 403 200 403 303",
	"GET /audit/export": "303 403 200 200 200 303",
	"GET /notifications": "303 200 200 200 200 303",
	"GET /notifications/badge": "303 200 200 200 200 303",
	"POST /notifications/:id/read": "303 404 404 404 404 303",
	"GET /notifications/:id/open": "303 404 404 404 404 303",
	"POST /notifications/read-all": "303 303 303 303 303 303",
	"GET /account/notifications": "303 200 200 200 200 303",
	"POST /account/notifications": "303 422 422 422 422 303",
	"POST /onboarding/tour/done": "303 303 303 303 303 303",
	"POST /onboarding/checklist/dismiss": "303 303 303 303 303 303",
	"GET /settings": "303 403 200 200 403 303",
	"POST /settings": "303 403 422 422 403 303",
	"POST /settings/logo": "303 403 422 422 403 303",
	"POST /settings/logo/remove": "303 403 303 303 403 303",
	"POST /settings/favicon": "303 403 422 422 403 303",
	"POST /settings/favicon/remove": "303 403 303 303 403 303",
	"GET /settings/branding": "303 403 200 200 403 303",
	"GET /settings/branding/preview": "303 403 200 200 403 303",
	"POST /settings/branding": "303 403 422 422 403 303",
	"POST /sign-in/sso": "422 422 422 422 422 422",
	// Single sign-on is the Owners' (sso:manage); on the Free plan the page shows the upgrade and every change is 402.
	"GET /settings/sso": "303 403 403 200 403 303",
	"POST /settings/sso/domains": "303 403 403 402 403 303",
	"POST /settings/sso/domains/:id/check": "303 403 403 402 403 303",
	"POST /settings/sso/domains/:id/remove": "303 403 403 402 403 303",
	"POST /settings/sso/oidc": "303 403 403 402 403 303",
	"POST /settings/sso/saml": "303 403 403 402 403 303",
	"GET /settings/sso/saml/metadata.xml": "303 403 403 200 403 303",
	"GET /sign-in/sso/failed": "403 403 403 403 403 403",
	"POST /settings/sso/test": "303 403 403 402 403 303",
	"POST /settings/sso/enabled": "303 403 403 402 403 303",
	"POST /settings/sso/required": "303 403 403 402 403 303",
	// Directory sync setup is the Owners' (sso:manage), a paid-plan feature like SSO.
	"GET /settings/directory": "303 403 403 200 403 303",
	"POST /settings/directory/tokens": "303 403 403 402 403 303",
	"POST /settings/directory/tokens/:id/revoke": "303 403 403 402 403 303",
	"POST /settings/directory/groups/:id/role": "303 403 403 402 403 303",
	// Webhooks: Owners and Admins (webhooks:manage); an endpoint that is not theirs is 404.
	"GET /settings/webhooks": "303 403 200 200 403 303",
	"GET /settings/webhooks/events": "303 403 200 200 403 303",
	"POST /settings/webhooks": "303 403 422 422 403 303",
	"GET /settings/webhooks/:id": "303 403 404 404 403 303",
	"POST /settings/webhooks/:id": "303 403 404 404 403 303",
	"POST /settings/webhooks/:id/rotate": "303 403 404 404 403 303",
	"POST /settings/webhooks/:id/test": "303 403 422 422 403 303",
	"POST /settings/webhooks/:id/deliveries/:delivery/replay": "303 403 404 404 403 303",
	"POST /settings/webhooks/:id/replay-failed": "303 403 404 404 403 303",
	"GET /settings/webhooks/:id/delete": "303 403 404 404 403 303",
	"POST /settings/webhooks/:id/delete": "303 403 404 404 403 303",
	// The SCIM API takes a directory bearer token only: a session cookie is nobody there.
	"GET /scim/v2/ServiceProviderConfig": "401 401 401 401 401 401",
	"GET /scim/v2/ResourceTypes": "401 401 401 401 401 401",
	"GET /scim/v2/ResourceTypes/:name": "401 401 401 401 401 401",
	"GET /scim/v2/Schemas": "401 401 401 401 401 401",
	"GET /scim/v2/Schemas/:id": "401 401 401 401 401 401",
	"GET /scim/v2/Users": "401 401 401 401 401 401",
	"GET /scim/v2/Users/:id": "401 401 401 401 401 401",
	"POST /scim/v2/Users": "401 401 401 401 401 401",
	"PUT /scim/v2/Users/:id": "401 401 401 401 401 401",
	"PATCH /scim/v2/Users/:id": "401 401 401 401 401 401",
	"DELETE /scim/v2/Users/:id": "401 401 401 401 401 401",
	"GET /scim/v2/Groups": "401 401 401 401 401 401",
	"GET /scim/v2/Groups/:id": "401 401 401 401 401 401",
	"POST /scim/v2/Groups": "401 401 401 401 401 401",
	"PUT /scim/v2/Groups/:id": "401 401 401 401 401 401",
	"PATCH /scim/v2/Groups/:id": "401 401 401 401 401 401",
	"DELETE /scim/v2/Groups/:id": "401 401 401 401 401 401",
	"GET /settings/domains": "303 403 200 200 403 303",
	"POST /settings/domains": "303 403 422 422 403 303",
	"POST /settings/domains/:id{dom_[0-9a-z]{26}}/check": "303 403 404 404 403 303",
	"POST /settings/domains/:id{dom_[0-9a-z]{26}}/remove": "303 403 404 404 403 303",
	"POST /settings/domains/email": "303 403 303 303 403 303",
	"POST /settings/domains/email/check": "303 403 422 422 403 303",
	"GET /files/:kind/:owner/:name": "404 404 404 404 404 404",
	"GET /settings/export": "303 403 200 200 403 303",
	"POST /settings/export": "303 403 303 303 403 303",
	"GET /account/export": "303 200 200 200 200 303",
	"POST /account/export": "303 303 303 303 303 303",
	"GET /exports/:id/download": "422 422 422 422 422 422",
	"GET /settings/danger": "303 403 403 200 403 303",
	"POST /settings/danger/delete": "303 403 403 422 403 303",
	"POST /settings/danger/restore": "303 403 403 303 403 303",
	"POST /account/profile": "303 422 422 422 422 303",
	"POST /account/avatar": "303 422 422 422 422 303",
	"POST /account/delete": "303 422 422 422 422 303",
	"GET /billing": "303 403 200 200 403 303",
	"GET /billing/change": "303 403 403 422 403 303",
	"POST /billing/change": "303 403 403 422 403 303",
	"POST /billing/downgrade/cancel": "303 403 403 422 403 303",
	"POST /billing/checkout": "303 403 403 422 403 303",
	"POST /billing/portal": "303 403 403 422 403 303",
	"GET /billing/cancel": "303 403 403 303 403 303",
	"POST /billing/cancel": "303 403 403 422 403 303",
	"POST /billing/cancel/reason": "303 403 403 422 403 303",
	"POST /billing/retention/accept": "303 403 403 422 403 303",
	"POST /billing/resume": "303 403 403 422 403 303",
	"GET /keys": "303 403 200 200 403 303",
	"GET /usage": "303 200 200 200 403 303",
	"GET /usage/export.csv": "303 200 200 200 403 303",
	"POST /keys": "303 403 422 422 403 303",
	"POST /keys/:id/rotate": "303 403 422 422 403 303",
	"POST /keys/:id/revoke": "303 403 404 404 403 303",
	"GET /keys/:id/edit": "303 403 404 404 403 303",
	"POST /keys/:id": "303 403 422 422 403 303",
	"GET /help": "200 200 200 200 200 200",
	"GET /help/search": "303 303 303 303 303 303",
	"GET /help/articles/:slug": "404 404 404 404 404 404",
	"POST /help/articles/:slug/vote": "303 422 422 422 422 303",
	"GET /support": "303 200 200 200 200 303",
	"GET /support/new": "303 200 200 200 200 303",
	"GET /support/suggest": "303 200 200 200 200 303",
	"POST /support/tickets": "303 422 422 422 422 303",
	"GET /support/tickets/:id": "303 404 404 404 404 303",
	"GET /support/attachments/:id": "303 404 404 404 404 303",
	"POST /support/tickets/:id/reply": "303 404 404 404 404 303",
	"POST /support/tickets/:id/resolve": "303 404 404 404 404 303",
	"POST /support/tickets/:id/reopen": "303 404 404 404 404 303",
};

const SAMPLE_PARAMS: Record<string, string> = {
	":id": "mem_00000000000000000000000000",
	":provider": "google",
};

function concretePath(path: string): string {
	let out = path;
	if (path.startsWith("/account/sessions/")) out = out.replace(":id", "ses_00000000000000000000000000");
	if (path.startsWith("/team/invitations/")) out = out.replace(":id", "inv_00000000000000000000000000");
	if (path.startsWith("/team/roles/")) out = out.replace(":id", "rol_0000000000000000000000000");
	if (path.startsWith("/keys/")) out = out.replace(":id", "key_00000000000000000000000000");
	if (path.startsWith("/support/tickets/")) out = out.replace(":id", "tix_00000000000000000000000000");
	if (path.startsWith("/settings/webhooks/"))
		out = out.replace(":id", "whe_00000000000000000000000000").replace(":delivery", "whd_00000000000000000000000000");
	if (path.startsWith("/support/attachments/")) out = out.replace(":id", "att_00000000000000000000000000");
	out = out.replace(":slug", "no-such-article");
	out = out.replace(":id{dom_[0-9a-z]{26}}", "dom_00000000000000000000000000");
	if (path.startsWith("/notifications/") || path.startsWith("/exports/"))
		out = out.replace(":id", "evt_00000000000000000000000000");
	out = out
		.replace(":kind", "logos")
		.replace(":owner", "org_00000000000000000000000000")
		.replace(":name", "missing.png");
	for (const [param, value] of Object.entries(SAMPLE_PARAMS)) out = out.replace(param, value);
	return out;
}

describe("authorization matrix", () => {
	it("answers every tenant route for every kind of visitor as the table says", async () => {
		const routes = [
			...new Set(
				createApp()
					.routers.tenant.routes.filter((r) => r.method !== "ALL")
					.map((r) => `${r.method} ${r.path}`),
			),
		];
		// Routes that end the visitor's membership or session run last, so every other route sees them signed in.
		const LAST = ["POST /team/leave", "POST /sign-out"];
		routes.sort((a, b) => LAST.indexOf(a) - LAST.indexOf(b));
		const missing = routes.filter((r) => !(r in EXPECTED));
		expect(missing, "routes missing from the expectation table").toEqual([]);

		const org = await createOrg();
		const other = await createOrg();
		const customRoleId = newId("rol");
		await testDb()
			.insert(roles)
			.values({
				id: customRoleId,
				orgId: org.id,
				key: "auditor",
				name: "Auditor",
				permissions: ["org:read", "audit:read", "support:use"],
			});
		const people = {
			member: await createUser(org, "member"),
			admin: await createUser(org, "admin"),
			owner: await createUser(org, "owner"),
			custom: await createUser(null),
			other: await createUser(other, "owner"),
		};
		await testDb()
			.insert(memberships)
			.values({ id: newId("mem"), orgId: org.id, userId: people.custom.id, roleId: customRoleId });
		const cookies: Record<(typeof VISITORS)[number], string | undefined> = {
			anonymous: undefined,
			member: await signIn(org, people.member.email),
			admin: await signIn(org, people.admin.email),
			owner: await signIn(org, people.owner.email),
			custom: await signIn(org, people.custom.email),
			"other tenant": await signIn(other, people.other.email),
		};

		const actual: Record<string, string> = {};
		for (const route of routes) {
			const [method, path] = route.split(" ") as [string, string];
			// The six visitors are independent people: their requests go out together.
			const statuses = await Promise.all(
				VISITORS.map(async (visitor) => {
					const res = await request(`${org.origin}${concretePath(path)}`, {
						method,
						cookie: cookies[visitor],
						...(method === "POST" ? { form: {} } : {}),
					});
					return res.status;
				}),
			);
			actual[route] = statuses.join(" ");
		}
		const wrong = Object.entries(actual).filter(([route, got]) => EXPECTED[route] !== got);
		expect(Object.fromEntries(wrong), `visitor order: ${VISITORS.join(", ")}`).toEqual({});
	});

	/**
	 * The column cookies cannot give: an Owner, signed in on their own host, asks for objects of another
	 * organization by their real ids. Every such route must answer exactly as for an id that does not
	 * exist, and leave the other organization's objects as they were.
	 */
	it("answers another organization's real object ids on one's own host as if they did not exist", async () => {
		const mine = await createOrg();
		const theirs = await createOrg();
		const owner = await createUser(mine, "owner");
		const cookie = await signIn(mine, owner.email);
		const ids = await foreignObjects(theirs);
		const before = await snapshot(theirs.id);
		const routes = [
			...new Set(
				createApp()
					.routers.tenant.routes.filter((r) => r.method !== "ALL" && /:(id|owner)/.test(r.path))
					.map((r) => `${r.method} ${r.path}`),
			),
		];
		const differences: Record<string, string> = {};
		for (const route of routes) {
			const [method, path] = route.split(" ") as [string, string];
			const options = { method, cookie, ...(method === "POST" ? { form: {} } : {}) };
			const absent = await request(`${mine.origin}${concretePath(path)}`, options);
			const foreign = await request(`${mine.origin}${foreignPath(path, ids)}`, options);
			const normalize = (html: string) =>
				html
					.replace(/req_[\w-]+/g, "")
					.replace(/nonce="[^"]+"/g, "")
					.replace(/(mem|inv|rol|key|tix|att|dom|evt|ses|org)_[0-9a-z]{26}/g, "ID");
			if (absent.status !== foreign.status || normalize(absent.text) !== normalize(foreign.text))
				differences[route] = `${absent.status} for a missing id, ${foreign.status} for theirs`;
		}
		expect(differences).toEqual({});
		expect(routes.length).toBeGreaterThan(20);
		expect(await snapshot(theirs.id)).toEqual(before);
	});
});

interface ForeignIds {
	member: string;
	invitation: string;
	role: string;
	key: string;
	ticket: string;
	attachment: string;
	domain: string;
	notification: string;
	exportId: string;
	session: string;
	org: string;
}

/** One of everything addressable by id, in the other organization (written directly: this is setup). */
async function foreignObjects(org: { id: string; slug: string }): Promise<ForeignIds> {
	const db = testDb();
	const person = await createUser(org as never, "owner");
	const [membership] = await db.select().from(memberships).where(eq(memberships.userId, person.id));
	const ids = {
		member: membership?.id ?? "",
		invitation: newId("inv"),
		role: newId("rol"),
		key: newId("key"),
		ticket: newId("tix"),
		attachment: newId("att"),
		domain: newId("dom"),
		notification: newId("evt"),
		exportId: newId("evt"),
		session: newId("ses"),
		org: org.id,
	};
	const now = Date.now();
	await db.batch([
		db.insert(invitations).values({
			id: ids.invitation,
			orgId: org.id,
			email: `invitee-${org.slug}@example.test`,
			roleId: "rol_builtin_member",
			tokenHash: `hash-${ids.invitation}`,
			invitedBy: person.id,
			expiresAt: now + 86_400_000,
		}),
		db.insert(roles).values({ id: ids.role, orgId: org.id, key: "theirs", name: "Theirs", permissions: ["org:read"] }),
		db.insert(apiKeys).values({
			id: ids.key,
			orgId: org.id,
			name: "Their key",
			hash: `hash-${ids.key}`,
			prefix: "pk_test",
			last4: "abcd",
			scopes: ["keys:verify"],
			createdByLabel: "Them",
		}),
		db.insert(tickets).values({
			id: ids.ticket,
			orgId: org.id,
			requesterId: person.id,
			requesterLabel: person.name,
			requesterEmail: person.email,
			subject: "Their ticket",
			category: "other",
			context: {} as never,
			lastActivityAt: now,
		}),
		db.insert(ticketAttachments).values({
			id: ids.attachment,
			orgId: org.id,
			ticketId: ids.ticket,
			messageId: newId("msg"),
			objectKey: `attachments/${org.id}/${ids.attachment}`,
			filename: "theirs.png",
			contentType: "image/png",
			sizeBytes: 10,
		}),
		db.insert(domains).values({
			id: ids.domain,
			orgId: org.id,
			hostname: `portal-${org.slug}.theirs.example`,
			verificationToken: "token",
		}),
		db.insert(notifications).values({
			id: ids.notification,
			orgId: org.id,
			userId: person.id,
			category: "team",
			title: "Theirs",
			body: "Theirs",
		}),
		db.insert(dataExports).values({ id: ids.exportId, orgId: org.id, kind: "organization", requestedBy: person.id }),
	]);
	await signIn(org as never, person.email);
	const [session] = await db.select().from(sessions).where(eq(sessions.userId, person.id));
	if (!session) throw new Error("no session for the other organization's person");
	ids.session = session.id;
	return ids;
}

function foreignPath(path: string, ids: ForeignIds): string {
	const byPrefix: [string, string][] = [
		["/account/sessions/", ids.session],
		["/team/invitations/", ids.invitation],
		["/team/roles/", ids.role],
		["/team/members/", ids.member],
		["/keys/", ids.key],
		["/support/tickets/", ids.ticket],
		["/support/attachments/", ids.attachment],
		["/notifications/", ids.notification],
		["/exports/", ids.exportId],
	];
	let out = path.replace(":id{dom_[0-9a-z]{26}}", ids.domain).replace(":owner", ids.org);
	for (const [prefix, id] of byPrefix) if (path.startsWith(prefix)) out = out.replace(":id", id);
	return concretePath(out);
}

/** What the other organization has, to show that nothing of it changed. */
async function snapshot(orgId: string) {
	const db = testDb();
	const [m, i, r, k, t, d, n, e] = await Promise.all([
		db.select().from(memberships).where(eq(memberships.orgId, orgId)),
		db.select().from(invitations).where(eq(invitations.orgId, orgId)),
		db.select().from(roles).where(eq(roles.orgId, orgId)),
		db.select().from(apiKeys).where(eq(apiKeys.orgId, orgId)),
		db.select().from(tickets).where(eq(tickets.orgId, orgId)),
		db.select().from(domains).where(eq(domains.orgId, orgId)),
		db.select().from(notifications).where(eq(notifications.orgId, orgId)),
		db.select().from(dataExports).where(eq(dataExports.orgId, orgId)),
	]);
	return { m, i, r, k, t, d, n, e };
}
