// Starts the local libSQL server in this Node process on a free port, for tests and benchmarks.
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLibsqlServer, type ServerOptions } from "../../dev/libsql-server/server.ts";

export interface RunningServer {
	url: string;
	dataDir: string;
	stop(options?: { keepData?: boolean }): Promise<void>;
}

export async function startLibsqlServer(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
	const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "portico-libsql-"));
	const { server, databases } = createLibsqlServer({ ...options, dataDir });
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/`,
		dataDir,
		async stop({ keepData = false } = {}) {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			databases.closeAll();
			if (!keepData) rmSync(dataDir, { recursive: true, force: true });
		},
	};
}
