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

/**
 * One client and one drizzle instance per database per isolate (building them costs more than a page's
 * own work). They hold no request data: a connection's address and token, nothing else; every request
 * makes its own HTTP calls through them. Bounded, since dedicated databases can be many.
 */
const opened = new Map<string, Db>();
const MAX_OPEN = 64;

function connect(config: DatabaseConfig, tag: string | undefined): Db {
	const client = createClient({
		url: config.url,
		authToken: config.authToken,
		// Requests of one isolate share the client: no queue of its own in front of the network.
		concurrency: 10_000,
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

export function openDatabase(config: DatabaseConfig): Db {
	// Round-trip tags (local server, tests and DB_STATS=1 only) are per request: such a handle is not kept.
	if (config.statsTag) return connect(config, config.statsTag);
	const key = `${config.url}\n${config.authToken ?? ""}`;
	let db = opened.get(key);
	if (!db) {
		db = connect(config, undefined);
		if (opened.size >= MAX_OPEN) opened.delete(opened.keys().next().value as string);
		opened.set(key, db);
	}
	return db;
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
