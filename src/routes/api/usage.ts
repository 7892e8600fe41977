// POST /api/v1/usage — the vendor's backend (vendor secret, naming the organization) or an
// organization's API key with the `usage:write` scope reports a batch of up to 1,000 events. Each event
// is checked on its own; the accepted ones are written in one atomic batch; duplicates count once.
import { Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../../context.ts";
import { openTenantDatabase } from "../../db/client.ts";
import { tenantData } from "../../db/tenant-data.ts";
import { insertUsageEvents } from "../../db/usage.ts";
import { findKeyForUsage, findOrganizationRef, keyIdsOf } from "../../db/usage-auth.ts";
import { hashKey, isWellFormedKey } from "../../keys/format.ts";
import { keyState, keyWorks } from "../../keys/state.ts";
import { timingSafeEqualText } from "../../lib/crypto.ts";
import { AppError } from "../../lib/errors.ts";
import { MAX_EVENTS, validateEvents } from "../../usage/ingest.ts";

export const usageApiRoutes = new Hono<AppEnv>();

const batchSchema = z.object({
	organization: z.string().max(64).optional(),
	events: z
		.array(z.unknown(), { error: "events must be an array" })
		.min(1, { error: "Send at least one event." })
		.max(MAX_EVENTS, { error: `Send at most ${MAX_EVENTS} events per batch.` }),
});

usageApiRoutes.post("/usage", async (c) => {
	const token = (c.req.header("authorization") ?? "").replace(/^Bearer\s+/i, "");
	const vendor = Boolean(c.env.VENDOR_API_SECRET) && timingSafeEqualText(token, c.env.VENDOR_API_SECRET ?? "");
	if (!vendor && !isWellFormedKey(token))
		throw new AppError(
			"unauthorized",
			"Send the vendor API secret or an API key with the usage:write scope as a Bearer token.",
		);
	const body = await c.req.json().catch(() => null);
	if (body === null) throw new AppError("validation", "The body is not valid JSON.");
	const parsed = batchSchema.safeParse(body);
	if (!parsed.success) throw new AppError("validation", parsed.error.issues[0]?.message ?? 'Send {"events": [...]}.');
	const db = c.get("db");
	const nowMs = Date.now();
	let org: {
		id: string;
		status: string;
		isolationTier: "shared" | "dedicated";
		databaseUrl: string | null;
		databaseAuthToken: string | null;
	} | null;
	if (vendor) {
		if (!parsed.data.organization)
			throw new AppError("validation", "With the vendor secret, name the organization (its id or slug).");
		org = await findOrganizationRef(db, parsed.data.organization);
		if (!org) throw new AppError("not_found", "No such organization.");
	} else {
		const key = await findKeyForUsage(db, await hashKey(token));
		if (!key || !keyWorks(keyState(key, nowMs))) throw new AppError("unauthorized", "This API key is not valid.");
		if (!key.scopes.includes("usage:write"))
			throw new AppError("forbidden", "This API key does not have the usage:write scope.");
		// A key writes for its own organization only; naming another one is refused, not redirected.
		if (parsed.data.organization && parsed.data.organization !== key.orgId && parsed.data.organization !== key.slug) {
			throw new AppError("forbidden", "An API key can only report usage for its own organization.");
		}
		org = {
			id: key.orgId,
			status: key.status,
			isolationTier: key.isolationTier,
			databaseUrl: key.databaseUrl,
			databaseAuthToken: key.databaseAuthToken,
		};
	}
	if (org.status !== "active") throw new AppError("forbidden", "The organization is not active.");
	const { accepted, rejected } = validateEvents(parsed.data.events, nowMs, await keyIdsOf(db, org.id));
	const tenant = tenantData({ orgId: org.id, db: openTenantDatabase(db, c.get("dbConfig"), org) });
	const written = await insertUsageEvents(tenant, accepted, nowMs);
	return c.json(
		{ accepted: written, duplicates: accepted.length - written, rejected },
		rejected.length > 0 && accepted.length === 0 ? 422 : 200,
	);
});
