// The unit of work for a member's request on a tenant host (see src/audit/unit.ts).
import type { Context } from "hono";
import { auditActor } from "../audit/actor.ts";
import type { Unit, VisitorUnit } from "../audit/unit.ts";
import type { AppEnv } from "../context.ts";
import { notifyContext } from "../notifications/context.ts";
import { passwordsFor } from "../passwords/service.ts";
import { me, orgOf, tenantOf } from "./guards.ts";

export function unitOf(c: Context<AppEnv>): Unit {
	const member = me(c);
	return {
		db: c.get("db"),
		tenant: tenantOf(c).tenant,
		org: orgOf(c),
		actor: auditActor(c, member.userId, member.name),
		by: {
			userId: member.userId,
			name: member.name,
			email: member.email,
			sessionId: member.sessionId,
			membershipId: member.membership.id,
			roleId: member.membership.roleId,
			roleName: member.membership.roleName,
			permissions: member.membership.permissions,
		},
		passwords: passwordsFor(c.env),
		notices: notifyContext(c),
		requestId: c.get("requestId"),
	};
}

/** The unit of work for a visitor of this tenant host: signing in, email links, joining. */
export function visitorUnitOf(c: Context<AppEnv>): VisitorUnit {
	return {
		db: c.get("db"),
		tenant: tenantOf(c).tenant,
		org: orgOf(c),
		notices: notifyContext(c),
		passwords: passwordsFor(c.env),
		actorFor: (id, label) => auditActor(c, id, label),
		ip: c.req.header("cf-connecting-ip") ?? null,
		nowMs: Date.now(),
		requestId: c.get("requestId"),
	};
}
