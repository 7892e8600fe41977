// Preconditions decided by the write itself. A batch that begins with `requireThat(db, condition)` runs
// the condition inside its own transaction, at the moment it writes: when it is false, a trigger on
// `batch_assertions` aborts the whole batch (and keeps no row when it is true). Invariants that hold for
// every write of a table (an organization keeps an Owner) are triggers on the table itself; both are
// created in migrations/0017_security_invariants.sql.
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { batchAssertions } from "./schema.ts";

export type Refusal = "precondition_failed" | "last_owner" | "cross_organization" | "invalid_role";

export function requireThat(db: Db, condition: SQL, reason: string) {
	return db.run(
		sql`insert into ${batchAssertions} (ok, reason) select case when ${condition} then 1 else 0 end, ${reason}`,
	);
}

function errorText(error: unknown): string {
	return `${(error as Error)?.message ?? ""} ${String((error as { cause?: unknown })?.cause ?? "")}`;
}

/** A unique index refused the write (drizzle wraps the driver's error; its cause says so). */
export function isUniqueViolation(error: unknown): boolean {
	return errorText(error).includes("UNIQUE");
}

/** Which invariant refused a write, or null when the error is something else. */
export function refusalOf(error: unknown): Refusal | null {
	const text = errorText(error);
	if (text.includes("last_owner")) return "last_owner";
	if (text.includes("precondition_failed")) return "precondition_failed";
	if (text.includes("cross_organization")) return "cross_organization";
	if (text.includes("invalid_role")) return "invalid_role";
	return null;
}
