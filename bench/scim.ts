// `npm run bench:scim`: a directory's full initial sync through the SCIM API on the production path
// (the dry-run bundle in bare workerd, bench/workerd.ts): 5,000 users created as Okta does it — a
// `userName eq` lookup, then the POST — by 8 connections at once, then the whole directory read back
// in pages of 200; then 200 groups pushed as Entra ID does it — a `displayName eq` lookup without
// members, the POST, one PATCH adding the group's 25 members — and read back. Requests/s and database
// round trips per request (the libSQL server's counters).
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { DEMO_SCIM_TOKEN } from "../dev/seed-directory.ts";
import { freePort, startStack } from "../dev/stack.ts";
import { openDatabase } from "../src/db/client.ts";
import { plans } from "../src/db/schema.ts";
import { startWorkers } from "./workerd.ts";

const USERS = Number(process.env.BENCH_SCIM_USERS ?? 5000);
const GROUPS = Number(process.env.BENCH_SCIM_GROUPS ?? 200);
const CONNECTIONS = 8;
const dataDir = mkdtempSync(join(tmpdir(), "portico-bench-scim-"));
const stack = await startStack({
	port: await freePort(),
	dbPort: await freePort(),
	stripePort: await freePort(),
	dataDir,
});
process.on("exit", () => rmSync(dataDir, { recursive: true, force: true }));
// Unlimited seats for the sync, as a plan for an organization of this size would have (Acme's plan is
// kept in step with its Stripe subscription, so the bench database lifts the seat limit of that plan).
await openDatabase({ url: stack.databaseUrl })
	.update(plans)
	.set({ limits: sql`json_set(${plans.limits}, '$.seats', null)` })
	.where(eq(plans.id, "pln_pro"));
const workers = await startWorkers(stack.vars);
const host = `acme.localhost:${workers.port}`;

function scim(method: string, path: string, body?: unknown) {
	const text = body === undefined ? undefined : JSON.stringify(body);
	return new Promise<{ status: number; body: string }>((resolve, reject) => {
		const req = request(
			{
				host: "127.0.0.1",
				port: workers.port,
				path: `/scim/v2${path}`,
				method,
				headers: {
					host,
					authorization: `Bearer ${DEMO_SCIM_TOKEN}`,
					...(text ? { "content-type": "application/scim+json", "content-length": Buffer.byteLength(text) } : {}),
				},
			},
			(res) => {
				let data = "";
				res.on("data", (c) => {
					data += c;
				});
				res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
			},
		);
		req.on("error", reject);
		req.end(text);
	});
}

const dbTotals = async () =>
	((await (await fetch(`${stack.databaseUrl}_stats`)).json()) as { pipeline_requests: number }).pipeline_requests;

async function phase(name: string, jobs: (() => Promise<void>)[]) {
	const before = await dbTotals();
	const started = performance.now();
	let next = 0;
	await Promise.all(
		Array.from({ length: CONNECTIONS }, async () => {
			while (next < jobs.length) await jobs[next++]?.();
		}),
	);
	const seconds = (performance.now() - started) / 1000;
	const trips = (await dbTotals()) - before;
	return { name, requests: 0, seconds, trips };
}

let lookups = 0;
let creates = 0;
const tag = Date.now().toString(36);
const userIds: string[] = [];
const sync = await phase(
	"initial sync (lookup + create per user)",
	Array.from({ length: USERS }, (_, i) => async () => {
		const login = `user${i}.${tag}@acme.test`;
		const found = await scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "${login}"`)}`);
		if (found.status !== 200) throw new Error(`lookup answered ${found.status}: ${found.body}`);
		lookups++;
		const created = await scim("POST", "/Users", {
			schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
			userName: login,
			externalId: `ext-${tag}-${i}`,
			name: { givenName: "User", familyName: String(i) },
			emails: [{ value: login, type: "work", primary: true }],
			active: true,
		});
		if (created.status !== 201) throw new Error(`create answered ${created.status}: ${created.body}`);
		userIds[i] = (JSON.parse(created.body) as { id: string }).id;
		creates++;
	}),
);
sync.requests = lookups + creates;

const total = USERS + 4;
const pages = Math.ceil(total / 200);
const list = await phase(
	"read back, pages of 200",
	Array.from({ length: pages }, (_, p) => async () => {
		const page = await scim("GET", `/Users?startIndex=${p * 200 + 1}&count=200`);
		if (page.status !== 200) throw new Error(`list answered ${page.status}`);
	}),
);
list.requests = pages;

let groupRequests = 0;
const perGroup = Math.ceil(USERS / GROUPS);
const groupSync = await phase(
	"groups (lookup + create + add members)",
	Array.from({ length: GROUPS }, (_, g) => async () => {
		const displayName = `Group ${g} ${tag}`;
		const filter = encodeURIComponent(`displayName eq "${displayName}"`);
		const found = await scim("GET", `/Groups?excludedAttributes=members&filter=${filter}`);
		if (found.status !== 200) throw new Error(`group lookup answered ${found.status}: ${found.body}`);
		const created = await scim("POST", "/Groups", {
			schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
			displayName,
			externalId: `grp-${tag}-${g}`,
		});
		if (created.status !== 201) throw new Error(`group create answered ${created.status}: ${created.body}`);
		const id = (JSON.parse(created.body) as { id: string }).id;
		const members = userIds.slice(g * perGroup, (g + 1) * perGroup).map((value) => ({ value }));
		const added = await scim("PATCH", `/Groups/${id}`, {
			schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
			Operations: [{ op: "Add", path: "members", value: members }],
		});
		if (added.status !== 204) throw new Error(`adding members answered ${added.status}: ${added.body}`);
		groupRequests += 3;
	}),
);
groupSync.requests = groupRequests;

const groupPages = Math.ceil((GROUPS + 2) / 200);
const groupList = await phase(
	"groups read back with members, pages of 200",
	Array.from({ length: groupPages }, (_, p) => async () => {
		const page = await scim("GET", `/Groups?startIndex=${p * 200 + 1}&count=200`);
		if (page.status !== 200) throw new Error(`group list answered ${page.status}`);
	}),
);
groupList.requests = groupPages;

const rows = [sync, list, groupSync, groupList].map((r) => ({
	phase: r.name,
	requests: r.requests,
	seconds: Number(r.seconds.toFixed(2)),
	"requests/s": Math.round(r.requests / r.seconds),
	"round trips/request": Number((r.trips / r.requests).toFixed(2)),
}));
console.table(rows);
await workers.stop();
await stack.stop();
process.exit(0);
