// Member verbs: change a role, remove, leave, and ownership transfer (nominate, accept, cancel). The
// rules (rank, the Owner role, never your own membership) are checked here; the last-Owner rule is the
// database's (a trigger on memberships), so two Owners demoting each other at once cannot both succeed.
import { commit, type Unit } from "../audit/unit.ts";
import { commitWithAudit } from "../db/audit.ts";
import { roleSourceOf } from "../db/directory-groups.ts";
import { refusalOf, requireThat } from "../db/preconditions.ts";
import {
	demoteOwner,
	findMember,
	findRole,
	nominationStands,
	removeMemberWrites,
	setMemberRole,
	setOwnershipNominee,
} from "../db/team.ts";
import { AppError } from "../lib/errors.ts";
import { notify } from "../notifications/notify.ts";
import { canGrant, isOwnerRole } from "./rules.ts";

const LAST_OWNER = "An organization always needs an Owner. Make someone else an Owner first.";

/** Another member the acting one may change: theirs to manage by rank, never themselves; else 404/403. */
export async function targetMember(unit: Unit, membershipId: string) {
	const member = await findMember(unit.org, membershipId);
	// Another organization's member is exactly as absent as one that never existed.
	if (!member) throw new AppError("not_found", "That member does not exist.");
	if (member.userId === unit.by.userId)
		throw new AppError(
			"conflict",
			"You cannot change your own membership here. Ask another owner or admin, or leave the organization.",
		);
	if (isOwnerRole(member.roleId) && !isOwnerRole(unit.by.roleId)) {
		throw new AppError("forbidden", "Only an Owner can change or remove an Owner.");
	}
	// Rank: nobody changes or removes someone who holds a permission they do not hold themselves.
	if (!isOwnerRole(unit.by.roleId) && !canGrant(unit.by.permissions, member.permissions)) {
		throw new AppError(
			"forbidden",
			`${member.name} holds permissions you do not have. Ask an Owner or an Admin to change their membership.`,
		);
	}
	return member;
}

async function keepingAnOwner(write: Promise<void>, message = LAST_OWNER): Promise<void> {
	try {
		await write;
	} catch (error) {
		if (refusalOf(error) === "last_owner") throw new AppError("conflict", message);
		throw error;
	}
}

/** Returns false when the member already has the role (nothing written). */
export async function changeRole(unit: Unit, orgName: string, membershipId: string, roleId: string) {
	const member = await targetMember(unit, membershipId);
	const role = await findRole(unit.org, roleId);
	if (!role) throw new AppError("validation", "Choose one of the roles in the list.");
	if (isOwnerRole(role.id) && !isOwnerRole(unit.by.roleId))
		throw new AppError("forbidden", "Only an Owner can make someone an Owner.");
	if (!canGrant(unit.by.permissions, role.permissions))
		throw new AppError("forbidden", "You cannot grant a role with permissions you do not have.");
	if (role.id === member.roleId) return false;
	const group = member.directoryManaged ? await roleSourceOf(unit.org, member.id) : null;
	if (group)
		throw new AppError(
			"conflict",
			`${member.name}'s role comes from the directory group “${group}”: change the group's role at Directory sync, or their groups at your identity provider.`,
		);
	await keepingAnOwner(
		commit(
			unit,
			{
				action: "team.role_changed",
				target: { type: "member", id: member.id },
				metadata: { member: member.email, before: member.roleId, after: role.id },
				webhook: {
					type: "member.role_changed",
					data: { id: member.id, email: member.email, role: role.key, previousRoleId: member.roleId, roleId: role.id },
				},
			},
			{ control: [setMemberRole(unit.org, member.id, role.id)] },
		),
	);
	await notify(
		unit.notices,
		{ userIds: [member.userId] },
		{
			category: "team",
			title: `Your role is now ${role.name}`,
			body: `${unit.by.name} changed your role in ${orgName} to ${role.name}.`,
			link: "/",
		},
	);
	return true;
}

export async function removeMember(unit: Unit, orgName: string, membershipId: string): Promise<void> {
	const member = await targetMember(unit, membershipId);
	// The directory decides who is active: removing by hand would be undone at its next sync.
	if (member.directoryManaged && member.deprovisionedAt === null)
		throw new AppError(
			"conflict",
			`${member.name} is managed by your identity provider's directory sync: remove or deactivate them there.`,
		);
	await keepingAnOwner(
		commit(
			unit,
			{
				action: "team.member_removed",
				target: { type: "member", id: member.id },
				metadata: { member: member.email },
				webhook: { type: "member.removed", data: { id: member.id, email: member.email, reason: "removed" } },
			},
			{ control: removeMemberWrites(unit.org, member) },
		),
	);
	await notify(
		unit.notices,
		{ userIds: [member.userId] },
		{
			category: "team",
			title: `You were removed from ${orgName}`,
			body: `${unit.by.name} removed you from ${orgName}'s portal. Ask an owner or admin if this is a mistake.`,
		},
	);
}

export async function leave(unit: Unit): Promise<void> {
	await keepingAnOwner(
		commit(
			unit,
			{
				action: "team.member_left",
				target: { type: "member", id: unit.by.membershipId },
				webhook: {
					type: "member.removed",
					data: { id: unit.by.membershipId, email: unit.by.email, reason: "left" },
				},
			},
			{
				control: removeMemberWrites(unit.org, { id: unit.by.membershipId, userId: unit.by.userId }),
			},
		),
		"You are the last Owner. Make someone else an Owner before you leave.",
	);
}

export function requireOwner(unit: Unit): void {
	if (!isOwnerRole(unit.by.roleId)) throw new AppError("forbidden", "Only an Owner can transfer ownership.");
}

export async function nominateOwner(unit: Unit, membershipId: string): Promise<void> {
	requireOwner(unit);
	const member = await targetMember(unit, membershipId);
	if (isOwnerRole(member.roleId)) throw new AppError("conflict", `${member.name} is already an Owner.`);
	await commit(
		unit,
		{
			action: "team.ownership_nominated",
			target: { type: "member", id: member.id },
			metadata: { nominee: member.email },
		},
		{ control: [setOwnershipNominee(unit.org, member.userId, unit.by.userId)] },
	);
}

interface Nomination {
	name: string;
	ownershipNomineeId: string | null;
	ownershipNominatedBy: string | null;
}

export async function acceptOwnership(unit: Unit, org: Nomination): Promise<void> {
	const noNomination = new AppError("not_found", "There is no ownership nomination for you.");
	const nominatedBy = org.ownershipNominatedBy;
	if (org.ownershipNomineeId !== unit.by.userId || !nominatedBy) throw noNomination;
	const { db } = unit;
	try {
		await commitWithAudit(
			db,
			unit.tenant,
			unit.actor,
			{ action: "team.ownership_transferred", metadata: { from: nominatedBy, to: unit.by.userId } },
			{
				control: [
					// Decided when it is written: the nomination still stands and its maker is still an Owner
					// (a demoted or departed nominator's nomination ends with their role, by trigger).
					requireThat(db, nominationStands(unit.org, unit.by.userId, nominatedBy), "ownership nomination"),
					setMemberRole(unit.org, unit.by.membershipId, "rol_builtin_owner"),
					demoteOwner(unit.org, nominatedBy),
					setOwnershipNominee(unit.org, null, null),
				],
			},
		);
	} catch (error) {
		if (refusalOf(error) === "precondition_failed") throw noNomination;
		throw error;
	}
	await notify(
		unit.notices,
		{ permission: "danger:manage" },
		{
			category: "team",
			title: `${unit.by.name} is now an Owner`,
			body: `Ownership of ${org.name} was transferred to ${unit.by.name}.`,
			link: "/team",
		},
	);
}

/** Returns false when there is no nomination (nothing written). */
export async function cancelNomination(unit: Unit, org: Nomination): Promise<boolean> {
	if (!org.ownershipNomineeId) return false;
	if (org.ownershipNomineeId !== unit.by.userId && !isOwnerRole(unit.by.roleId)) {
		throw new AppError("forbidden", "Only the nominee or an Owner can cancel the nomination.");
	}
	await commit(
		unit,
		{ action: "team.ownership_nomination_cancelled" },
		{ control: [setOwnershipNominee(unit.org, null, null)] },
	);
	return true;
}
