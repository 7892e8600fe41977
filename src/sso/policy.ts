// "Require SSO": for people whose address is in the organization's verified domains, password, email
// links and social sign-in are refused — except for Owners, who keep a break-glass password sign-in
// (audited as such), so a broken identity provider never locks the organization out. The password is
// checked first: only someone who knows it learns that SSO is required for them.

import type { OrgData } from "../db/org-data.ts";
import { ssoRequiredForDomain } from "../db/sso.ts";
import { findMemberByUser } from "../db/team.ts";
import { isOwnerRole } from "../team/rules.ts";
import { emailDomainOf } from "./setup.ts";

export type SsoPolicy = "free" | "sso-only" | "break-glass";

/** How this person may sign in without SSO here: freely, not at all, or as a break-glass Owner. */
export async function passwordPolicyFor(org: OrgData, user: { id: string; email: string }): Promise<SsoPolicy> {
	if (!(await ssoRequiredForDomain(org, emailDomainOf(user.email)))) return "free";
	const member = await findMemberByUser(org, user.id);
	return member && isOwnerRole(member.roleId) ? "break-glass" : "sso-only";
}

export const SSO_ONLY_MESSAGE =
	"Your organization signs this address in with single sign-on. Use \u201cSign in with SSO\u201d below.";
