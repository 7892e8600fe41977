// The one rule for an API key's state, read by the keys page, key verification and usage ingestion.
// Order matters: a revoked key is revoked whatever its dates; an expired one is expired even while a
// rotation's grace period would still run.

export type KeyState = "revoked" | "expired" | "rotated" | "rotating" | "active";

export function keyState(
	key: { revokedAt: number | null; expiresAt: number | null; graceUntil: number | null },
	nowMs: number,
): KeyState {
	if (key.revokedAt !== null) return "revoked";
	if (key.expiresAt !== null && key.expiresAt <= nowMs) return "expired";
	if (key.graceUntil !== null) return key.graceUntil <= nowMs ? "rotated" : "rotating";
	return "active";
}

/** Whether a key in this state authenticates: active, or rotated and still within its grace period. */
export function keyWorks(state: KeyState): boolean {
	return state === "active" || state === "rotating";
}
