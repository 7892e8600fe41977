// What the joining verbs need: the person joining is not a member yet, so they take this rather than a
// member's Unit (src/audit/unit.ts).
import type { AuditActor } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import type { TenantData } from "../db/tenant-data.ts";
import type { NotifyContext } from "../notifications/notify.ts";
import type { Passwords } from "../passwords/service.ts";

export interface JoinContext {
	db: Db;
	tenant: TenantData;
	notices: NotifyContext;
	passwords: Passwords;
	/** The audit actor for the person joining (known only once the mode has found them). */
	actorFor(id: string | null, label: string): AuditActor;
	ip: string | null;
	nowMs: number;
}
