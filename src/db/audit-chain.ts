// The audit chain's storage: unsealed events in order, the chain head, the seal writes, and retention
// through the gate the append-only triggers check.
import { and, asc, desc, eq, gt, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { auditChainHeads, auditEvents, auditRetentionGate } from "./schema.ts";
import { rowsOf, type TenantData } from "./tenant-data.ts";

export type AuditRow = typeof auditEvents.$inferSelect;
export type ChainHead = typeof auditChainHeads.$inferSelect;

export async function chainHead(tenant: TenantData): Promise<ChainHead | null> {
	return rowsOf(auditChainHeads, await tenant.select(auditChainHeads))[0] ?? null;
}

/** Unsealed events created before `settledBefore`, oldest first. */
export async function unsealedEvents(tenant: TenantData, settledBefore: number, limit: number): Promise<AuditRow[]> {
	const rows = await tenant
		.select(auditEvents, and(isNull(auditEvents.hash), lt(auditEvents.createdAt, settledBefore)))
		.orderBy(asc(auditEvents.createdAt), asc(auditEvents.id))
		.limit(limit);
	return rowsOf(auditEvents, rows);
}

export async function writeSeals(
	tenant: TenantData,
	seals: { id: string; prevHash: string; hash: string }[],
	head: { lastHash: string; lastCreatedAt: number; lastId: string; checkpointHash: string | null },
	nowMs: number,
) {
	const updates = seals.map((s) =>
		tenant.update(
			auditEvents,
			{ prevHash: s.prevHash, hash: s.hash },
			and(eq(auditEvents.id, s.id), isNull(auditEvents.hash)),
		),
	);
	const headWrite = tenant.insert(auditChainHeads, { ...head, updatedAt: nowMs }).onConflictDoUpdate({
		target: auditChainHeads.orgId,
		set: {
			lastHash: head.lastHash,
			lastCreatedAt: head.lastCreatedAt,
			lastId: head.lastId,
			updatedAt: nowMs,
		} as never,
	});
	await tenant.batch([headWrite, ...updates]);
}

/** Sealed events after (createdAt, id), oldest first: verification walks the chain with this. */
export async function sealedAfter(
	tenant: TenantData,
	after: { createdAt: number; id: string } | null,
	limit: number,
): Promise<AuditRow[]> {
	const cursor = after
		? or(
				gt(auditEvents.createdAt, after.createdAt),
				and(eq(auditEvents.createdAt, after.createdAt), gt(auditEvents.id, after.id)),
			)
		: undefined;
	const rows = await tenant
		.select(auditEvents, and(isNotNull(auditEvents.hash), cursor))
		.orderBy(asc(auditEvents.createdAt), asc(auditEvents.id))
		.limit(limit);
	return rowsOf(auditEvents, rows);
}

/**
 * Retention: deletes sealed events older than the cutoff through the gate, and records the hash of the
 * newest deleted one as the checkpoint the remaining chain starts from. One atomic batch.
 */
export async function deleteSealedBefore(tenant: TenantData, cutoffMs: number, nowMs: number): Promise<number> {
	const newest = rowsOf(
		auditEvents,
		await tenant
			.select(auditEvents, and(isNotNull(auditEvents.hash), lt(auditEvents.createdAt, cutoffMs)))
			.orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
			.limit(1),
	)[0];
	if (!newest?.hash) return 0;
	const upTo = or(
		lt(auditEvents.createdAt, newest.createdAt),
		and(eq(auditEvents.createdAt, newest.createdAt), sql`${auditEvents.id} <= ${newest.id}`),
	);
	const [, deleted] = await tenant.batch([
		tenant.insert(auditRetentionGate, {}).onConflictDoNothing(),
		tenant.delete(auditEvents, and(isNotNull(auditEvents.hash), upTo)),
		tenant
			.insert(auditChainHeads, {
				checkpointHash: newest.hash,
				lastHash: null,
				lastCreatedAt: null,
				lastId: null,
				updatedAt: nowMs,
			})
			.onConflictDoUpdate({
				target: auditChainHeads.orgId,
				set: { checkpointHash: newest.hash, updatedAt: nowMs } as never,
			}),
		tenant.delete(auditRetentionGate),
	]);
	return (deleted as { rowsAffected: number }).rowsAffected;
}

/** Opens the gate for the whole purge of an organization's tenant data (the batch closes it again). */
export function openRetentionGate(tenant: TenantData) {
	return tenant.insert(auditRetentionGate, {}).onConflictDoNothing();
}
