// Running one organization's webhooks from the jobs queue: the runner gets the real fetch, the SSRF rules
// of this deployment, the DNS-over-HTTPS resolver and the sealing key; endpoints disabled on the way are
// told to the organization's webhook managers. After a run, the next retry due is scheduled as a delayed
// jobs message (queue mode), so Svix's 5-second retry is not left to the 5-minute sweep.
import { findOrganizationById } from "../db/billing.ts";
import type { Db } from "../db/client.ts";
import type { TenantData } from "../db/tenant-data.ts";
import { nextAttemptAt } from "../db/webhooks.ts";
import { resolverFor } from "../domains/check.ts";
import type { Bindings } from "../env.ts";
import { jobDelivery } from "../jobs/consumer.ts";
import { log } from "../lib/log.ts";
import { notify } from "../notifications/notify.ts";
import { brandOf } from "../views/brand.ts";
import { runWebhooks, type WebhookRunner } from "./deliver.ts";
import type { TargetRules } from "./targets.ts";

export function targetRules(bindings: Bindings): TargetRules {
	return { development: bindings.ENVIRONMENT === "development", portalDomain: bindings.PORTAL_DOMAIN };
}

/** Whether a request's change starts its organization's delivery at once (else the sweep does). */
export const kicksAtOnce = (bindings: Bindings) => bindings.WEBHOOK_DELIVERY !== "sweep";

/** Sends the organization's webhooks job now, or after `delayMs`. */
export async function kickWebhooks(bindings: Bindings, orgId: string, nowMs: number, delayMs = 0) {
	await jobDelivery(bindings)([
		{
			message: { kind: "tenant", job: "webhooks", orgId, nowMs: nowMs + delayMs },
			delaySeconds: Math.ceil(delayMs / 1000),
		},
	]);
}

interface Context {
	bindings: Bindings;
	main: Db;
	tenant: TenantData;
	orgId: string;
	origin: string;
	nowMs: number;
}

/** The sweep covers longer waits; only a retry due sooner gets a message of its own. */
const SCHEDULE_WITHIN_MS = 5 * 60_000;

/** The platform's fetch, called as itself (workerd refuses a detached `fetch`: "Illegal invocation"). */
const platformFetch: typeof fetch = (input, init) => fetch(input, init);

export function runnerFor(ctx: Context, fetcher: typeof fetch = platformFetch): WebhookRunner | null {
	const sealKey = ctx.bindings.SSO_SECRET_KEY;
	if (!sealKey) return null;
	return {
		tenant: ctx.tenant,
		nowMs: ctx.nowMs,
		fetcher,
		rules: targetRules(ctx.bindings),
		resolver: resolverFor(ctx.bindings),
		sealKey,
		onDisabled: async (endpoint, reason) => {
			const org = await findOrganizationById(ctx.main, ctx.orgId);
			if (!org) return;
			await notify(
				{ main: ctx.main, tenant: ctx.tenant, bindings: ctx.bindings, brand: brandOf(org), origin: ctx.origin },
				{ permission: "webhooks:manage" },
				{
					category: "security",
					title: "A webhook endpoint was disabled",
					body:
						reason === "gone"
							? `${endpoint.url} answered 410 Gone, which unsubscribes it. Enable it again at Settings → Webhooks.`
							: `Every delivery to ${endpoint.url} has failed for 5 days. Fix the receiver, then enable it again at Settings → Webhooks.`,
					link: `/settings/webhooks/${endpoint.id}`,
				},
			);
		},
	};
}

/** The jobs queue's webhooks job for one organization. */
export async function runTenantWebhooks(ctx: Context) {
	// A delayed message may arrive late: the runner's clock is never behind the wall clock.
	const runner = runnerFor({ ...ctx, nowMs: Math.max(ctx.nowMs, Date.now()) });
	if (!runner) return undefined;
	const result = await runWebhooks(runner);
	if (kicksAtOnce(ctx.bindings)) {
		const next = await nextAttemptAt(ctx.tenant);
		if (next !== null && next - runner.nowMs < SCHEDULE_WITHIN_MS) {
			await kickWebhooks(ctx.bindings, ctx.orgId, runner.nowMs, Math.max(0, next - runner.nowMs)).catch((error) =>
				log("error", "webhook retry not scheduled", { orgId: ctx.orgId, error }),
			);
		}
	}
	return result.attempted > 0 ? result : undefined;
}
