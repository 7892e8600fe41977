// Node-side setup for the Worker tests: a fresh libSQL server with migrations applied; its URL goes
// to the Worker as DATABASE_URL. Every run starts from empty databases.
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { TestProject } from "vitest/node";
import { startLibsqlServer } from "./libsql.ts";

declare module "vitest" {
	export interface ProvidedContext {
		databaseUrl: string;
	}
}

export default async function setup(project: TestProject) {
	const server = await startLibsqlServer();
	const client = createClient({ url: server.url });
	await migrate(drizzle(client), { migrationsFolder: "migrations" });
	client.close();
	project.provide("databaseUrl", server.url);
	return () => server.stop();
}
