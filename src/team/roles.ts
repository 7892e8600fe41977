// Custom role verbs: create, edit, delete. Nobody makes or changes a role to hold permissions they do
// not hold themselves; a role still given to members or pending invitations cannot be deleted.
import { commit, type Unit } from "../audit/unit.ts";
import {
	countPendingInvitationsForRole,
	countRoleMembers,
	deleteRoleWrites,
	findCustomRole,
	insertRole,
	updateRole,
} from "../db/team.ts";
import { AppError } from "../lib/errors.ts";
import { canGrant, roleKey } from "./rules.ts";

export interface RoleFields {
	name: string;
	permissions: string[];
}

function refuseEscalation(unit: Unit, permissions: string[]) {
	if (!canGrant(unit.by.permissions, permissions)) {
		throw new AppError("forbidden", "A role cannot include permissions you do not have yourself.");
	}
}

/** A custom role of this organization; built-in roles and other organizations' roles are not found. */
async function customRole(unit: Unit, roleId: string) {
	const role = await findCustomRole(unit.org, roleId);
	if (!role) throw new AppError("not_found", "That role does not exist or cannot be changed.");
	return role;
}

export async function createRole(unit: Unit, { name, permissions }: RoleFields): Promise<void> {
	refuseEscalation(unit, permissions);
	const role = insertRole(unit.org, {
		name,
		key: `${roleKey(name)}-${crypto.getRandomValues(new Uint16Array(1))[0]}`,
		permissions,
	});
	await commit(
		unit,
		{ action: "role.created", target: { type: "role", id: role.id }, metadata: { name, permissions } },
		{ control: [role.query] },
	);
}

export async function editRole(unit: Unit, roleId: string, { name, permissions }: RoleFields): Promise<void> {
	const role = await customRole(unit, roleId);
	refuseEscalation(unit, [...permissions, ...role.permissions]);
	await commit(
		unit,
		{
			action: "role.updated",
			target: { type: "role", id: role.id },
			metadata: { before: { name: role.name, permissions: role.permissions }, after: { name, permissions } },
		},
		{ control: [updateRole(unit.org, role.id, { name, permissions })] },
	);
}

export async function deleteRole(unit: Unit, roleId: string, nowMs: number): Promise<void> {
	const role = await customRole(unit, roleId);
	const inUse = await countRoleMembers(unit.org, role.id);
	if (inUse > 0) {
		throw new AppError(
			"conflict",
			`${inUse} member${inUse === 1 ? " has" : "s have"} the role ${role.name}. Give them another role first.`,
		);
	}
	const invited = await countPendingInvitationsForRole(unit.org, role.id, nowMs);
	if (invited > 0) {
		throw new AppError(
			"conflict",
			`${invited} pending invitation${invited === 1 ? " uses" : "s use"} the role ${role.name}. Revoke them first.`,
		);
	}
	await commit(
		unit,
		{ action: "role.deleted", target: { type: "role", id: role.id }, metadata: { name: role.name } },
		{ control: deleteRoleWrites(unit.org, role.id) },
	);
}
