// Helpers for tests that run inside workerd: each test makes its own organizations and people in the
// real libSQL database, then talks to the Worker through exports.default.fetch with real hostnames.
import { env, exports } from "cloudflare:workers";
import { desc, eq, sql } from "drizzle-orm";
import { onTestFinished } from "vitest";
import { hashPassword } from "../../src/auth/password.ts";
import { BUILT_IN_ROLES } from "../../src/auth/permissions.ts";
import { openDatabase } from "../../src/db/client.ts";
import { auditEvents, domains, mailOutbox, memberships, organizations, sessions, users } from "../../src/db/schema.ts";
import { newId } from "../../src/lib/ids.ts";

export const PASSWORD = "correct horse battery staple";
let passwordHash: Promise<string> | undefined;

export function testDb() {
	return openDatabase({ url: env.DATABASE_URL });
}

function unique(prefix: string): string {
	return `${prefix}${crypto.getRandomValues(new Uint32Array(1))[0]?.toString(36)}`;
}

export interface TestOrg {
	id: string;
	slug: string;
	name: string;
	origin: string;
}

export async function createOrg(overrides: Partial<typeof organizations.$inferInsert> = {}): Promise<TestOrg> {
	const slug = overrides.slug ?? unique("t-");
	const org = { id: newId("org"), slug, name: `Org ${slug}`, planId: "pln_free", ...overrides };
	await testDb().insert(organizations).values(org);
	return { id: org.id, slug, name: org.name, origin: `http://${slug}.localhost` };
}

/**
 * An active organization on the dedicated tier whose database cannot be reached. Every file shares the
 * main database, so it is removed when the test ends: other files' jobs and console pages never meet it.
 */
export async function createUnreachableOrg(): Promise<TestOrg> {
	const org = await createOrg({ isolationTier: "dedicated", databaseUrl: "http://127.0.0.1:9/" });
	onTestFinished(async () => {
		await testDb().delete(organizations).where(eq(organizations.id, org.id));
	});
	return org;
}

export type RoleKey = keyof typeof BUILT_IN_ROLES;

export async function createUser(org: TestOrg | null, role: RoleKey = "member") {
	passwordHash ??= hashPassword(PASSWORD);
	const user = {
		id: newId("usr"),
		email: `${unique("u")}@example.test`,
		name: unique("Person "),
		passwordHash: await passwordHash,
		emailVerifiedAt: Date.now(),
	};
	const db = testDb();
	await db.batch([
		db.insert(users).values(user),
		...(org
			? [
					db
						.insert(memberships)
						.values({ id: newId("mem"), orgId: org.id, userId: user.id, roleId: BUILT_IN_ROLES[role].id }),
				]
			: []),
	]);
	return user;
}

export async function addVerifiedDomain(org: TestOrg, hostname: string, verified = true) {
	await testDb()
		.insert(domains)
		.values({
			id: newId("dom"),
			orgId: org.id,
			hostname,
			verificationToken: "t",
			verifiedAt: verified ? Date.now() : null,
		});
}

export interface RequestOptions {
	method?: string;
	cookie?: string | undefined;
	form?: Record<string, string>;
	headers?: Record<string, string>;
	body?: BodyInit;
	/** Send the page's own Origin (what a browser does for a same-origin form post). */
	sameOrigin?: boolean;
}

export async function request(url: string, options: RequestOptions = {}) {
	const headers = new Headers(options.headers);
	if (options.cookie) headers.set("cookie", options.cookie);
	let body = options.body;
	if (options.form) {
		body = new URLSearchParams(options.form).toString();
		headers.set("content-type", "application/x-www-form-urlencoded");
	}
	const method = options.method ?? (body !== undefined ? "POST" : "GET");
	if (method !== "GET" && options.sameOrigin !== false) headers.set("origin", new URL(url).origin);
	const response = await exports.default.fetch(new Request(url, { method, headers, body, redirect: "manual" }));
	const text = await response.text();
	return { status: response.status, headers: response.headers, text };
}

export async function signIn(org: TestOrg, email: string, password = PASSWORD): Promise<string> {
	const res = await request(`${org.origin}/sign-in`, { form: { email, password } });
	const cookie = res.headers.get("set-cookie")?.split(";")[0];
	if (res.status !== 303 || !cookie) throw new Error(`sign-in failed: ${res.status} ${res.text.slice(0, 300)}`);
	return cookie;
}

export async function auditActions(orgId: string): Promise<string[]> {
	const rows = await testDb()
		.select({ action: auditEvents.action })
		.from(auditEvents)
		.where(eq(auditEvents.orgId, orgId))
		.orderBy(auditEvents.createdAt, auditEvents.id);
	return rows.map((r) => r.action);
}

export async function sessionCount(userId: string): Promise<number> {
	const [row] = await testDb().select({ n: sql<number>`count(*)` }).from(sessions).where(eq(sessions.userId, userId));
	return row?.n ?? 0;
}

/** Database round trips the Worker made for one request, counted by the libSQL server. */
export async function roundTrips(requestId: string | null): Promise<number> {
	if (!requestId) throw new Error("response has no x-request-id");
	const stats = await fetch(`${env.DATABASE_URL}_stats?tag=${encodeURIComponent(requestId)}`);
	return ((await stats.json()) as { pipeline_requests: number }).pipeline_requests;
}

/** The newest mail the outbox transport stored for an address (tests deliver mail inline). */
export async function lastMailTo(to: string) {
	const rows = await testDb()
		.select()
		.from(mailOutbox)
		.where(eq(mailOutbox.to, to))
		.orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
		.limit(1);
	return rows[0] ?? null;
}

export function linkIn(text: string | undefined, path: string): string {
	const match = new RegExp(`https?://[^\\s]+${path.replace(/[/?]/g, "\\$&")}[^\\s]*`).exec(text ?? "");
	if (!match) throw new Error(`no ${path} link in: ${text}`);
	return match[0];
}

/** The first cookie a response sets (a deleted one skipped): usually the session. */
export function cookieFrom(res: { headers: Headers }): string | undefined {
	return cookiesFrom(res).split("; ")[0] || undefined;
}

/** Every cookie a response sets, as a Cookie header (deleted ones skipped), joined to `earlier` ones. */
export function cookiesFrom(res: { headers: Headers }, earlier?: string): string {
	const set = res.headers
		.getSetCookie()
		.map((header) => header.split(";")[0] ?? "")
		.filter((pair) => pair && !pair.endsWith("="));
	const names = new Set(set.map((pair) => pair.split("=")[0]));
	const kept = (earlier ?? "").split("; ").filter((pair) => pair && !names.has(pair.split("=")[0]));
	return [...set, ...kept].join("; ");
}

/**
 * Follows a login-ticket hand-off as the browser that asked for it does: the response that issued the
 * ticket (a redirect to `/sign-in/ticket`), then the issuing host's vouch step with that browser's
 * cookies there, then completion back on the receiving host. Returns the last response.
 */
export async function followTicket(issued: { headers: Headers }, issuerCookie?: string) {
	const start = await request(String(issued.headers.get("location")));
	if (start.status !== 303) return start;
	const vouch = await request(String(start.headers.get("location")), { cookie: cookiesFrom(issued, issuerCookie) });
	if (vouch.status !== 303) return vouch;
	return request(String(vouch.headers.get("location")), { cookie: cookiesFrom(start) });
}
