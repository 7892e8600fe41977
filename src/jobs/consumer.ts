// The jobs queue's consumer: each message is one organization's job (run in its tenant context) or one
// dispatcher page. Messages in a batch run side by side and are acknowledged or retried one by one, so
// one organization's failure never holds up another's; after the retries a message goes to the
// dead-letter queue (`portico-jobs-dlq`), where an operator can see what kept failing.

import { commitWithAudit } from "../db/audit.ts";
import { openDatabase, openTenantDatabase } from "../db/client.ts";
import { operatorAuditInsert } from "../db/operators.ts";
import { findOrganizationDatabase, systemAccess } from "../db/system.ts";
import { tenantData } from "../db/tenant-data.ts";
import { type Bindings, readConfig } from "../env.ts";
import { log } from "../lib/log.ts";
import { moveOrganization } from "../tenancy/move.ts";
import { type Deliver, dispatchPage, queueDelivery } from "./dispatch.ts";
import { type JobMessage, jobMessageSchema, type MoveMessage, type TenantMessage } from "./messages.ts";
import { portalOrigin } from "./origin.ts";
import { TENANT_JOB_RUNNERS } from "./tenant-jobs.ts";

/** The tag the local libSQL server counts a message's round trips under (benchmarks read it). */
export function jobStatsTag(message: JobMessage): string {
	if (message.kind === "tenant") return `job:${message.job}:${message.nowMs}:${message.orgId}`;
	if (message.kind === "move") return `move:${message.orgId}:${message.claimAt}`;
	return `dispatch:${message.job}:${message.nowMs}:${message.after}`.slice(0, 128);
}

function databases(bindings: Bindings, message: JobMessage) {
	const config = readConfig(bindings);
	const mainConfig = {
		url: config.DATABASE_URL,
		authToken: config.DATABASE_AUTH_TOKEN,
		statsTag: config.DB_STATS === "1" ? jobStatsTag(message) : undefined,
	};
	return { main: openDatabase(mainConfig), mainConfig };
}

/** Runs one organization's job. An organization that is gone or suspended has nothing to do. */
export async function runTenantMessage(bindings: Bindings, message: TenantMessage) {
	const { main, mainConfig } = databases(bindings, message);
	const org = await systemAccess(main).findActiveOrganization(message.orgId);
	if (!org) return undefined;
	const tenant = tenantData({ orgId: org.id, db: openTenantDatabase(main, mainConfig, org) });
	const result = await TENANT_JOB_RUNNERS[message.job]({
		bindings,
		main,
		tenant,
		orgId: org.id,
		dedicated: !tenant.usesDatabase(main),
		origin: portalOrigin(bindings, org.slug, org.customDomain),
		nowMs: message.nowMs,
	});
	if (result) log("info", "job tenant done", { job: message.job, orgId: org.id, ...result });
	return result;
}

/** Where this deployment's job messages go. */
export function jobDelivery(bindings: Bindings): Deliver {
	if (bindings.JOB_DELIVERY === "inline" || !bindings.JOBS_QUEUE) {
		return async (messages) => {
			for (const { message } of messages) {
				try {
					await handleJobMessage(bindings, message);
				} catch (error) {
					log("error", "job tenant failed", { ...message, error });
				}
			}
		};
	}
	return queueDelivery(bindings.JOBS_QUEUE);
}

/** Runs an operator's move and records it in the organization's audit log and the operator log. */
async function runMove(bindings: Bindings, message: MoveMessage) {
	const { main, mainConfig } = databases(bindings, message);
	const result = await moveOrganization(bindings, main, mainConfig, message.orgId, message.to, message.claimAt);
	const org = await findOrganizationDatabase(main, message.orgId);
	if (!org) return;
	const actor = { type: "operator" as const, id: message.operator.id, label: message.operator.label };
	const action = "organization.database_moved";
	const metadata = { from: result.from, to: result.to, rows: result.rows };
	await commitWithAudit(
		main,
		tenantData({ orgId: org.id, db: openTenantDatabase(main, mainConfig, org) }),
		actor,
		{ action, target: { type: "organization", id: org.id }, metadata },
		{ control: [operatorAuditInsert(main, { operator: actor, action, orgId: org.id, metadata })] },
	);
	log("info", "organization moved", { orgId: org.id, ...metadata });
}

export async function handleJobMessage(bindings: Bindings, message: JobMessage): Promise<void> {
	if (message.kind === "tenant") {
		await runTenantMessage(bindings, message);
		return;
	}
	if (message.kind === "move") {
		await runMove(bindings, message);
		return;
	}
	const { main } = databases(bindings, message);
	await dispatchPage(main, bindings, message, jobDelivery(bindings));
}

export async function processJobBatch(batch: MessageBatch<unknown>, bindings: Bindings): Promise<void> {
	await Promise.all(
		batch.messages.map(async (message) => {
			const parsed = jobMessageSchema.safeParse(message.body);
			if (!parsed.success) {
				// A message that can never be valid is dropped (and logged), never retried.
				log("error", "job message invalid", { id: message.id });
				message.ack();
				return;
			}
			try {
				await handleJobMessage(bindings, parsed.data);
				message.ack();
			} catch (error) {
				log("warn", "job will be retried", { ...parsed.data, attempts: message.attempts, error });
				message.retry({ delaySeconds: Math.min(3600, 30 * 2 ** (message.attempts - 1)) });
			}
		}),
	);
}
