// The SCIM 2.0 API (RFC 7644) on each organization's own host, at /scim/v2: a bearer token of this
// organization (a token of another, or used on another organization's host, is refused the same way as
// a wrong one), `application/scim+json` in and out, errors in the SCIM error schema. Every request is
// written to the organization's SCIM log, which the admin reads at /settings/directory.
import { type Context, Hono } from "hono";
import type { AppEnv } from "../context.ts";
import {
	claimFailureAlert,
	findScimToken,
	logScimRequest,
	pruneScimLog,
	SCIM_FAILURE_ALERT,
	touchScimToken,
} from "../db/directory.ts";
import { orgData } from "../db/org-data.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { log } from "../lib/log.ts";
import { tenantOf } from "../middleware/guards.ts";
import { notifyContext } from "../notifications/context.ts";
import { notify } from "../notifications/notify.ts";
import { ScimError } from "../scim/errors.ts";
import { everything, scimJson, scimOf } from "../scim/http.ts";
import { resourceTypes, schemas, serviceProviderConfig } from "../scim/service-provider.ts";
import { portalAddress } from "../tenancy/address.ts";
import { scimGroupRoutes } from "./scim-groups.ts";
import { scimUserRoutes } from "./scim-users.ts";

/** The token's "last used" (and the log's pruning) is written at most this often. */
const TOUCH_MS = 60_000;

export const scimRoutes = new Hono<AppEnv>();

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
	const failedWrite = c.req.method !== "GET" && c.res.status >= 400 && c.res.status !== 404;
	if (failedWrite && (await claimFailureAlert(scopedOrg, row.id, nowMs))) await alertManagers(c, row.name, error);
});

/** The directory keeps failing: whoever manages it hears so (the IdP's own alerts may go unread). */
async function alertManagers(c: Context<AppEnv>, tokenName: string, latest: string | null) {
	const { failures, windowMs } = SCIM_FAILURE_ALERT;
	try {
		await notify(
			notifyContext(c),
			{ permission: "sso:manage" },
			{
				category: "team",
				title: "Directory sync is failing",
				body: `${failures} or more requests from your identity provider (token “${tokenName}”) were refused in the last ${windowMs / 60_000} minutes, so some people may not have been added, changed or removed. The latest: ${latest ?? "an error"}.`,
				link: "/settings/directory",
			},
		);
	} catch (error) {
		log("error", "directory failure alert not sent", { error });
	}
}

// ── Discovery ───────────────────────────────────────────────────────────────────────────────

scimRoutes.get("/ServiceProviderConfig", (c) => scimJson(c, serviceProviderConfig(scimOf(c).baseUrl)));
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

scimRoutes.route("/Users", scimUserRoutes);
scimRoutes.route("/Groups", scimGroupRoutes);

scimRoutes.all("*", (c) => scimJson(c, new ScimError(404, "There is no such SCIM endpoint.").body(), 404));
