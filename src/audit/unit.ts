// A unit of work: what a verb needs to change one organization's state — the main database, the
// organization's data, who acts (for the audit event) and whom to tell afterwards (notifications).
// Verbs live in their domain's module (src/keys/service.ts, src/team/members.ts, …): each checks its
// rules, commits its change together with its audit event in one batch, and returns what the route
// renders (`commit(unit, event, changes)`). Routes validate input, call one verb and render; they never
// build a batch themselves.
import { type AuditActor, type AuditInput, type Batch, commitWithAudit } from "../db/audit.ts";
import type { DatabaseConfig, Db } from "../db/client.ts";
import type { OrgData } from "../db/org-data.ts";
import type { TenantData } from "../db/tenant-data.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import type { NotifyContext } from "../notifications/notify.ts";
import type { Passwords } from "../passwords/service.ts";
import { kicksAtOnce, kickWebhooks } from "../webhooks/runner.ts";

export interface Unit {
	db: Db;
	tenant: TenantData;
	/** The organization's own rows in the main database (members, roles, invitations, domains, keys). */
	org: OrgData;
	actor: AuditActor;
	/** The member acting, with their membership here. */
	by: {
		userId: string;
		name: string;
		email: string;
		sessionId: string;
		membershipId: string;
		roleId: string;
		roleName: string;
		permissions: readonly string[];
	};
	/** Hashing and checking passwords (the password Worker, or this isolate). */
	passwords: Passwords;
	/** Bindings, brand and portal origin: for notifications, mail and third-party clients. */
	notices: NotifyContext;
	/** The request's id, for log lines the verb writes. */
	requestId: string;
}

/**
 * Commits the unit's change with its audit event in one batch (see `commitWithAudit`). A change that
 * wrote a webhook event (its organization has an enabled endpoint) starts delivery at once; the 5-minute
 * sweep is the safety net.
 */
export async function commit(unit: Unit, event: AuditInput, changes: { control?: Batch; tenant?: Batch } = {}) {
	const webhookEvents = await commitWithAudit(unit.db, unit.tenant, unit.actor, event, changes);
	const bindings = unit.notices.bindings;
	if (webhookEvents > 0 && kicksAtOnce(bindings))
		await kickWebhooks(bindings, unit.tenant.orgId, Date.now()).catch((error) =>
			log("error", "webhook delivery not started", { orgId: unit.tenant.orgId, error }),
		);
}

/**
 * A unit of work for someone who is not a member here yet, or not signed in: signing in, email links,
 * joining. The actor is known only once the verb has found the person, so it is made on demand.
 */
export interface VisitorUnit {
	db: Db;
	tenant: TenantData;
	org: OrgData;
	notices: NotifyContext;
	passwords: Passwords;
	actorFor(id: string | null, label: string): AuditActor;
	ip: string | null;
	nowMs: number;
	requestId: string;
}

/**
 * A unit of work for an operator in the console, acting on one organization: its data (in whichever
 * database holds it), the operator as actor, and the bindings for queues and mail. Every operator
 * change is also written to the operator log, in the same batch.
 */
export interface OperatorUnit {
	db: Db;
	tenant: TenantData;
	actor: AuditActor & { type: "operator"; id: string };
	bindings: Bindings;
	dbConfig: DatabaseConfig;
	requestId: string;
}
