// Who did it, for the audit log: the signed-in person (or the person a request names), with the request's
// address, user agent and session. Every route that writes an audit event takes its actor from here.
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";

export function auditActor(c: Context<AppEnv>, id: string | null, label: string) {
	const viewer = c.get("viewer");
	return {
		type: "user" as const,
		id,
		label,
		ip: c.req.header("cf-connecting-ip") ?? null,
		userAgent: c.req.header("user-agent") ?? null,
		// An operator's read-only view is not the member's own visit: it stays out of the portal metrics.
		sessionId: viewer && !viewer.viewAs ? viewer.sessionId : null,
	};
}
