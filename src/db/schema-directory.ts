// Directory sync (SCIM 2.0), per organization (main database, control plane): the bearer tokens its
// identity provider calls with (hashes only), the log of the latest SCIM requests the admin reads, and
// the directory's own view of a member — its id at the IdP, whether it owns the member's fields, and
// when it deprovisioned them.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./schema-columns.ts";
import { organizations, users } from "./schema-control.ts";

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
