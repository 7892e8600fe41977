// Accepting an invitation: three ways in — already signed in, an existing account's password, or a new
// account. The person joining is not a member yet, so the verb takes a VisitorUnit (src/audit/unit.ts).

import * as z from "zod";
import type { VisitorUnit } from "../audit/unit.ts";
import { newPasswordSchema } from "../auth/password-policy.ts";
import { verifyPasswordThrottled } from "../auth/throttle.ts";
import { auditInsert, commitWithAudit } from "../db/audit.ts";
import { acceptInvitation as acceptInvitationQuery, insertMembership } from "../db/team.ts";
import { insertUser } from "../db/users.ts";
import { fieldErrors } from "../lib/forms.ts";
import { newId } from "../lib/ids.ts";
import { notify } from "../notifications/notify.ts";

export type JoinMode = "join" | "wrong-account" | "sign-in" | "create";

interface Invitation {
	id: string;
	email: string;
	roleId: string;
	roleName: string;
}

interface Joiner {
	id: string;
	name: string;
	email: string;
	mfaEnabled: boolean;
}

export type AcceptResult =
	| { outcome: "joined"; user: Joiner }
	| { outcome: "retry"; errors: Record<string, string> }
	| { outcome: "invalid" };

/**
 * Accepts the invitation for the person the mode names: the signed-in viewer (`join`), an existing
 * account proved by its password through the one throttled check (`sign-in`), or a new account whose
 * address the invitation itself verified (`create`). One batch writes the membership (unique per
 * organization and user) and the invitation's use (only while pending, so a second acceptance fails).
 */
export async function acceptInvitation(
	ctx: VisitorUnit,
	org: { name: string },
	invitation: Invitation,
	mode: JoinMode,
	input: {
		viewer: Joiner | null;
		existing: (Joiner & { passwordHash: string | null }) | null;
		form: Record<string, unknown>;
	},
): Promise<AcceptResult> {
	const { db, tenant, nowMs } = ctx;
	if (mode === "wrong-account")
		return { outcome: "retry", errors: { form: "This invitation is for another address." } };
	let user: Joiner;
	const writes = [];
	if (mode === "join") {
		if (!input.viewer) return { outcome: "invalid" };
		user = input.viewer;
	} else if (mode === "sign-in") {
		const existing = input.existing;
		if (!existing) return { outcome: "invalid" };
		const password = typeof input.form.password === "string" ? input.form.password : "";
		const checked = await verifyPasswordThrottled(
			db,
			{ subject: existing.email, ip: ctx.ip, nowMs, password, hash: existing.passwordHash },
			ctx.passwords,
		);
		if (checked === "locked")
			return { outcome: "retry", errors: { password: "Too many attempts. Wait 15 minutes, or reset your password." } };
		if (checked === "wrong") {
			await auditInsert(tenant, ctx.actorFor(existing.id, existing.email), {
				action: "auth.sign_in_failed",
				metadata: { via: "invitation" },
			});
			return { outcome: "retry", errors: { password: "That password is not right." } };
		}
		user = { id: existing.id, name: existing.name, email: existing.email, mfaEnabled: existing.mfaEnabled };
	} else {
		const parsed = z
			.object({ name: z.string().min(1, { error: "Enter your name." }), password: newPasswordSchema })
			.safeParse(input.form);
		if (!parsed.success) return { outcome: "retry", errors: fieldErrors(parsed.error) };
		// The invitation reached this address, which verifies it.
		const created = insertUser(db, {
			email: invitation.email,
			name: parsed.data.name,
			passwordHash: await ctx.passwords.hash(parsed.data.password),
			emailVerifiedAt: nowMs,
		});
		writes.push(created.query);
		user = { id: created.id, name: parsed.data.name, email: invitation.email, mfaEnabled: false };
	}
	const membershipId = newId("mem");
	await commitWithAudit(
		db,
		tenant,
		ctx.actorFor(user.id, user.name),
		{
			action: "team.invitation_accepted",
			target: { type: "invitation", id: invitation.id },
			metadata: { email: user.email, role: invitation.roleName },
			webhook: {
				type: "member.added",
				data: { id: membershipId, email: user.email, roleId: invitation.roleId, via: "invitation" },
			},
		},
		{
			control: [
				...writes,
				insertMembership(ctx.org, user.id, invitation.roleId, { id: membershipId }),
				acceptInvitationQuery(ctx.org, invitation.id, nowMs),
			],
		},
	);
	await notify(
		ctx.notices,
		{ permission: "members:manage" },
		{
			category: "team",
			title: `${user.name} joined ${org.name}`,
			body: `${user.name} (${user.email}) accepted the invitation as ${invitation.roleName}.`,
			link: "/team",
		},
	);
	return { outcome: "joined", user };
}
