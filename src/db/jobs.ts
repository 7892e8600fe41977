// What the dispatchers read: the organizations that have work for a job, a page at a time, through
// indexes that lead to the rows with work (new usage events, unsealed audit events, a Stripe cache due,
// domains to check, retention due) — never a walk over every organization in the Worker. Dedicated-tier
// organizations keep their tenant data in their own database, which the main database cannot see into:
// they are listed for every tenant-data job (one message each; their consumer finds out cheaply).
import { eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import {
	auditEvents,
	domains,
	jobCursors,
	organizations,
	plans,
	portalEvents,
	ssoConnections,
	usageEvents,
	webhookDeliveries,
	webhookEvents,
} from "./schema.ts";

/** Organizations per dispatcher page: one query, then at most a few queue sends. */
export const DISPATCH_PAGE = 500;

export interface DuePage {
	orgIds: string[];
	/** Where the next page starts, or null when this was the last. */
	next: string | null;
}

const dedicated = (after: string) =>
	sql`select ${organizations.id} as org_id from ${organizations} where isolation_tier = 'dedicated' and status = 'active' and ${organizations.id} > ${after}`;

async function page(db: Db, query: SQL): Promise<DuePage> {
	const rows = await db.all<{ org_id: string }>(sql`${query} order by 1 limit ${DISPATCH_PAGE}`);
	const orgIds = rows.map((r) => r.org_id);
	return { orgIds, next: orgIds.length === DISPATCH_PAGE ? (orgIds.at(-1) ?? null) : null };
}

/** The usage events' sequence the dispatcher has handed out, and the newest one now. */
export async function usageRange(db: Db): Promise<{ from: number; to: number }> {
	const [cursor, newest] = await db.batch([
		db.select({ position: jobCursors.position }).from(jobCursors).where(eq(jobCursors.name, "usage")),
		db.select({ seq: sql<number | null>`max(${usageEvents.seq})` }).from(usageEvents),
	]);
	const from = cursor[0]?.position ?? 0;
	return { from, to: Math.max(from, newest[0]?.seq ?? 0) };
}

export function advanceUsageCursor(db: Db, to: number, nowMs: number) {
	return db
		.insert(jobCursors)
		.values({ name: "usage", position: to, updatedAt: nowMs })
		.onConflictDoUpdate({
			target: jobCursors.name,
			set: { position: sql`max(${jobCursors.position}, ${to})`, updatedAt: nowMs },
		});
}

export const dueOrganizations = {
	/** Organizations with usage events in (from, to] of the sequence: only the new events are read. */
	usage(db: Db, range: { from: number; to: number }, after: string): Promise<DuePage> {
		return page(
			db,
			sql`select ${usageEvents.orgId} as org_id from ${usageEvents} where ${usageEvents.seq} > ${range.from} and ${usageEvents.seq} <= ${range.to} and ${usageEvents.orgId} > ${after} group by ${usageEvents.orgId} union ${dedicated(after)}`,
		);
	},
	/** Organizations with settled events waiting to be sealed, through the partial index on unsealed events. */
	seal(db: Db, settledBefore: number, after: string): Promise<DuePage> {
		return page(
			db,
			sql`select distinct ${auditEvents.orgId} as org_id from ${auditEvents} where ${auditEvents.hash} is null and ${auditEvents.orgId} > ${after} and ${auditEvents.createdAt} < ${settledBefore} union ${dedicated(after)}`,
		);
	},
	/**
	 * Organizations whose Stripe cache was last confirmed before `dueBefore` (seconds), oldest first — a
	 * range of the partial index, so organizations a webhook kept current are not read. The cursor is
	 * "syncedAt:id".
	 */
	async reconcile(db: Db, dueBefore: number, after: string): Promise<DuePage> {
		const [syncedPart, idPart] = after.includes(":") ? after.split(":") : ["-1", ""];
		const synced = Number(syncedPart);
		const rows = await db.all<{ org_id: string; synced: number }>(
			sql`select id as org_id, coalesce(stripe_synced_at, 0) as synced from ${organizations}
			    where stripe_customer_id is not null and status = 'active' and coalesce(stripe_synced_at, 0) < ${dueBefore}
			      and (coalesce(stripe_synced_at, 0) > ${synced} or (coalesce(stripe_synced_at, 0) = ${synced} and id > ${idPart ?? ""}))
			    order by coalesce(stripe_synced_at, 0), id limit ${DISPATCH_PAGE}`,
		);
		const last = rows.at(-1);
		return {
			orgIds: rows.map((r) => r.org_id),
			next: rows.length === DISPATCH_PAGE && last ? `${last.synced}:${last.org_id}` : null,
		};
	},
	/** Organizations with a portal domain to check (verified, or waiting) or a verified email domain. */
	domains(db: Db, after: string): Promise<DuePage> {
		return page(
			db,
			sql`select distinct d.org_id as org_id from ${domains} d join ${organizations} o on o.id = d.org_id and o.status = 'active'
			    where (d.verified_at is not null or d.disabled_at is null) and d.org_id > ${after}
			    union select id from ${organizations} where mail_domain_verified_at is not null and status = 'active' and id > ${after}`,
		);
	},
	/** Organizations with webhook events to fan out or deliveries due, through the two partial indexes. */
	webhooks(db: Db, nowMs: number, after: string): Promise<DuePage> {
		return page(
			db,
			sql`select ${webhookEvents.orgId} as org_id from ${webhookEvents} where ${webhookEvents.fannedOutAt} is null and ${webhookEvents.orgId} > ${after}
			    union select ${webhookDeliveries.orgId} from ${webhookDeliveries} where ${webhookDeliveries.status} = 'pending' and ${webhookDeliveries.nextAttemptAt} <= ${nowMs} and ${webhookDeliveries.orgId} > ${after}
			    union ${dedicated(after)}`,
		);
	},
	/**
	 * The daily job's organizations: portal activity in the adoption window (their figures are not all
	 * zero), sealed audit events past their plan's retention, or a SAML signing certificate within the
	 * notice window. One index probe each, in SQL.
	 */
	daily(
		db: Db,
		cutoffs: {
			activeSince: number;
			freeCutoff: number;
			paidCutoff: number;
			nowMs: number;
			noticeUntil: number;
			webhookCutoff: number;
		},
		after: string,
	) {
		return page(
			db,
			sql`select o.id as org_id from ${organizations} o left join ${plans} p on p.id = o.plan_id
			    where o.status = 'active' and o.id > ${after} and (
			      o.isolation_tier = 'dedicated'
			      or exists (select 1 from ${portalEvents} e where e.org_id = o.id and e.created_at >= ${cutoffs.activeSince})
			      or exists (select 1 from ${auditEvents} a where a.org_id = o.id and a.created_at <
			           case when coalesce(p.price_minor, 0) > 0 then ${cutoffs.paidCutoff} else ${cutoffs.freeCutoff} end)
			      or exists (select 1 from ${webhookEvents} w where w.org_id = o.id and w.created_at < ${cutoffs.webhookCutoff})
			      or exists (select 1 from ${ssoConnections} c, json_each(c.saml_certificates) j where c.org_id = o.id and c.protocol = 'saml'
			           and json_extract(j.value, '$.notAfter') between ${cutoffs.nowMs} and ${cutoffs.noticeUntil}))`,
		);
	},
};
