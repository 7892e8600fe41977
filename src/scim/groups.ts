// SCIM Groups (RFC 7643 §4.2): the directory's groups of an organization and their members (the
// organization's SCIM Users). A group mapped to a role in the portal sets the role of the
// directory-managed members in it: every change that can move a role recomputes it in the same batch.
// PATCH accepts what Okta and Microsoft Entra ID send: ops in any case, `members` added or removed many
// at once, a member removed by its value filter (`members[value eq "…"]`), a path-less value object.
import { parse } from "scim2-parse-filter";
import * as z from "zod";
import {
	addGroupMembers,
	type DirectoryGroup,
	deleteGroup,
	findDirectoryGroup,
	type GroupMember,
	groupMemberIds,
	insertGroup,
	knownUserIds,
	recomputeRoles,
	removeGroupMembers,
	updateGroup,
} from "../db/directory-groups.ts";
import { newId } from "../lib/ids.ts";
import { defaultRoleId, type ScimContext, scimCommit } from "./commit.ts";
import { ScimError } from "./errors.ts";
import type { patchInput } from "./patch.ts";

export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
/** The most member values one request may name (Entra sends a few hundred at most). */
export const MAX_MEMBER_VALUES = 10_000;

const memberValue = z.looseObject({ value: z.string().trim().min(1).max(100) });

export const groupInput = z.looseObject({
	displayName: z.string().trim().min(1, { error: "displayName is required." }).max(200),
	externalId: z.string().trim().max(255).nullish(),
	members: z.array(memberValue).max(MAX_MEMBER_VALUES).nullish(),
});
export type GroupInput = z.infer<typeof groupInput>;

const DUPLICATE = "Another group already has this displayName or externalId.";

export function groupResource(ctx: Pick<ScimContext, "baseUrl">, group: DirectoryGroup, members: GroupMember[] | null) {
	return {
		schemas: [GROUP_SCHEMA],
		id: group.id,
		...(group.externalId ? { externalId: group.externalId } : {}),
		displayName: group.displayName,
		...(members
			? {
					members: members.map((m) => ({
						value: m.value,
						display: m.display,
						type: "User",
						$ref: `${ctx.baseUrl}/Users/${m.value}`,
					})),
				}
			: {}),
		meta: {
			resourceType: "Group",
			created: new Date(group.createdAt).toISOString(),
			lastModified: new Date(group.updatedAt).toISOString(),
			location: `${ctx.baseUrl}/Groups/${group.id}`,
		},
	};
}

/** What a PUT or PATCH asks of a group's members: a new list, and/or members added (true) or removed. */
export interface GroupChange {
	displayName?: string;
	externalId?: string | null;
	replace: Set<string> | null;
	changes: Map<string, boolean>;
}

async function requireKnown(ctx: ScimContext, ids: string[]) {
	const known = await knownUserIds(ctx.org, ids);
	const unknown = ids.find((id) => !known.has(id));
	if (unknown) throw new ScimError(400, `members: there is no user "${unknown}".`, "invalidValue");
}

export async function createGroup(ctx: ScimContext, input: GroupInput): Promise<string> {
	const ids = [...new Set((input.members ?? []).map((m) => m.value))];
	await requireKnown(ctx, ids);
	const id = newId("dgr");
	await scimCommit(
		ctx,
		{
			action: "directory.group_created",
			target: { type: "directory_group", id },
			metadata: { displayName: input.displayName, members: ids.length },
		},
		[
			insertGroup(ctx.org, {
				id,
				displayName: input.displayName,
				externalId: input.externalId ?? null,
				nowMs: ctx.nowMs,
			}),
			...(ids.length > 0 ? [addGroupMembers(ctx.org, id, ids)] : []),
		],
		DUPLICATE,
	);
	return id;
}

export function putToChange(input: GroupInput): GroupChange {
	return {
		displayName: input.displayName,
		externalId: input.externalId ?? null,
		replace: new Set((input.members ?? []).map((m) => m.value)),
		changes: new Map(),
	};
}

/** The member ids an operation's value names: `[{value}]`, one `{value}`, or a bare id. */
function memberIds(value: unknown): string[] {
	const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
	return list.map((item) => {
		const id = typeof item === "string" ? item : (item as { value?: unknown })?.value;
		if (typeof id !== "string" || id.trim() === "" || id.length > 100)
			throw new ScimError(400, "members: each member needs a value (the user's id).", "invalidValue");
		return id.trim();
	});
}

/** `members[value eq "a"]`, `members[value eq "a" or value eq "b"]`: the ids it names. */
function filteredMemberIds(path: string): string[] {
	let ast: ReturnType<typeof parse>;
	try {
		ast = parse(path);
	} catch {
		throw new ScimError(400, `"${path}" is not a valid path.`, "invalidPath");
	}
	if (ast.op !== "[]" || ast.attrPath.toLowerCase() !== "members")
		throw new ScimError(400, `"${path}" is not a path Portico holds.`, "invalidPath");
	const ids: string[] = [];
	const walk = (f: ReturnType<typeof parse>) => {
		if (f.op === "or") f.filters.forEach(walk);
		else if (f.op === "eq" && f.attrPath.toLowerCase() === "value" && typeof f.compValue === "string")
			ids.push(f.compValue);
		else throw new ScimError(400, 'Members are removed by value eq "id".', "invalidFilter");
	};
	walk(ast.valFilter);
	return ids;
}

function text(value: unknown, name: string): string {
	if (typeof value !== "string" || value.trim() === "" || value.length > 255)
		throw new ScimError(400, `${name} must be a non-empty string.`, "invalidValue");
	return value.trim();
}

/** The change a list of PATCH operations asks of a group, in their order. */
export function groupPatchToChange(operations: z.infer<typeof patchInput>["Operations"]): GroupChange {
	const change: GroupChange = { replace: null, changes: new Map() };
	let named = 0;
	const members = (op: "add" | "replace" | "remove", ids: string[]) => {
		named += ids.length;
		if (named > MAX_MEMBER_VALUES)
			throw new ScimError(400, `At most ${MAX_MEMBER_VALUES} members in one request.`, "tooMany");
		if (op === "replace") {
			change.replace = new Set(ids);
			change.changes.clear();
			return;
		}
		for (const id of ids) {
			if (change.replace) {
				if (op === "add") change.replace.add(id);
				else change.replace.delete(id);
			} else change.changes.set(id, op === "add");
		}
	};
	const apply = (op: "add" | "replace" | "remove", path: string, value: unknown) => {
		const lower = path.replace(/^urn:ietf:params:scim:schemas:core:2\.0:Group:/i, "").toLowerCase();
		if (lower === "members") members(op, memberIds(value));
		else if (lower === "displayname") change.displayName = text(value, "displayName");
		else if (lower === "externalid") change.externalId = text(value, "externalId");
		else if (lower === "id" || lower === "schemas" || lower === "meta") {
			// Okta repeats the id in a path-less replace; read-only attributes are accepted unchanged.
		} else throw new ScimError(400, `"${path}" is not an attribute Portico holds.`, "invalidPath");
	};
	for (const operation of operations) {
		const op = operation.op;
		const path = operation.path?.trim();
		if (op === "remove") {
			if (!path) throw new ScimError(400, "remove needs a path.", "noTarget");
			if (path.includes("[")) members("remove", filteredMemberIds(path));
			else if (path.toLowerCase() === "members")
				// Without a value: every member (RFC 7644 §3.5.2.2); with one: those named (Entra).
				operation.value === undefined ? members("replace", []) : members("remove", memberIds(operation.value));
			else if (path.toLowerCase() === "externalid") change.externalId = null;
			else throw new ScimError(400, `"${path}" cannot be removed.`, "mutability");
		} else if (path) apply(op, path, operation.value);
		else if (typeof operation.value === "object" && operation.value !== null && !Array.isArray(operation.value)) {
			for (const [key, value] of Object.entries(operation.value)) apply(op, key, value);
		} else throw new ScimError(400, "An operation without a path needs an object value.", "invalidValue");
	}
	return change;
}

export async function changeGroup(ctx: ScimContext, group: DirectoryGroup, change: GroupChange): Promise<void> {
	const added = change.replace ? [...change.replace] : [...change.changes].filter(([, add]) => add).map(([id]) => id);
	const removed = change.replace ? [] : [...change.changes].filter(([, add]) => !add).map(([id]) => id);
	await requireKnown(ctx, added);
	const before = change.replace ? await groupMemberIds(ctx.org, group.id) : [];
	const writes: unknown[] = [
		updateGroup(ctx.org, group.id, {
			...(change.displayName !== undefined ? { displayName: change.displayName } : {}),
			...(change.externalId !== undefined ? { externalId: change.externalId } : {}),
			updatedAt: ctx.nowMs,
		}),
	];
	if (change.replace) writes.push(removeGroupMembers(ctx.org, group.id, { notIn: added }));
	else if (removed.length > 0) writes.push(removeGroupMembers(ctx.org, group.id, { in: removed }));
	if (added.length > 0) writes.push(addGroupMembers(ctx.org, group.id, added));
	const affected = [...new Set([...before, ...added, ...removed])];
	if (group.roleId && affected.length > 0)
		writes.push(recomputeRoles(ctx.org, { who: affected, defaultRoleId: await defaultRoleId(ctx.org) }));
	const beforeSet = new Set(before);
	const joined = change.replace ? added.filter((id) => !beforeSet.has(id)) : added;
	const left = change.replace ? before.filter((id) => !change.replace?.has(id)) : removed;
	await scimCommit(
		ctx,
		{
			action: "directory.group_updated",
			target: { type: "directory_group", id: group.id },
			metadata: {
				displayName: change.displayName ?? group.displayName,
				...(change.displayName !== undefined && change.displayName !== group.displayName
					? { renamedFrom: group.displayName }
					: {}),
				added: joined.slice(0, 100),
				removed: left.slice(0, 100),
				addedCount: joined.length,
				removedCount: left.length,
			},
		},
		writes,
		DUPLICATE,
	);
}

export async function removeGroup(ctx: ScimContext, group: DirectoryGroup): Promise<void> {
	await scimCommit(
		ctx,
		{
			action: "directory.group_deleted",
			target: { type: "directory_group", id: group.id },
			metadata: { displayName: group.displayName },
		},
		[
			// Before the group goes: its members' roles as if it were gone already.
			...(group.roleId
				? [
						recomputeRoles(ctx.org, {
							who: { groupId: group.id },
							excludeGroupId: group.id,
							defaultRoleId: await defaultRoleId(ctx.org),
						}),
					]
				: []),
			deleteGroup(ctx.org, group.id),
		],
		DUPLICATE,
	);
}

export async function visibleGroup(ctx: ScimContext, id: string, withMembers = true) {
	if (!/^dgr_[0-9a-z]{26}$/.test(id)) throw new ScimError(404, "There is no such group.");
	const found = await findDirectoryGroup(ctx.org, id, withMembers);
	if (!found) throw new ScimError(404, "There is no such group.");
	return found;
}
