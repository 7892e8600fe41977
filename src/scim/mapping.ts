// Group → role mapping, set by the organization's admin at /settings/directory: the directory-managed
// members of a mapped group hold its role (the highest of their mapped groups'), recomputed in the same
// batch as the mapping. The Owner role is never mapped (the database refuses it too), and nobody maps a
// role holding permissions they do not hold themselves.
import { commit, type Unit } from "../audit/unit.ts";
import { findDirectoryGroup, recomputeRoles, setGroupRole } from "../db/directory-groups.ts";
import { refusalOf } from "../db/preconditions.ts";
import { findRole } from "../db/team.ts";
import { AppError } from "../lib/errors.ts";
import { canGrant, isOwnerRole } from "../team/rules.ts";
import { defaultRoleId } from "./commit.ts";

export async function mapGroupRole(unit: Unit, groupId: string, roleId: string | null, nowMs: number) {
	const found = await findDirectoryGroup(unit.org, groupId, false);
	if (!found) throw new AppError("not_found", "That group does not exist.");
	const role = roleId ? await findRole(unit.org, roleId) : null;
	if (roleId && !role) throw new AppError("validation", "Choose one of the roles in the list.");
	if (role && isOwnerRole(role.id))
		throw new AppError("validation", "The Owner role cannot come from a group: make Owners on the Team page.");
	if (role && !canGrant(unit.by.permissions, role.permissions))
		throw new AppError("forbidden", "You cannot map a role with permissions you do not have.");
	if ((role?.id ?? null) === found.group.roleId) return;
	try {
		await commit(
			unit,
			{
				action: "directory.group_role_mapped",
				target: { type: "directory_group", id: groupId },
				metadata: { group: found.group.displayName, before: found.group.roleId, after: role?.id ?? null },
			},
			{
				control: [
					setGroupRole(unit.org, groupId, role?.id ?? null, nowMs),
					recomputeRoles(unit.org, { who: { groupId }, defaultRoleId: await defaultRoleId(unit.org) }),
				],
			},
		);
	} catch (error) {
		if (refusalOf(error) === "invalid_role") throw new AppError("validation", "Choose one of the roles in the list.");
		throw error;
	}
}
