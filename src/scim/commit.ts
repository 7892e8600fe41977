// What every SCIM write shares: the request's context, the one audited batch it commits, and the
// refusals of the database (seats, the last Owner, uniqueness) turned into the SCIM errors an identity
// provider shows its admin.
import { type AuditActor, commitWithAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import type { OrgData } from "../db/org-data.ts";
import { isUniqueViolation, refusalOf } from "../db/preconditions.ts";
import { findConnection } from "../db/sso.ts";
import type { TenantData } from "../db/tenant-data.ts";
import { ScimError } from "./errors.ts";

export interface ScimContext {
	db: Db;
	org: OrgData;
	tenant: TenantData;
	actor: AuditActor;
	/** The base URL of this organization's SCIM API, for `meta.location`. */
	baseUrl: string;
	nowMs: number;
}

type Event = Parameters<typeof commitWithAudit>[3];
type Control = NonNullable<Parameters<typeof commitWithAudit>[4]>["control"];

export async function scimCommit(ctx: ScimContext, event: Event, control: unknown[], duplicate: string) {
	try {
		await commitWithAudit(ctx.db, ctx.tenant, ctx.actor, event, { control: control as Control });
	} catch (error) {
		const refusal = refusalOf(error);
		if (refusal === "precondition_failed")
			throw new ScimError(
				409,
				"Every seat of the organization's plan is taken: free a seat or upgrade the plan.",
				"tooMany",
			);
		if (refusal === "last_owner")
			throw new ScimError(400, "This is the organization's last Owner: it cannot be deactivated.", "mutability");
		if (refusal === "cross_organization") throw new ScimError(400, "There is no such user.", "invalidValue");
		if (isUniqueViolation(error)) throw new ScimError(409, duplicate, "uniqueness");
		throw error;
	}
}

/** The role a provisioned member starts with, and falls back to outside every mapped group. */
export async function defaultRoleId(org: OrgData): Promise<string> {
	const connection = await findConnection(org);
	return connection?.defaultRoleId ?? "rol_builtin_member";
}
