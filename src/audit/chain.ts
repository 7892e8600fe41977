// The tamper-evident chain: sealing (every 5 minutes, events older than a minute, in order) and
// verification. Each event's hash covers its content and the previous event's hash, so an edited,
// deleted or reordered event breaks the chain at that point.
import { type AuditRow, chainHead, sealedAfter, unsealedEvents, writeSeals } from "../db/audit-chain.ts";
import type { TenantData } from "../db/tenant-data.ts";
import { sha256Hex } from "../lib/crypto.ts";

export const GENESIS = "genesis";
const SETTLE_MS = 60_000;
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

export async function sealTenant(tenant: TenantData, nowMs: number): Promise<number> {
	let sealed = 0;
	for (;;) {
		const head = await chainHead(tenant);
		const events = await unsealedEvents(tenant, nowMs - SETTLE_MS, PAGE);
		if (events.length === 0) return sealed;
		let prev = head?.lastHash ?? head?.checkpointHash ?? GENESIS;
		const seals = [];
		for (const e of events) {
			const hash = await eventHash(prev, e);
			seals.push({ id: e.id, prevHash: prev, hash });
			prev = hash;
		}
		const last = events[events.length - 1] as AuditRow;
		await writeSeals(
			tenant,
			seals,
			{ lastHash: prev, lastCreatedAt: last.createdAt, lastId: last.id, checkpointHash: head?.checkpointHash ?? null },
			nowMs,
		);
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
