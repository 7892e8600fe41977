// The session's organization and user as subqueries on the session's token hash and host: reads that ride
// in the site batch are keyed by them, before the batch has said who the visitor is.
import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { sessions } from "./schema.ts";

export interface SessionKeys {
	orgId: SQL;
	userId: SQL;
}

/** On the `tokenHash` and `host` placeholders (or values) of a prepared statement. */
export function sessionKeys(p: { tokenHash: SQLWrapper | string; host: SQLWrapper | string }): SessionKeys {
	const of = (column: typeof sessions.orgId | typeof sessions.userId) =>
		sql`(select ${column} from ${sessions} where ${sessions.tokenHash} = ${p.tokenHash} and ${sessions.host} = ${p.host})`;
	return { orgId: of(sessions.orgId), userId: of(sessions.userId) };
}
