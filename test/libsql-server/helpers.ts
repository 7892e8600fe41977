import { type Client, createClient } from "@libsql/client/web";
import { afterAll, beforeAll } from "vitest";
import { type RunningServer, startLibsqlServer } from "../support/libsql.ts";

/** One server per test file; each test takes its own namespace so tests never share data. */
export function useServer(options: { authToken?: string; idleStreamTimeoutMs?: number } = {}) {
	const state: { server: RunningServer | null } = { server: null };
	const clients: Client[] = [];
	let counter = 0;
	beforeAll(async () => {
		state.server = await startLibsqlServer(options);
	});
	afterAll(async () => {
		for (const client of clients) client.close();
		await state.server?.stop();
	});
	return {
		get url(): string {
			if (!state.server) throw new Error("server not started");
			return state.server.url;
		},
		get server(): RunningServer {
			if (!state.server) throw new Error("server not started");
			return state.server;
		},
		/** A client on a fresh namespace (`/db/<name>/`). */
		client(name = `t${++counter}-${Math.random().toString(36).slice(2, 8)}`, intMode?: "bigint"): Client {
			const client = createClient({ url: `${this.url}db/${name}/`, authToken: options.authToken, intMode });
			clients.push(client);
			return client;
		},
		async pipeline(body: unknown, path = "v2/pipeline", headers: Record<string, string> = {}) {
			const response = await fetch(new URL(path, this.url), {
				method: "POST",
				headers: { "content-type": "application/json", ...headers },
				body: typeof body === "string" ? body : JSON.stringify(body),
			});
			const text = await response.text();
			let json: unknown = null;
			try {
				json = JSON.parse(text);
			} catch {
				// Plain-text answers stay in `text`.
			}
			// biome-ignore lint/suspicious/noExplicitAny: protocol answers are explored field by field in assertions.
			return { status: response.status, json: json as Record<string, any>, text };
		},
		async stats(): Promise<{ pipeline_requests: number; statements: number; open_streams: number }> {
			return (await fetch(new URL("_stats", this.url))).json();
		},
	};
}
