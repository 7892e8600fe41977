// The production path for benchmarks: the `wrangler deploy --dry-run` bundle in bare workerd (no dev
// proxy, no extra isolates, no request logging), configured from wrangler.toml. Queue producers post to
// a sink service (workerd turns each send into an HTTP request to it), as production hands them to the
// queue and goes on; a service binding can point at another workerd process (the password Worker runs
// in its own, as its isolates run apart from the pages' in production). CPU time is the process's.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { freePort } from "../dev/stack.ts";

const root = join(import.meta.dirname, "..");
const CLOCK_TICKS_PER_SECOND = 100;
/** The workerd binary wrangler itself runs (the package exports its path). */
const workerdModule = await import("workerd" as string);
const workerdBinary: string = workerdModule.default?.default ?? workerdModule.default;

export function buildBundle(config: string, outDir: string): string {
	execFileSync(join(root, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "-c", config, "--outdir", outDir], {
		cwd: root,
		stdio: "ignore",
		env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
	});
	return outDir;
}

export interface WorkerdOptions {
	/** The wrangler configuration the bundle was built from (vars, compatibility, queues). */
	config: string;
	bundleDir: string;
	/** The bundle's module (named after the configuration's `main`). */
	module?: string;
	port: number;
	vars: Record<string, string>;
	/** Service bindings to HTTP servers (another workerd process), by binding name. */
	services?: Record<string, string>;
	/** Opens workerd's inspector on this port (bench/profile.ts). */
	inspectorPort?: number;
}

export interface Workerd {
	pid: number;
	/** CPU seconds the workerd process has used (user + system, every thread). */
	cpuSeconds(): number;
	stop(): Promise<void>;
}

const text = (value: string) => JSON.stringify(value);

function configText(options: WorkerdOptions): string {
	const wrangler = unstable_readConfig({ config: options.config });
	const vars = { ...(wrangler.vars as Record<string, string>), ...options.vars };
	const bindings = [
		...Object.entries(vars).map(([name, value]) => `(name = ${text(name)}, text = ${text(String(value))})`),
		...(wrangler.queues.producers ?? []).map(
			(q: { binding: string }) => `(name = ${text(q.binding)}, queue = "queue-sink")`,
		),
		...Object.keys(options.services ?? {}).map((name) => `(name = ${text(name)}, service = ${text(`svc-${name}`)})`),
	];
	const external = Object.entries(options.services ?? {}).map(
		([name, address]) => `(name = ${text(`svc-${name}`)}, external = (address = ${text(address)}, http = ()))`,
	);
	const flags = wrangler.compatibility_flags.map(text).join(", ");
	return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = (
      modules = [(name = "index.js", esModule = embed ${text(options.module ?? "index.js")})],
      compatibilityDate = ${text(wrangler.compatibility_date ?? "2026-11-01")},
      compatibilityFlags = [${flags}],
      bindings = [${bindings.join(", ")}],
      globalOutbound = "internet",
    )),
    (name = "queue-sink", worker = (
      modules = [(name = "sink.js", esModule = "export default { fetch() { return new Response(null); } };")],
      compatibilityDate = "2026-11-01",
    )),
    (name = "internet", network = (allow = ["public", "private", "local"])),
    ${external.join(",\n    ")}
  ],
  sockets = [(name = "http", address = ${text(`127.0.0.1:${options.port}`)}, http = (), service = "main")],
);
`;
}

/** The process's CPU time from /proc (utime + stime, in clock ticks, every thread). */
function cpuSecondsOf(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
	const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
	return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

export async function startWorkerd(options: WorkerdOptions): Promise<Workerd> {
	const file = join(options.bundleDir, `workerd-${options.port}.capnp`);
	writeFileSync(file, configText(options));
	const inspector = options.inspectorPort ? [`--inspector-addr=127.0.0.1:${options.inspectorPort}`] : [];
	const child: ChildProcess = spawn(workerdBinary, ["serve", file, "--experimental", ...inspector], {
		stdio: ["ignore", "ignore", "pipe"],
	});
	let errors = "";
	child.stderr?.on("data", (chunk: Buffer) => {
		errors = (errors + chunk.toString("utf8")).slice(-4000);
	});
	process.on("exit", () => child.kill("SIGKILL"));
	for (let i = 0; ; i++) {
		const up = await fetch(`http://127.0.0.1:${options.port}/`, { headers: { host: "localhost" } }).catch(() => null);
		if (up) break;
		if (child.exitCode !== null || i > 200) throw new Error(`workerd did not start:\n${errors}`);
		await new Promise((r) => setTimeout(r, 50));
	}
	const pid = child.pid ?? 0;
	return {
		pid,
		cpuSeconds: () => cpuSecondsOf(pid),
		stop: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once("exit", () => resolve());
				child.kill("SIGTERM");
			}),
	};
}

export interface Workers {
	/** The production shape: pages here, password hashing in the password Worker's own process. */
	port: number;
	main: Workerd;
	/** The same bundle hashing passwords in its own isolate (the "before" of the sign-in burst). */
	inlineHashingPort: number;
	stop(): Promise<void>;
}

/** Builds the bundle and starts it in workerd with the stack's variables (round-trip tags off, as in production). */
export async function startWorkers(stackVars: Record<string, string>, inspectorPort?: number): Promise<Workers> {
	const bundleDir = buildBundle(join(root, "wrangler.toml"), join(root, ".wrangler", "dist"));
	const [port, inlineHashingPort] = [await freePort(), await freePort()];
	const vars = (p: number) => ({ ...stackVars, PORTAL_PORT: String(p), DB_STATS: "0" });
	// The password Worker in a process of its own, as its isolates run apart from the pages' in production.
	const passwordsConfig = join(root, "wrangler.passwords.toml");
	const passwordsPort = await freePort();
	const passwords = await startWorkerd({
		config: passwordsConfig,
		bundleDir: buildBundle(passwordsConfig, join(root, ".wrangler", "bench-passwords")),
		module: "worker.js",
		port: passwordsPort,
		vars: {},
	});
	const main = await startWorkerd({
		config: join(root, "wrangler.toml"),
		bundleDir,
		port,
		vars: vars(port),
		services: { PASSWORDS: `127.0.0.1:${passwordsPort}` },
		inspectorPort,
	});
	const inline = await startWorkerd({
		config: join(root, "wrangler.toml"),
		bundleDir,
		port: inlineHashingPort,
		vars: vars(inlineHashingPort),
	});
	return {
		port,
		main,
		inlineHashingPort,
		stop: async () => {
			await Promise.all([main.stop(), inline.stop(), passwords.stop()]);
		},
	};
}
