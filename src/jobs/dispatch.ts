// The dispatcher: one page of the organizations that have work for a job, turned into one queue
// message each (and a message for the next page when this one was full). Every invocation — the cron
// trigger's and each page's — costs the same few round trips, whatever the number of organizations.
import { SETTLE_MS } from "../audit/chain.ts";
import type { Db } from "../db/client.ts";
import { advanceUsageCursor, type DuePage, dueOrganizations, usageRange } from "../db/jobs.ts";
import type { Bindings } from "../env.ts";
import { ADOPTION_WINDOW_DAYS } from "../metrics/daily.ts";
import { DAY_MS } from "../metrics/figures.ts";
import { CERTIFICATE_NOTICE_DAYS } from "../sso/certificates.ts";
import type { JobMessage, ScanMessage, TenantJobName, TenantMessage } from "./messages.ts";
import { AUDIT_RETENTION_DAYS, WEBHOOK_RETENTION_DAYS } from "./tenant-jobs.ts";

/**
 * A Stripe cache confirmed less than this long ago (by a webhook or the last run) is not due. Under
 * `npm start` every run reconciles every customer: the demo's cache is filled by the first run even
 * when webhooks sent while wrangler was starting set a recent confirmation time.
 */
const RECONCILE_DUE_S = 50 * 60;
const reconcileDueBefore = (bindings: Bindings, nowMs: number) =>
	bindings.ENVIRONMENT === "development" ? Math.floor(nowMs / 1000) + 1 : Math.floor(nowMs / 1000) - RECONCILE_DUE_S;
/** Queues take at most 100 messages per sendBatch. */
const SEND_BATCH = 100;
/** Hourly jobs are spread over the hour in production, so Stripe and DNS see a steady trickle. */
const SPREAD_S: Partial<Record<TenantJobName, number>> = { reconcile: 3600, domains: 3600 };

export interface Sent {
	message: JobMessage;
	delaySeconds: number;
}

/** Where messages go: the jobs queue in production, or a direct call (tests, `JOB_DELIVERY=inline`). */
export type Deliver = (messages: Sent[]) => Promise<void>;

export function queueDelivery(queue: Queue<unknown>): Deliver {
	return async (messages) => {
		for (let i = 0; i < messages.length; i += SEND_BATCH) {
			await queue.sendBatch(
				messages.slice(i, i + SEND_BATCH).map((m) => ({ body: m.message, delaySeconds: m.delaySeconds })),
			);
		}
	};
}

/** A stable offset in [0, window) seconds for an organization, from its id. */
export function spreadOffset(orgId: string, windowS: number): number {
	let h = 2166136261;
	for (let i = 0; i < orgId.length; i++) h = Math.imul(h ^ orgId.charCodeAt(i), 16777619) >>> 0;
	return h % windowS;
}

async function duePage(
	main: Db,
	bindings: Bindings,
	scan: ScanMessage,
): Promise<DuePage & { range?: { from: number; to: number } }> {
	const { job, nowMs, after } = scan;
	switch (job) {
		case "usage": {
			const range = scan.range ?? (await usageRange(main));
			return { ...(await dueOrganizations.usage(main, range, after)), range };
		}
		case "seal":
			return dueOrganizations.seal(main, nowMs - SETTLE_MS, after);
		case "reconcile":
			return dueOrganizations.reconcile(main, reconcileDueBefore(bindings, nowMs), after);
		case "domains":
			return dueOrganizations.domains(main, after);
		case "webhooks":
			return dueOrganizations.webhooks(main, nowMs, after);
		case "daily":
			return dueOrganizations.daily(
				main,
				{
					activeSince: nowMs - ADOPTION_WINDOW_DAYS * DAY_MS,
					freeCutoff: nowMs - AUDIT_RETENTION_DAYS.free * DAY_MS,
					paidCutoff: nowMs - AUDIT_RETENTION_DAYS.paid * DAY_MS,
					nowMs,
					noticeUntil: nowMs + Math.max(...CERTIFICATE_NOTICE_DAYS) * DAY_MS,
					webhookCutoff: nowMs - WEBHOOK_RETENTION_DAYS * DAY_MS,
				},
				after,
			);
	}
}

/**
 * Reads one page of due organizations and sends their messages. Returns how many were sent. The usage
 * job's last page moves the dispatched position forward, so the next run reads only newer events (a
 * page lost on the way leaves it where it was, and the next run covers the range again).
 */
export async function dispatchPage(main: Db, bindings: Bindings, scan: ScanMessage, deliver: Deliver): Promise<number> {
	const page = await duePage(main, bindings, scan);
	const spread = bindings.ENVIRONMENT === "production" ? SPREAD_S[scan.job] : undefined;
	const messages: Sent[] = page.orgIds.map((orgId) => ({
		message: { kind: "tenant", job: scan.job, orgId, nowMs: scan.nowMs } satisfies TenantMessage,
		delaySeconds: spread ? spreadOffset(orgId, spread) : 0,
	}));
	if (page.next !== null) {
		messages.push({
			message: { kind: "scan", job: scan.job, nowMs: scan.nowMs, after: page.next, range: page.range },
			delaySeconds: 0,
		});
	}
	await deliver(messages);
	if (page.next === null && page.range) await advanceUsageCursor(main, page.range.to, scan.nowMs);
	return page.orgIds.length;
}
