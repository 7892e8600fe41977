// Where dedicated databases come from: Turso's Platform API in production (a database in the configured
// group, and a token minted for that database alone), a namespace of the local libSQL server — created
// with its own token the same way — in development and tests. Nothing else creates databases.
import * as z from "zod";
import type { Bindings } from "../env.ts";
import { randomToken } from "../lib/crypto.ts";

export interface ProvisionedDatabase {
	name: string;
	url: string;
	authToken: string;
}

export interface DatabaseProvisioner {
	create(name: string): Promise<ProvisionedDatabase>;
	remove(name: string): Promise<void>;
}

const createdSchema = z.object({ database: z.object({ Hostname: z.string().min(1) }) });
const tokenSchema = z.object({ jwt: z.string().min(1) });

export function tursoProvisioner(
	apiToken: string,
	organization: string,
	group: string,
	fetcher: typeof fetch = fetch,
): DatabaseProvisioner {
	const base = `https://api.turso.tech/v1/organizations/${encodeURIComponent(organization)}/databases`;
	const headers = { authorization: `Bearer ${apiToken}`, "content-type": "application/json" };
	return {
		async create(name) {
			const created = await fetcher(base, { method: "POST", headers, body: JSON.stringify({ name, group }) });
			const database = createdSchema.safeParse(await created.json().catch(() => null));
			if (!created.ok || !database.success) throw new Error(`Turso did not create the database (${created.status})`);
			const minted = await fetcher(
				`${base}/${encodeURIComponent(name)}/auth/tokens?expiration=never&authorization=full-access`,
				{ method: "POST", headers },
			);
			const token = tokenSchema.safeParse(await minted.json().catch(() => null));
			if (!minted.ok || !token.success) throw new Error(`Turso did not mint a database token (${minted.status})`);
			return { name, url: `libsql://${database.data.database.Hostname}`, authToken: token.data.jwt };
		},
		async remove(name) {
			const res = await fetcher(`${base}/${encodeURIComponent(name)}`, { method: "DELETE", headers });
			if (!res.ok && res.status !== 404) throw new Error(`Turso did not delete the database (${res.status})`);
		},
	};
}

/** The local libSQL server's namespaces (`/db/<name>/`), each created with a token of its own. */
export function localProvisioner(
	mainUrl: string,
	mainToken: string | undefined,
	fetcher: typeof fetch = fetch,
): DatabaseProvisioner {
	const server = new URL("/", mainUrl);
	const headers: Record<string, string> = { "content-type": "application/json" };
	if (mainToken) headers.authorization = `Bearer ${mainToken}`;
	return {
		async create(name) {
			const authToken = randomToken(24);
			const res = await fetcher(new URL(`_namespaces/${name}`, server), {
				method: "POST",
				headers,
				body: JSON.stringify({ auth_token: authToken }),
			});
			await res.arrayBuffer();
			if (!res.ok) throw new Error(`The local libSQL server did not create the database (${res.status})`);
			return { name, url: new URL(`db/${name}/`, server).toString(), authToken };
		},
		async remove(name) {
			const res = await fetcher(new URL(`_namespaces/${name}`, server), { method: "DELETE", headers });
			await res.arrayBuffer();
			if (!res.ok && res.status !== 404) throw new Error(`The local libSQL server did not delete it (${res.status})`);
		},
	};
}

/** Turso when configured; the local server only outside production (never silently there). */
export function provisionerFor(bindings: Bindings): DatabaseProvisioner {
	if (bindings.TURSO_API_TOKEN && bindings.TURSO_ORGANIZATION) {
		return tursoProvisioner(bindings.TURSO_API_TOKEN, bindings.TURSO_ORGANIZATION, bindings.TURSO_GROUP ?? "default");
	}
	if ((bindings.ENVIRONMENT ?? "production") === "production") {
		throw new Error("Dedicated databases need TURSO_API_TOKEN and TURSO_ORGANIZATION");
	}
	return localProvisioner(bindings.DATABASE_URL, bindings.DATABASE_AUTH_TOKEN);
}

/** A database name for an organization: unique per move, within both Turso's and the local server's rules. */
export function databaseNameFor(orgId: string, nowMs: number): string {
	return `t-${orgId.slice(4).toLowerCase()}-${nowMs.toString(36)}`;
}
