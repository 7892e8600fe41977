// SCIM Users (RFC 7643 §4.1) are the organization's members: a member's id is the resource id, their
// email the userName and the one work email, their name the displayName. The directory's writes:
// create (an existing person joins; a new one is created without a password), replace, patch,
// deactivate (`active: false` or DELETE — sessions end, API keys lose their owner link, no seat is
// held) and reactivate (a seat is needed again). Seats and the last Owner are decided by the writes.
import * as z from "zod";
import {
	type DirectoryUser,
	deactivationWrites,
	findDirectoryUser,
	findMembershipOf,
	membershipsOfUser,
	setDirectoryFields,
	setUserName,
} from "../db/directory.ts";
import { leaveAllGroups } from "../db/directory-groups.ts";
import type { OrgData } from "../db/org-data.ts";
import { findPlanLimits } from "../db/organizations.ts";
import { requireThat } from "../db/preconditions.ts";
import { insertMembership, seatsFree } from "../db/team.ts";
import { findUserByEmail, insertUser, setEmail } from "../db/users.ts";
import { newId } from "../lib/ids.ts";
import { seatLimit } from "../team/rules.ts";
import { defaultRoleId, type ScimContext, scimCommit } from "./commit.ts";
import { ScimError } from "./errors.ts";

export type { ScimContext };

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

/** Entra ID sends booleans as "True"/"False". */
export const scimBoolean = z.union([
	z.boolean(),
	z
		.string()
		.regex(/^(true|false)$/i, { error: "Use true or false." })
		.transform((s) => s.toLowerCase() === "true"),
]);

const emailSchema = z.looseObject({
	value: z.string().trim().max(320),
	type: z.string().max(50).optional(),
	primary: scimBoolean.optional(),
});

export const userInput = z.looseObject({
	userName: z.string().trim().min(1, { error: "userName is required." }).max(320),
	externalId: z.string().trim().max(255).nullish(),
	displayName: z.string().trim().max(200).nullish(),
	name: z
		.looseObject({
			formatted: z.string().trim().max(200).nullish(),
			givenName: z.string().trim().max(100).nullish(),
			familyName: z.string().trim().max(100).nullish(),
		})
		.nullish(),
	emails: z.array(emailSchema).max(20).nullish(),
	active: scimBoolean.optional(),
});
export type UserInput = z.infer<typeof userInput>;

const email = z.email();

/** The member's address: the primary (or work, or first) email, else the userName when it is one. */
export function emailOf(input: UserInput): string {
	const emails = input.emails ?? [];
	const chosen = emails.find((e) => e.primary === true) ?? emails.find((e) => e.type === "work") ?? emails[0];
	const candidate = (chosen?.value ?? input.userName).toLowerCase();
	if (!email.safeParse(candidate).success)
		throw new ScimError(400, "The user needs an email address (userName or emails[].value).", "invalidValue");
	return candidate;
}

export function displayNameOf(input: UserInput, fallback: string): string {
	const parts = [input.name?.givenName, input.name?.familyName].filter(Boolean).join(" ");
	return input.displayName || input.name?.formatted || parts || fallback;
}

export function userResource(ctx: Pick<ScimContext, "baseUrl">, user: DirectoryUser) {
	const [givenName, ...rest] = user.name.split(" ");
	return {
		schemas: [USER_SCHEMA],
		id: user.id,
		...(user.externalId ? { externalId: user.externalId } : {}),
		userName: user.email,
		name: { formatted: user.name, givenName: givenName ?? "", familyName: rest.join(" ") },
		displayName: user.name,
		emails: [{ value: user.email, type: "work", primary: true }],
		active: user.deprovisionedAt === null,
		roles: [{ value: user.roleName, primary: true }],
		meta: {
			resourceType: "User",
			created: new Date(user.createdAt).toISOString(),
			lastModified: new Date(user.createdAt).toISOString(),
			location: `${ctx.baseUrl}/Users/${user.id}`,
		},
	};
}

/** A member the directory may see: removed from it (DELETE) means unmanaged and deprovisioned. */
export function visible(user: DirectoryUser | null): user is DirectoryUser {
	return user !== null && !(user.deprovisionedAt !== null && !user.managed);
}

function seatsCondition(ctx: ScimContext, limit: number | null) {
	return requireThat(ctx.db, seatsFree(ctx.org, ctx.nowMs, limit, 1), "seats");
}

const DUPLICATE = "Another user already has this userName or externalId.";

const run = (ctx: ScimContext, event: Parameters<typeof scimCommit>[1], control: unknown[]) =>
	scimCommit(ctx, event, control, DUPLICATE);

const joined = (membershipId: string, email: string) => ({
	type: "member.added" as const,
	data: { id: membershipId, email, via: "directory" },
});

const left = (user: DirectoryUser) => ({
	type: "member.removed" as const,
	data: { id: user.id, email: user.email, reason: "deprovisioned" },
});

/** POST /Users: the person joins (or is created), managed by the directory, with the default role. */
export async function createUser(ctx: ScimContext, input: UserInput): Promise<DirectoryUser> {
	const address = emailOf(input);
	const name = displayNameOf(input, address);
	const existing = await findUserByEmail(ctx.db, address);
	const membership = existing ? await findMembershipOf(ctx.org, existing.id) : null;
	const limit = seatLimit(await findPlanLimits(ctx.db, ctx.org.orgId));
	const active = input.active !== false;
	if (membership) {
		const current = await findDirectoryUser(ctx.org, membership.id);
		if (visible(current)) throw new ScimError(409, "A user with this userName already exists.", "uniqueness");
		// Removed from the directory earlier: provisioned again.
		await run(
			ctx,
			{
				action: "directory.user_provisioned",
				target: { type: "user", id: existing?.id ?? "" },
				...(active ? { webhook: joined(membership.id, address) } : {}),
			},
			[
				...(active ? [seatsCondition(ctx, limit)] : []),
				setDirectoryFields(ctx.org, membership.id, {
					directoryManaged: true,
					directoryExternalId: input.externalId ?? null,
					deprovisionedAt: active ? null : ctx.nowMs,
				}),
			],
		);
		return (await findDirectoryUser(ctx.org, membership.id)) as DirectoryUser;
	}
	const created = existing
		? null
		: insertUser(ctx.db, { email: address, name, passwordHash: null, emailVerifiedAt: ctx.nowMs });
	const userId = existing?.id ?? created?.id ?? "";
	// The directory owns the name of someone who belongs nowhere else.
	const elsewhere = existing ? await membershipsOfUser(ctx.db, existing.id, 1) : [];
	const rename =
		existing && elsewhere.length === 0 && existing.name !== name ? [setUserName(ctx.db, existing.id, name)] : [];
	const membershipId = newId("mem");
	await run(
		ctx,
		{
			action: "directory.user_provisioned",
			target: { type: "user", id: userId },
			metadata: { email: address, externalId: input.externalId ?? null, active },
			...(active ? { webhook: joined(membershipId, address) } : {}),
		},
		[
			...(active ? [seatsCondition(ctx, limit)] : []),
			...(created ? [created.query] : []),
			...rename,
			insertMembership(ctx.org, userId, await defaultRoleId(ctx.org), {
				id: membershipId,
				directoryManaged: true,
				directoryExternalId: input.externalId ?? null,
				deprovisionedAt: active ? null : ctx.nowMs,
			}),
		],
	);
	return (await findDirectoryUser(ctx.org, membershipId)) as DirectoryUser;
}

/** The changes a PUT or PATCH asks for, applied in one audited batch. */
export interface UserChange {
	name?: string;
	email?: string;
	externalId?: string | null;
	active?: boolean;
}

export async function changeUser(ctx: ScimContext, user: DirectoryUser, change: UserChange): Promise<DirectoryUser> {
	const writes: unknown[] = [];
	const before: Record<string, unknown> = {};
	const after: Record<string, unknown> = {};
	const record = (field: string, from: unknown, to: unknown) => {
		before[field] = from;
		after[field] = to;
	};
	if (change.name !== undefined && change.name !== user.name) {
		record("name", user.name, change.name);
		writes.push(setUserName(ctx.db, user.userId, change.name));
	}
	if (change.email !== undefined && change.email !== user.email) {
		const others = await membershipsOfUser(ctx.db, user.userId, 2);
		if (others.length > 1)
			throw new ScimError(
				400,
				"This person also belongs to another organization: their email cannot be changed from here.",
				"mutability",
			);
		record("email", user.email, change.email);
		writes.push(setEmail(ctx.db, user.userId, change.email));
	}
	const fields: Parameters<typeof setDirectoryFields>[2] = { directoryManaged: true };
	if (change.externalId !== undefined && change.externalId !== user.externalId) {
		record("externalId", user.externalId, change.externalId);
		fields.directoryExternalId = change.externalId;
	}
	const wasActive = user.deprovisionedAt === null;
	if (change.active !== undefined && change.active !== wasActive) {
		record("active", wasActive, change.active);
		fields.deprovisionedAt = change.active ? null : ctx.nowMs;
		if (change.active) writes.unshift(seatsCondition(ctx, seatLimit(await findPlanLimits(ctx.db, ctx.org.orgId))));
		else writes.push(...deactivationWrites(ctx.org, user.userId));
	}
	writes.push(setDirectoryFields(ctx.org, user.id, fields));
	const action =
		change.active === false && wasActive
			? "directory.user_deactivated"
			: change.active === true && !wasActive
				? "directory.user_reactivated"
				: "directory.user_updated";
	const webhook =
		action === "directory.user_deactivated"
			? left(user)
			: action === "directory.user_reactivated"
				? joined(user.id, change.email ?? user.email)
				: undefined;
	if (Object.keys(after).length > 0 || !user.managed)
		await run(
			ctx,
			{
				action,
				target: { type: "user", id: user.userId },
				metadata: { before, after },
				...(webhook ? { webhook } : {}),
			},
			writes,
		);
	return (await findDirectoryUser(ctx.org, user.id)) as DirectoryUser;
}

/** DELETE /Users/:id: deactivated and no longer the directory's; later GETs answer 404. */
export async function removeUser(ctx: ScimContext, user: DirectoryUser): Promise<void> {
	await run(
		ctx,
		{
			action: "directory.user_removed",
			target: { type: "user", id: user.userId },
			...(user.deprovisionedAt === null ? { webhook: left(user) } : {}),
		},
		[
			...(user.deprovisionedAt === null ? deactivationWrites(ctx.org, user.userId) : []),
			// No longer the directory's: out of its groups too (their roles no longer apply).
			leaveAllGroups(ctx.org, user.id),
			setDirectoryFields(ctx.org, user.id, {
				directoryManaged: false,
				directoryExternalId: null,
				deprovisionedAt: user.deprovisionedAt ?? ctx.nowMs,
			}),
		],
	);
}
