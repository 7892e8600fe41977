// Organization-bound access to the organization-owned rows of the main database (the control plane):
// members, custom roles, invitations, domains, API keys and their daily counts, sessions on its hosts,
// and its single sign-on connection, domains and requests. Like `tenantData()` for
// tenant tables, the accessor carries the organization's id and is the only place it enters a WHERE:
// the helpers in team.ts, keys.ts and domains.ts take an `OrgData`, never a bare id, so none of them can
// forget the scope or name another organization. (test/node/architecture.test.ts holds them to it.)
import { and, eq, isNull, or, type SQL } from "drizzle-orm";
import type { Db } from "./client.ts";
import {
	type apiKeys,
	type apiKeyUsageDaily,
	type directoryGroupMembers,
	type directoryGroups,
	type domains,
	type invitations,
	type memberships,
	organizations,
	type roles,
	type scimRequests,
	type scimTokens,
	type sessions,
	type ssoAssertions,
	type ssoCertificateNotices,
	type ssoConnections,
	type ssoDomains,
	type ssoRequests,
} from "./schema.ts";

export type OrgTable =
	| typeof memberships
	| typeof roles
	| typeof scimRequests
	| typeof scimTokens
	| typeof directoryGroups
	| typeof directoryGroupMembers
	| typeof invitations
	| typeof domains
	| typeof apiKeys
	| typeof apiKeyUsageDaily
	| typeof sessions
	| typeof ssoAssertions
	| typeof ssoCertificateNotices
	| typeof ssoConnections
	| typeof ssoDomains
	| typeof ssoRequests;

export function orgData({ orgId, db }: { orgId: string; db: Db }) {
	return {
		orgId,
		db,
		/** This organization's rows of `table`, and `where`: for joins and the helpers' own selects. */
		owns(table: OrgTable, where?: SQL): SQL {
			return and(eq(table.orgId, orgId), where) as SQL;
		},
		/** The organization's own row in `organizations` (its settings, invite link, mail domain, …). */
		ownRow(): SQL {
			return eq(organizations.id, orgId);
		},
		/** Roles this organization may use: its custom roles and the built-in ones (no organization). */
		ownsOrBuiltIn(table: typeof roles): SQL {
			return or(isNull(table.orgId), eq(table.orgId, orgId)) as SQL;
		},
	};
}

export type OrgData = ReturnType<typeof orgData>;
