// The audit chain's storage: unsealed events in order, the chain head, the seal writes, and retention
// through the gate the append-only triggers check.
import { and, asc, desc, eq, gt, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { auditChainHeads, auditEvents, auditRetentionGate } from "./schema.ts";
import type { TenantData } from "./tenant-data.ts";

/** The hash the first event chains to when nothing came before it. */
export const GENESIS = "genesis";

export type AuditRow = typeof auditEvents.$inferSelect;
export type ChainHead = typeof auditChainHeads.$inferSelect;

export async function chainHead(tenant: TenantData): Promise<ChainHead | null> {
	return (await tenant.select(auditChainHeads))[0] ?? null;
}

/**
 * The chain head and the unsealed events created before `settledBefore` (oldest first), read together
 * in one transaction: the events are exactly those not sealed as of that head. One round trip, through
 * the primary key and the partial index on unsealed events, whatever the history.
 */
export async function headAndUnsealed(
	tenant: TenantData,
	settledBefore: number,
	limit: number,
): Promise<{ head: ChainHead | null; events: AuditRow[] }> {
	const [head, events] = await tenant.batch([
		tenant.select(auditChainHeads),
		unsealedQuery(tenant, settledBefore, limit),
	]);
	return { head: head[0] ?? null, events: events };
}

/** Unsealed events created before `settledBefore`, oldest first (a range of the partial index). */
export function unsealedQuery(tenant: TenantData, settledBefore: number, limit: number) {
	return tenant
		.select(auditEvents, and(isNull(auditEvents.hash), lt(auditEvents.createdAt, settledBefore)))
		.orderBy(asc(auditEvents.createdAt), asc(auditEvents.id))
		.limit(limit);
}

/**
 * The seals and the new chain head, in one batch that first checks the head is still the one the run
 * chained from (`fromHash`): of two overlapping runs, the one that commits second writes nothing (it
 * throws a precondition refusal), so the chain never forks.
 */
export async function writeSeals(
	tenant: TenantData,
	seals: { id: string; prevHash: string; hash: string }[],
	head: { lastHash: string; lastCreatedAt: number; lastId: string; checkpointHash: string | null },
	fromHash: string,
	nowMs: number,
) {
	const headNow = sql`coalesce((select coalesce(${auditChainHeads.lastHash}, ${auditChainHeads.checkpointHash}) from ${auditChainHeads} where ${auditChainHeads.orgId} = ${tenant.orgId}), ${GENESIS})`;
	const updates = seals.map((s) =>
		tenant.update(
			auditEvents,
			{ prevHash: s.prevHash, hash: s.hash },
			and(eq(auditEvents.id, s.id), isNull(auditEvents.hash)),
		),
	);
	const headWrite = tenant.upsert(auditChainHeads, { ...head, updatedAt: nowMs }, auditChainHeads.orgId, {
		lastHash: head.lastHash,
		lastCreatedAt: head.lastCreatedAt,
		lastId: head.lastId,
		updatedAt: nowMs,
	});
	await tenant.batch([tenant.requireThat(sql`${headNow} = ${fromHash}`, "chain head moved"), headWrite, ...updates]);
}

/** Events after a (createdAt, id) cursor in the log's order; no condition without one. */
export function auditAfter(after: { createdAt: number; id: string } | null) {
	return after
		? or(
				gt(auditEvents.createdAt, after.createdAt),
				and(eq(auditEvents.createdAt, after.createdAt), gt(auditEvents.id, after.id)),
			)
		: undefined;
}

/** Sealed events after (createdAt, id), oldest first: verification walks the chain with this. */
export async function sealedAfter(
	tenant: TenantData,
	after: { createdAt: number; id: string } | null,
	limit: number,
): Promise<AuditRow[]> {
	const rows = await tenant
		.select(auditEvents, and(isNotNull(auditEvents.hash), auditAfter(after)))
		.orderBy(asc(auditEvents.createdAt), asc(auditEvents.id))
		.limit(limit);
	return rows;
}

/** At most this many audit events leave per retention run: the next run takes the rest. */
export const RETENTION_BATCH = 5000;

/**
 * Retention: deletes sealed events older than the cutoff through the gate — the oldest
 * `RETENTION_BATCH` at most — and records the hash of the newest deleted one as the checkpoint the
 * remaining chain starts from. One read (one round trip) and one atomic batch.
 */
export async function deleteSealedBefore(tenant: TenantData, cutoffMs: number, nowMs: number): Promise<number> {
	const old = and(isNotNull(auditEvents.hash), lt(auditEvents.createdAt, cutoffMs));
	const [batchEnd, newestOld] = await tenant.batch([
		tenant
			.select(auditEvents, old)
			.orderBy(asc(auditEvents.createdAt), asc(auditEvents.id))
			.limit(1)
			.offset(RETENTION_BATCH - 1),
		tenant.select(auditEvents, old).orderBy(desc(auditEvents.createdAt), desc(auditEvents.id)).limit(1),
	]);
	const newest = batchEnd[0] ?? newestOld[0];
	if (!newest?.hash) return 0;
	const upTo = or(
		lt(auditEvents.createdAt, newest.createdAt),
		and(eq(auditEvents.createdAt, newest.createdAt), sql`${auditEvents.id} <= ${newest.id}`),
	);
	const [, deleted] = await tenant.batch([
		tenant.insert(auditRetentionGate, {}).onConflictDoNothing(),
		tenant.delete(auditEvents, and(isNotNull(auditEvents.hash), upTo)),
		tenant.upsert(
			auditChainHeads,
			{ checkpointHash: newest.hash, lastHash: null, lastCreatedAt: null, lastId: null, updatedAt: nowMs },
			auditChainHeads.orgId,
			{ checkpointHash: newest.hash, updatedAt: nowMs },
		),
		tenant.delete(auditRetentionGate),
	]);
	return (deleted as { rowsAffected: number }).rowsAffected;
}

/** Opens the gate for the whole purge of an organization's tenant data (the batch closes it again). */
export function openRetentionGate(tenant: TenantData) {
	return tenant.insert(auditRetentionGate, {}).onConflictDoNothing();
}
