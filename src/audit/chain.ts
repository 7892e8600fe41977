// The tamper-evident chain: sealing (every 5 minutes, events older than a minute, in order) and
// verification. Each event's hash covers its content and the previous event's hash, so an edited,
// deleted or reordered event breaks the chain at that point.
import { type AuditRow, chainHead, GENESIS, headAndUnsealed, sealedAfter, writeSeals } from "../db/audit-chain.ts";
import { refusalOf } from "../db/preconditions.ts";
import type { TenantData } from "../db/tenant-data.ts";
import { sha256Hex } from "../lib/crypto.ts";

export { GENESIS };
/** Events younger than this are left for the next run (a request may still be writing its batch). */
export const SETTLE_MS = 60_000;
const PAGE = 1000;

function canonical(e: AuditRow): string {
	return JSON.stringify([
		e.id,
		e.orgId,
		e.actorType,
		e.actorId,
		e.actorLabel,
		e.action,
		e.targetType,
		e.targetId,
		e.metadata,
		e.ip,
		e.userAgent,
		e.createdAt,
	]);
}

export function eventHash(prevHash: string, e: AuditRow): Promise<string> {
	return sha256Hex(`${prevHash}\n${canonical(e)}`);
}

/**
 * Seals the settled events in order. Idle, it costs one round trip (the head by its key, the unsealed
 * events through their partial index), whatever the history. A run that overlaps another (a cron overrun, a queue retry) and loses the race
 * for the chain head stops without writing: the other run's seals stand and the next run goes on.
 */
export async function sealTenant(tenant: TenantData, nowMs: number): Promise<number> {
	let sealed = 0;
	for (;;) {
		const { head, events } = await headAndUnsealed(tenant, nowMs - SETTLE_MS, PAGE);
		if (events.length === 0) return sealed;
		const from = head?.lastHash ?? head?.checkpointHash ?? GENESIS;
		let prev = from;
		const seals = [];
		for (const e of events) {
			const hash = await eventHash(prev, e);
			seals.push({ id: e.id, prevHash: prev, hash });
			prev = hash;
		}
		const last = events[events.length - 1] as AuditRow;
		try {
			await writeSeals(
				tenant,
				seals,
				{
					lastHash: prev,
					lastCreatedAt: last.createdAt,
					lastId: last.id,
					checkpointHash: head?.checkpointHash ?? null,
				},
				from,
				nowMs,
			);
		} catch (error) {
			if (refusalOf(error) === "precondition_failed") return sealed;
			throw error;
		}
		sealed += events.length;
		if (events.length < PAGE) return sealed;
	}
}

export type Verification =
	| { ok: true; checked: number }
	| { ok: false; checked: number; brokenAt: { id: string; createdAt: number; reason: string } };

export async function verifyTenant(tenant: TenantData): Promise<Verification> {
	const head = await chainHead(tenant);
	let expectedPrev = head?.checkpointHash ?? GENESIS;
	let checked = 0;
	let after: { createdAt: number; id: string } | null = null;
	for (;;) {
		const events = await sealedAfter(tenant, after, PAGE);
		for (const e of events) {
			if (e.prevHash !== expectedPrev) {
				return {
					ok: false,
					checked,
					brokenAt: {
						id: e.id,
						createdAt: e.createdAt,
						reason: "An event before this one is missing or out of order.",
					},
				};
			}
			if ((await eventHash(e.prevHash, e)) !== e.hash) {
				return {
					ok: false,
					checked,
					brokenAt: { id: e.id, createdAt: e.createdAt, reason: "This event was changed after it was recorded." },
				};
			}
			expectedPrev = e.hash;
			checked++;
		}
		if (events.length < PAGE) break;
		const last = events[events.length - 1] as AuditRow;
		after = { createdAt: last.createdAt, id: last.id };
	}
	if (head?.lastHash && checked > 0 && expectedPrev !== head.lastHash) {
		return {
			ok: false,
			checked,
			brokenAt: {
				id: head.lastId ?? "",
				createdAt: head.lastCreatedAt ?? 0,
				reason: "The newest sealed events are missing.",
			},
		};
	}
	return { ok: true, checked };
}
