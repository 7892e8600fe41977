// The unit of work for a member's request on a tenant host (see src/audit/unit.ts).
import type { Context } from "hono";
import { auditActor } from "../audit/actor.ts";
import type { Unit } from "../audit/unit.ts";
import type { AppEnv } from "../context.ts";
import { notifyContext } from "../notifications/context.ts";
import { passwordsFor } from "../passwords/service.ts";
import { me, tenantOf } from "./guards.ts";

export function unitOf(c: Context<AppEnv>): Unit {
	const member = me(c);
	return {
		db: c.get("db"),
		tenant: tenantOf(c).tenant,
		actor: auditActor(c, member.userId, member.name),
		by: {
			userId: member.userId,
			name: member.name,
			email: member.email,
			sessionId: member.sessionId,
			membershipId: member.membership.id,
			roleId: member.membership.roleId,
			permissions: member.membership.permissions,
		},
		passwords: passwordsFor(c.env),
		notices: notifyContext(c),
		requestId: c.get("requestId"),
	};
}
