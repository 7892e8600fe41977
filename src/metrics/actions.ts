// Which audited actions of a signed-in member count as completing something in the portal — the
// numerator of self-service completion. Signing in, failures and tickets are not completions.
import type { PortalEventKind } from "../db/schema.ts";

const NOT_COMPLETIONS = new Set([
	"auth.sign_out",
	"auth.switched_organization",
	"auth.sign_in_password_ok_mfa_pending",
	"auth.mfa_recovery_code_used",
]);

export function portalEventKindFor(action: string): PortalEventKind | null {
	if (action === "auth.sign_in") return "sign_in";
	if (action === "ticket.created") return "ticket";
	if (action.startsWith("ticket.") || NOT_COMPLETIONS.has(action)) return null;
	if (action.endsWith("_failed") || action.endsWith("_locked")) return null;
	return "action";
}
