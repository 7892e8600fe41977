// API key verbs: create, rotate, revoke, edit. Each commits its change with its audit event in one
// batch and tells the key managers. A secret is made in one place (`issue`), returned once to be shown,
// and only its SHA-256 is stored; audit events and notifications carry the masked form.
import { commit, type Unit } from "../audit/unit.ts";
import { findKey, insertKey, retireKey, revokeKey as revokeKeyQuery, updateKey } from "../db/keys.ts";
import { AppError } from "../lib/errors.ts";
import { notify } from "../notifications/notify.ts";
import { hashKey, KEY_PREFIX, maskKey, newKey } from "./format.ts";
import { GRACE_PERIODS, type GracePeriod } from "./scopes.ts";
import { keyState } from "./state.ts";

const DAY_MS = 86_400_000;

export interface KeyFields {
	name: string;
	scopes: string[];
	expiresAt: number | null;
	rateLimitPerMinute: number | null;
}

/** A key used in the last 30 days is revoked only when its name is typed. */
export function needsNameToRevoke(key: { lastUsedAt: number | null }, nowMs: number): boolean {
	return key.lastUsedAt !== null && key.lastUsedAt > nowMs - 30 * DAY_MS;
}

/** The organization's key, or 404: another organization's key is exactly as absent as one never made. */
export async function ownKey(unit: Unit, keyId: string) {
	const key = await findKey(unit.org, keyId);
	if (!key) throw new AppError("not_found", "That key does not exist.");
	return key;
}

async function issue(unit: Unit, fields: KeyFields) {
	const secret = newKey();
	const created = insertKey(unit.org, {
		...fields,
		hash: await hashKey(secret),
		prefix: KEY_PREFIX,
		last4: secret.slice(-4),
		createdBy: unit.by.userId,
		createdByLabel: unit.by.name,
	});
	return { secret, created };
}

export async function createKey(unit: Unit, fields: KeyFields): Promise<{ secret: string }> {
	const { secret, created } = await issue(unit, fields);
	await commit(
		unit,
		{
			action: "keys.created",
			target: { type: "api_key", id: created.id },
			metadata: { name: fields.name, scopes: fields.scopes, masked: maskKey(KEY_PREFIX, secret.slice(-4)) },
			webhook: {
				type: "api_key.created",
				data: { id: created.id, name: fields.name, scopes: fields.scopes, last4: secret.slice(-4) },
			},
		},
		{ control: [created.query] },
	);
	return { secret };
}

/** A new secret with the old key's settings; the old one keeps working for the grace period. */
export async function rotateKey(unit: Unit, keyId: string, grace: GracePeriod, nowMs: number) {
	const old = await ownKey(unit, keyId);
	if (keyState(old, nowMs) !== "active") throw new AppError("conflict", "Only an active key can be rotated.");
	const graceUntil = nowMs + GRACE_PERIODS[grace];
	const { secret, created } = await issue(unit, {
		name: old.name,
		scopes: old.scopes,
		expiresAt: old.expiresAt,
		rateLimitPerMinute: old.rateLimitPerMinute,
	});
	await commit(
		unit,
		{
			action: "keys.rotated",
			target: { type: "api_key", id: old.id },
			metadata: { name: old.name, replacedBy: created.id, grace },
		},
		{ control: [created.query, retireKey(unit.org, old.id, created.id, graceUntil)] },
	);
	await notify(
		unit.notices,
		{ permission: "keys:manage" },
		{
			category: "keys",
			title: `API key "${old.name}" was rotated`,
			body: `${unit.by.name} rotated the key ${maskKey(old.prefix, old.last4)}; the old secret ${grace === "none" ? "stopped working at once" : `works for ${grace} more`}.`,
			link: "/keys",
		},
	);
	return { name: old.name, secret, graceUntil: grace === "none" ? null : graceUntil };
}

export type RevokeResult =
	| { outcome: "revoked" | "already" }
	| { outcome: "confirm"; keyId: string; message: string; typed: string };

export async function revokeKey(unit: Unit, keyId: string, typedName: string, nowMs: number): Promise<RevokeResult> {
	const key = await ownKey(unit, keyId);
	if (key.revokedAt) return { outcome: "already" };
	if (needsNameToRevoke(key, nowMs) && typedName.trim() !== key.name) {
		const message = `This key was used in the last 30 days. Type its name, "${key.name}", to revoke it.`;
		return { outcome: "confirm", keyId: key.id, message, typed: typedName };
	}
	await commit(
		unit,
		{
			action: "keys.revoked",
			target: { type: "api_key", id: key.id },
			metadata: { name: key.name, masked: maskKey(key.prefix, key.last4) },
			webhook: { type: "api_key.revoked", data: { id: key.id, name: key.name, last4: key.last4 } },
		},
		{ control: [revokeKeyQuery(unit.org, key.id, nowMs)] },
	);
	await notify(
		unit.notices,
		{ permission: "keys:manage" },
		{
			category: "keys",
			title: `API key "${key.name}" was revoked`,
			body: `${unit.by.name} revoked the key ${maskKey(key.prefix, key.last4)}. It no longer works.`,
			link: "/keys",
		},
	);
	return { outcome: "revoked" };
}

export async function editKey(unit: Unit, keyId: string, fields: KeyFields): Promise<void> {
	const key = await ownKey(unit, keyId);
	await commit(
		unit,
		{
			action: "keys.updated",
			target: { type: "api_key", id: key.id },
			metadata: {
				before: {
					name: key.name,
					scopes: key.scopes,
					expiresAt: key.expiresAt,
					rateLimitPerMinute: key.rateLimitPerMinute,
				},
				after: fields,
			},
		},
		{ control: [updateKey(unit.org, key.id, fields)] },
	);
}
