// POST /api/v1/keys/verify — for the vendor's product backend. One round trip (two on the dedicated tier,
// whose ingested usage lives in the organization's database): the key by hash with its organization,
// plan, this month's API calls and (rate-limited keys only) this minute's count. The count of this call
// goes through the usage queue after the response.
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import * as z from "zod";
import type { AppEnv } from "../../context.ts";
import { openTenantDatabase } from "../../db/client.ts";
import { verificationReads } from "../../db/keys.ts";
import { tenantData } from "../../db/tenant-data.ts";
import { ingestedApiCallsSince } from "../../db/usage.ts";
import { hashKey, isWellFormedKey } from "../../keys/format.ts";
import { keyState } from "../../keys/state.ts";
import { type UsageMessage, writeUsage } from "../../keys/usage.ts";
import { timingSafeEqualText } from "../../lib/crypto.ts";
import { AppError } from "../../lib/errors.ts";
import { log } from "../../lib/log.ts";

export const apiRoutes = new Hono<AppEnv>();

/** The vendor's backend, and only it, calls /api/v1: a shared secret, compared in constant time. */
export const vendorOnly = createMiddleware<AppEnv>(async (c, next) => {
	const expected = c.env.VENDOR_API_SECRET;
	const given = (c.req.header("authorization") ?? "").replace(/^Bearer\s+/i, "");
	if (!expected || !timingSafeEqualText(given, expected))
		throw new AppError("unauthorized", "Send the vendor API secret as a Bearer token.");
	await next();
});

// Usage ingestion also accepts an organization's API key; every other /api/v1 route is the vendor's.
apiRoutes.use("/*", async (c, next) =>
	new URL(c.req.url).pathname === "/api/v1/usage" ? next() : vendorOnly(c, next),
);

const bodySchema = z.object({ key: z.string().max(200, { error: "That is not an API key (too long)." }) });

apiRoutes.post("/keys/verify", async (c) => {
	const parsed = bodySchema.safeParse(await c.req.json().catch(() => null));
	if (!parsed.success)
		throw new AppError("validation", parsed.error.issues[0]?.message ?? 'Send JSON like {"key": "pk_live_…"}.');
	const { key } = parsed.data;
	// A mistyped key is refused by its checksum, before any lookup.
	if (!isWellFormedKey(key))
		return c.json({ valid: false, code: "malformed", message: "This is not a well-formed API key." });
	const nowMs = Date.now();
	const now = new Date(nowMs);
	const monthStartDay = `${now.toISOString().slice(0, 7)}-01`;
	const windowStart = Math.floor(nowMs / 60_000) * 60_000;
	const monthStartMs = Date.parse(`${monthStartDay}T00:00:00Z`);
	const { key: row, minuteCount } = await verificationReads(c.get("db"), await hashKey(key), {
		monthStartDay,
		monthStartMs,
		windowStart,
	});
	const invalid = (code: string, message: string) => c.json({ valid: false, code, message });
	if (!row) return invalid("unknown", "No such key.");
	const state = keyState(row, nowMs);
	if (state === "revoked") return invalid("revoked", "This key was revoked.");
	if (state === "expired") return invalid("expired", "This key has expired.");
	if (state === "rotated") return invalid("rotated", "This key was rotated and its grace period is over.");
	if (row.orgStatus !== "active") return invalid("organization_inactive", "The organization is not active.");
	if (row.rateLimitPerMinute && minuteCount > row.rateLimitPerMinute) {
		const resetAt = new Date(windowStart + 60_000).toISOString();
		c.header("retry-after", String(Math.ceil((windowStart + 60_000 - nowMs) / 1000)));
		return c.json(
			{
				error: {
					code: "rate_limited",
					message: `This key allows ${row.rateLimitPerMinute} requests per minute.`,
					reset_at: resetAt,
				},
			},
			429,
		);
	}
	const usage: UsageMessage = { orgId: row.orgId, keyId: row.id, at: nowMs };
	if (c.env.USAGE_DELIVERY === "inline" || !c.env.USAGE_QUEUE) await writeUsage(c.get("db"), [usage]);
	else {
		const sent = c.env.USAGE_QUEUE.send(usage).catch((error: unknown) =>
			log("warn", "usage not queued", { requestId: c.get("requestId"), error }),
		);
		try {
			c.executionCtx.waitUntil(sent);
		} catch {
			await sent;
		}
	}
	const limit = row.limits?.api_calls ?? null;
	// The same figure as the Usage page's API calls: verifications (this one included) plus ingested calls.
	const ingested =
		row.ingestedThisMonth ??
		(await ingestedApiCallsSince(
			tenantData({ orgId: row.orgId, db: openTenantDatabase(c.get("db"), c.get("dbConfig"), row) }),
			monthStartMs,
		));
	const used = row.usedThisMonth + 1 + Number(ingested);
	return c.json({
		valid: true,
		key: { id: row.id, name: row.name, scopes: row.scopes },
		organization: { id: row.orgId, slug: row.orgSlug, name: row.orgName },
		plan: { key: row.planKey, name: row.planName, limits: row.limits },
		quota: {
			metric: "api_calls",
			limit,
			used,
			remaining: limit === null ? null : Math.max(0, limit - used),
			period_start: monthStartDay,
		},
	});
});
