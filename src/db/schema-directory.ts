// Directory sync (SCIM 2.0), per organization (main database, control plane): the bearer tokens its
// identity provider calls with (hashes only), the log of the latest SCIM requests the admin reads, and
// the directory's own view of a member — its id at the IdP, whether it owns the member's fields, and
// when it deprovisioned them.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./schema-columns.ts";
import { memberships, organizations, roles, users } from "./schema-control.ts";

export const scimTokens = sqliteTable(
	"scim_tokens",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id")
			.notNull()
			.references(() => organizations.id, { onDelete: "cascade" }),
		name: text("name").notNull(),
		/** SHA-256 of the token; the token itself is shown once and never stored. */
		tokenHash: text("token_hash").notNull().unique(),
		/** The token's last four characters, so the admin can tell tokens apart. */
		last4: text("last4").notNull(),
		createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
		lastUsedAt: integer("last_used_at"),
		revokedAt: integer("revoked_at"),
		/** When the directory's managers were last told that this token's requests keep failing. */
		failureAlertedAt: integer("failure_alerted_at"),
		createdAt: createdAt(),
	},
	(t) => [index("scim_tokens_org_idx").on(t.orgId)],
);

/** The latest SCIM requests of an organization, for its admin (pruned to the newest few hundred). */
export const scimRequests = sqliteTable(
	"scim_requests",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id")
			.notNull()
			.references(() => organizations.id, { onDelete: "cascade" }),
		tokenId: text("token_id"),
		method: text("method").notNull(),
		/** The resource path without the query ("/Users/mem_…"). */
		path: text("path").notNull(),
		status: integer("status").notNull(),
		/** The SCIM error detail we answered with, if any (never a stack). */
		error: text("error"),
		createdAt: createdAt(),
	},
	(t) => [index("scim_requests_org_created_idx").on(t.orgId, t.createdAt)],
);

/**
 * The directory's groups of an organization, as its identity provider pushes them. A group may be
 * mapped (in the portal) to a role: a directory-managed member in mapped groups holds the highest of
 * their roles (Admin, then custom roles, then Member); one who leaves every mapped group falls back to
 * the default role. The Owner role is never mapped, and an Owner's role is never changed by a group.
 */
export const directoryGroups = sqliteTable(
	"directory_groups",
	{
		id: text("id").primaryKey(),
		orgId: text("org_id")
			.notNull()
			.references(() => organizations.id, { onDelete: "cascade" }),
		displayName: text("display_name").notNull(),
		externalId: text("external_id"),
		roleId: text("role_id").references(() => roles.id, { onDelete: "set null" }),
		createdAt: createdAt(),
		updatedAt: integer("updated_at").notNull(),
	},
	(t) => [
		uniqueIndex("directory_groups_org_name_uq").on(t.orgId, t.displayName),
		uniqueIndex("directory_groups_org_external_uq").on(t.orgId, t.externalId).where(sql`external_id is not null`),
	],
);

/** Who is in a directory group: members of the group's own organization only (a trigger says so). */
export const directoryGroupMembers = sqliteTable(
	"directory_group_members",
	{
		groupId: text("group_id")
			.notNull()
			.references(() => directoryGroups.id, { onDelete: "cascade" }),
		membershipId: text("membership_id")
			.notNull()
			.references(() => memberships.id, { onDelete: "cascade" }),
		orgId: text("org_id").notNull(),
	},
	(t) => [
		primaryKey({ columns: [t.groupId, t.membershipId] }),
		index("directory_group_members_membership_idx").on(t.membershipId),
	],
);
