// Directory tokens: created with a name and shown once (only the SHA-256 is kept), several live at
// once so the IdP's token can be rotated without a gap, revocable. Audited, never the token.
import { commit, type Unit } from "../audit/unit.ts";
import { insertScimToken, listScimTokens, revokeScimToken } from "../db/directory.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import { AppError } from "../lib/errors.ts";

export const SCIM_TOKEN_PREFIX = "scim_";

export async function createScimToken(unit: Unit, name: string): Promise<string> {
	const token = `${SCIM_TOKEN_PREFIX}${randomToken(32)}`;
	const row = insertScimToken(unit.org, {
		name,
		tokenHash: await sha256Hex(token),
		last4: token.slice(-4),
		createdBy: unit.by.userId,
	});
	await commit(
		unit,
		{ action: "directory.token_created", target: { type: "scim_token", id: row.id }, metadata: { name } },
		{ control: [row.query] },
	);
	return token;
}

export async function revokeDirectoryToken(unit: Unit, tokenId: string, nowMs: number): Promise<void> {
	const token = (await listScimTokens(unit.org)).find((t) => t.id === tokenId && t.revokedAt === null);
	if (!token) throw new AppError("not_found", "No such token.");
	await commit(
		unit,
		{ action: "directory.token_revoked", target: { type: "scim_token", id: tokenId }, metadata: { name: token.name } },
		{ control: [revokeScimToken(unit.org, tokenId, nowMs)] },
	);
}
