// A scratch libSQL server for a benchmark (the project's own, on a free port, data in a temporary
// directory), stopped with the benchmark however it ends.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../dev/stack.ts";

const root = join(import.meta.dirname, "..");

export async function startBenchDatabase(name: string): Promise<{ base: string; stop(): void }> {
	const dataDir = mkdtempSync(join(tmpdir(), `portico-bench-${name}-`));
	const dbPort = await freePort();
	const server: ChildProcess = spawn(
		process.execPath,
		[join(root, "dev", "libsql-server", "main.ts"), "--port", String(dbPort), "--data", dataDir],
		{ stdio: "ignore" },
	);
	// However the benchmark ends (an error included), the server goes with it.
	process.on("exit", () => server.kill("SIGTERM"));
	const base = `http://127.0.0.1:${dbPort}/`;
	for (let i = 0; ; i++) {
		const up = await fetch(`${base}health`).catch(() => null);
		if (up?.ok) break;
		if (i > 100) throw new Error("the libSQL server did not start");
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		base,
		stop() {
			server.kill("SIGTERM");
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}
