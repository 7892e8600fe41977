// The SCIM 2.0 API (RFC 7644) on each organization's own host, at /scim/v2: a bearer token of this
// organization (a token of another, or used on another organization's host, is refused the same way as
// a wrong one), `application/scim+json` in and out, errors in the SCIM error schema. Every request is
// written to the organization's SCIM log, which the admin reads at /settings/directory.
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../context.ts";
import {
	findDirectoryUser,
	findScimToken,
	listDirectoryUsers,
	logScimRequest,
	pruneScimLog,
	touchScimToken,
} from "../db/directory.ts";
import { userFilter } from "../db/directory-filter.ts";
import { orgData } from "../db/org-data.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { log } from "../lib/log.ts";
import { tenantOf } from "../middleware/guards.ts";
import { ScimError } from "../scim/errors.ts";
import { patchInput, patchToChange } from "../scim/patch.ts";
import { resourceTypes, schemas, serviceProviderConfig } from "../scim/service-provider.ts";
import {
	changeUser,
	createUser,
	displayNameOf,
	emailOf,
	removeUser,
	type ScimContext,
	userInput,
	userResource,
	visible,
} from "../scim/users.ts";
import { portalAddress } from "../tenancy/address.ts";

export const SCIM_CONTENT_TYPE = "application/scim+json";
/** The most resources one list page returns (ServiceProviderConfig says so). */
export const SCIM_MAX_RESULTS = 200;
const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/** The token's "last used" (and the log's pruning) is written at most this often. */
const TOUCH_MS = 60_000;

export const scimRoutes = new Hono<AppEnv>();

function scimJson(c: Context, body: unknown, status = 200) {
	return c.body(JSON.stringify(body), status as 200, { "content-type": SCIM_CONTENT_TYPE });
}

/** The authenticated SCIM request's context (set by the middleware below for every route). */
function scimOf(c: Context<AppEnv>): ScimContext {
	const ctx = c.get("scim");
	if (!ctx) throw new ScimError(401, "The bearer token is not valid for this organization.");
	return ctx;
}

scimRoutes.onError((error, c) => {
	if (error instanceof ScimError) return scimJson(c, error.body(), error.status);
	log("error", "scim request failed", { error, path: c.req.path });
	return scimJson(c, new ScimError(500, "Something went wrong on our side. Try again.").body(), 500);
});

scimRoutes.use("*", async (c, next) => {
	const { org, tenant } = tenantOf(c);
	const header = c.req.header("authorization") ?? "";
	const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
	const row = token ? await findScimToken(c.get("db"), await sha256Hex(token)) : null;
	// One answer for no token, a wrong one, a revoked one and another organization's.
	if (!row || row.orgId !== org.id) {
		c.header("www-authenticate", 'Bearer realm="SCIM"');
		return scimJson(c, new ScimError(401, "The bearer token is not valid for this organization.").body(), 401);
	}
	const nowMs = Date.now();
	const address = portalAddress(c);
	const scopedOrg = orgData({ orgId: org.id, db: c.get("db") });
	c.set("scim", {
		db: c.get("db"),
		org: scopedOrg,
		tenant,
		actor: { type: "system", id: row.id, label: `Directory sync (${row.name})` },
		baseUrl: `${address.origin}/scim/v2`,
		nowMs,
	});
	await next();
	let error: string | null = null;
	if (c.res.status >= 400) {
		try {
			error = ((await c.res.clone().json()) as { detail?: string }).detail ?? null;
		} catch {
			error = null;
		}
	}
	const due = (row.lastUsedAt ?? 0) < nowMs - TOUCH_MS;
	const db = c.get("db");
	await db.batch([
		logScimRequest(scopedOrg, {
			tokenId: row.id,
			method: c.req.method,
			path: c.req.path.replace(/^\/scim\/v2/, "") || "/",
			status: c.res.status,
			error,
		}),
		...(due ? [touchScimToken(scopedOrg, row.id, nowMs), pruneScimLog(scopedOrg)] : []),
	]);
});

async function body<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
	let raw: unknown;
	try {
		raw = await c.req.json();
	} catch {
		throw new ScimError(400, "The body is not JSON.", "invalidSyntax");
	}
	const parsed = schema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
		throw new ScimError(400, `${where}${issue?.message ?? "The body is not valid."}`, "invalidValue");
	}
	return parsed.data;
}

// ── Discovery ───────────────────────────────────────────────────────────────────────────────

scimRoutes.get("/ServiceProviderConfig", (c) => scimJson(c, serviceProviderConfig(scimOf(c).baseUrl)));
/** A ListResponse holding every one of `resources` (RFC 7644 §3.4.2). */
const everything = (resources: unknown[]) => ({
	schemas: [LIST_SCHEMA],
	totalResults: resources.length,
	startIndex: 1,
	itemsPerPage: resources.length,
	Resources: resources,
});

scimRoutes.get("/ResourceTypes", (c) => scimJson(c, everything(resourceTypes(scimOf(c).baseUrl))));
scimRoutes.get("/ResourceTypes/:name", (c) => {
	const type = resourceTypes(scimOf(c).baseUrl).find((t) => t.name === c.req.param("name"));
	if (!type) throw new ScimError(404, "There is no such resource type.");
	return scimJson(c, type);
});
scimRoutes.get("/Schemas", (c) => scimJson(c, everything(schemas(scimOf(c).baseUrl))));
scimRoutes.get("/Schemas/:id", (c) => {
	const schema = schemas(scimOf(c).baseUrl).find((s) => s.id === c.req.param("id"));
	if (!schema) throw new ScimError(404, "There is no such schema.");
	return scimJson(c, schema);
});

// ── Users ───────────────────────────────────────────────────────────────────────────────────

const listQuery = z.object({
	filter: z.string().max(1000).optional(),
	startIndex: z.coerce.number().int().catch(1).default(1),
	count: z.coerce.number().int().catch(100).default(100),
	attributes: z.string().max(1000).optional(),
	excludedAttributes: z.string().max(1000).optional(),
});

function readListQuery(c: Context<AppEnv>) {
	const parsed = listQuery.safeParse(c.req.query());
	if (!parsed.success) throw new ScimError(400, "The filter or attribute list is too long.", "invalidValue");
	return parsed.data;
}

/** `attributes` / `excludedAttributes` (RFC 7644 §3.9), on top-level attributes; id and schemas always stay. */
function project(resource: Record<string, unknown>, attributes?: string, excluded?: string) {
	const names = (list?: string) =>
		list
			? new Set(
					list.split(",").map((a) =>
						a
							.trim()
							.replace(/^urn:[^ ]*:User:/i, "")
							.split(".")[0]
							?.toLowerCase(),
					),
				)
			: null;
	const keep = names(attributes);
	const drop = names(excluded);
	return Object.fromEntries(
		Object.entries(resource).filter(([key]) => {
			const lower = key.toLowerCase();
			if (lower === "id" || lower === "schemas") return true;
			if (keep) return keep.has(lower);
			return !drop?.has(lower);
		}),
	);
}

scimRoutes.get("/Users", async (c) => {
	const ctx = scimOf(c);
	const query = readListQuery(c);
	const startIndex = Math.max(1, query.startIndex);
	const count = Math.min(Math.max(0, query.count), SCIM_MAX_RESULTS);
	const filter = query.filter ? userFilter(query.filter) : undefined;
	const page = await listDirectoryUsers(ctx.org, { filter, startIndex, count, visibleOnly: true });
	return scimJson(c, {
		schemas: [LIST_SCHEMA],
		totalResults: page.total,
		startIndex,
		itemsPerPage: page.users.length,
		Resources: page.users.map((u) => project(userResource(ctx, u), query.attributes, query.excludedAttributes)),
	});
});

const idParam = (c: Context) => {
	const id = c.req.param("id") ?? "";
	if (!/^mem_[0-9a-z]{26}$/.test(id)) throw new ScimError(404, "There is no such user.");
	return id;
};

async function visibleUser(c: Context<AppEnv>) {
	const user = await findDirectoryUser(scimOf(c).org, idParam(c));
	if (!visible(user)) throw new ScimError(404, "There is no such user.");
	return user;
}

scimRoutes.get("/Users/:id", async (c) => {
	const query = readListQuery(c);
	return scimJson(
		c,
		project(userResource(scimOf(c), await visibleUser(c)), query.attributes, query.excludedAttributes),
	);
});

scimRoutes.post("/Users", async (c) => {
	const ctx = scimOf(c);
	const created = await createUser(ctx, await body(c, userInput));
	c.header("location", `${ctx.baseUrl}/Users/${created.id}`);
	return scimJson(c, userResource(ctx, created), 201);
});

scimRoutes.put("/Users/:id", async (c) => {
	const ctx = scimOf(c);
	const user = await visibleUser(c);
	const input = await body(c, userInput);
	const address = emailOf(input);
	const changed = await changeUser(ctx, user, {
		email: address,
		name: displayNameOf(input, user.name),
		externalId: input.externalId ?? null,
		active: input.active ?? true,
	});
	return scimJson(c, userResource(ctx, changed));
});

scimRoutes.patch("/Users/:id", async (c) => {
	const ctx = scimOf(c);
	const user = await visibleUser(c);
	const { Operations } = await body(c, patchInput);
	const changed = await changeUser(ctx, user, patchToChange(user, Operations));
	return scimJson(c, userResource(ctx, changed));
});

scimRoutes.delete("/Users/:id", async (c) => {
	await removeUser(scimOf(c), await visibleUser(c));
	return c.body(null, 204);
});

scimRoutes.all("*", (c) => scimJson(c, new ScimError(404, "There is no such SCIM endpoint.").body(), 404));
