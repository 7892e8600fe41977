// The SCIM API's HTTP conventions (RFC 7644 §3): `application/scim+json` in and out, bodies validated
// into SCIM errors, list queries, ListResponses, and `attributes` / `excludedAttributes`.
import type { Context } from "hono";
import * as z from "zod";
import type { AppEnv } from "../context.ts";
import type { ScimContext } from "./commit.ts";
import { ScimError } from "./errors.ts";

export const SCIM_CONTENT_TYPE = "application/scim+json";
/** The most resources one list page returns (ServiceProviderConfig says so). */
export const SCIM_MAX_RESULTS = 200;
export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

export function scimJson(c: Context, body: unknown, status = 200) {
	return c.body(JSON.stringify(body), status as 200, { "content-type": SCIM_CONTENT_TYPE });
}

/** The authenticated SCIM request's context (set by the API's authentication for every route). */
export function scimOf(c: Context<AppEnv>): ScimContext {
	const ctx = c.get("scim");
	if (!ctx) throw new ScimError(401, "The bearer token is not valid for this organization.");
	return ctx;
}

export async function body<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
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

/** A ListResponse holding every one of `resources`. */
export const everything = (resources: unknown[]) => listResponse(resources.length, 1, resources);

const listQuery = z.object({
	filter: z.string().max(1000).optional(),
	startIndex: z.coerce.number().int().catch(1).default(1),
	count: z.coerce.number().int().catch(100).default(100),
	attributes: z.string().max(1000).optional(),
	excludedAttributes: z.string().max(1000).optional(),
});

export function readListQuery(c: Context<AppEnv>) {
	const parsed = listQuery.safeParse(c.req.query());
	if (!parsed.success) throw new ScimError(400, "The filter or attribute list is too long.", "invalidValue");
	return parsed.data;
}

/** `attributes` / `excludedAttributes` (RFC 7644 §3.9), on top-level attributes; id and schemas always stay. */
export function project(resource: Record<string, unknown>, attributes?: string, excluded?: string) {
	const names = (list?: string) =>
		list
			? new Set(
					list.split(",").map((a) =>
						a
							.trim()
							.replace(/^urn:[^ ]*:(User|Group):/i, "")
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

/** One page of a list, as a ListResponse (RFC 7644 §3.4.2). */
export function listResponse(total: number, startIndex: number, resources: unknown[]) {
	return {
		schemas: [LIST_SCHEMA],
		totalResults: total,
		startIndex,
		itemsPerPage: resources.length,
		Resources: resources,
	};
}

/** `startIndex` and `count` as the RFC reads them: 1-based, at most SCIM_MAX_RESULTS, never negative. */
export function pageOf(query: { startIndex: number; count: number }) {
	return { startIndex: Math.max(1, query.startIndex), count: Math.min(Math.max(0, query.count), SCIM_MAX_RESULTS) };
}
