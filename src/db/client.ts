// The only place that opens databases. Everything else receives a `Db` or a tenant-bound accessor.
import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import * as schema from "./schema.ts";

export type Db = ReturnType<typeof drizzle<typeof schema>>;

export interface DatabaseConfig {
	url: string;
	authToken?: string | undefined;
	/**
	 * Sent as `x-stats-tag` so the local libSQL server can count round trips per request (tests and
	 * benchmarks read `/_stats?tag=…`). Turso ignores the header; production leaves it unset.
	 */
	statsTag?: string | undefined;
}

export function openDatabase(config: DatabaseConfig): Db {
	const tag = config.statsTag;
	const client = createClient({
		url: config.url,
		authToken: config.authToken,
		fetch: tag
			? (request: Request) => {
					const tagged = new Request(request);
					tagged.headers.set("x-stats-tag", tag);
					return fetch(tagged);
				}
			: undefined,
	});
	return drizzle(client, { schema });
}

interface OrgDatabase {
	isolationTier: "shared" | "dedicated";
	databaseUrl: string | null;
	/** The dedicated database's own token; the main database's token is never sent to it. */
	databaseAuthToken: string | null;
}

/**
 * Maps an organization to the database that holds its tenant data: the main database for the shared
 * tier, its own database for the dedicated tier. Nothing else decides where tenant data lives.
 */
export function openTenantDatabase(main: Db, mainConfig: DatabaseConfig, org: OrgDatabase): Db {
	if (org.isolationTier === "shared" || !org.databaseUrl) return main;
	return openDatabase({ ...mainConfig, url: org.databaseUrl, authToken: org.databaseAuthToken ?? undefined });
}
