// Starts the local stack — libSQL server, migrations, demo seed, `wrangler dev` — as child processes.
// `npm start` uses it with the contract's ports; the browser tests and benchmarks start their own copy
// on free ports with a scratch data directory.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { buildAssets } from "./build-assets.ts";
import { startDnsServer } from "./dns-server/server.ts";
import { startOidcProvider } from "./oidc-provider.ts";
import { startSamlIdp } from "./saml-idp.ts";
import { missingDemoData, seedDemo } from "./seed.ts";
import { provisionDemoMember, seedDemoDirectory } from "./seed-directory.ts";
import { DEMO_OIDC_CLIENT, DEV_SSO_SECRET_KEY, seedDemoSso } from "./seed-sso.ts";
import { DEMO_WEBHOOK_SECRET, seedDemoWebhooks } from "./seed-webhooks.ts";
import { STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, VENDOR_API_SECRET } from "./stripe-credentials.ts";
import { startWebhookReceiver, startWebhookReceiverOnFreePort, type WebhookReceiver } from "./webhook-receiver.ts";

const root = new URL("..", import.meta.url).pathname;

export interface StackOptions {
	port: number;
	dbPort: number;
	stripePort: number;
	dataDir: string;
	/** The local DNS-over-HTTPS resolver's port (default: a free one). */
	dnsPort?: number;
	/** The local webhook receiver's port, 8000–9999 (default: a free one in 9000–9999). */
	webhookPort?: number;
	/** Print the children's output (npm start) or keep it quiet (tests, benchmarks). */
	verbose?: boolean;
}

export interface Stack {
	portalOrigin(slug?: string): string;
	databaseUrl: string;
	stripeUrl: string;
	/** The local DNS resolver: add records with POST /_records. */
	dnsUrl: string;
	/** The local OpenID provider Acme's single sign-on uses (any login, any password). */
	oidcIssuer: string;
	/** A local SAML identity provider (samlify) whose metadata URL an admin can paste at /settings/sso. */
	samlMetadataUrl: string;
	/** The local webhook receiver Acme's demo endpoint points at (and browser tests use). */
	webhooks: WebhookReceiver;
	/** The variables the Worker runs with beyond wrangler.toml's. */
	vars: Record<string, string>;
	stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const address = server.address();
			const port = typeof address === "object" && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

async function waitFor(url: string, child: ChildProcess, what: string, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
		try {
			const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
			await res.arrayBuffer();
			return;
		} catch {
			await new Promise((r) => setTimeout(r, 150));
		}
	}
	throw new Error(`${what} did not answer at ${url} within ${timeoutMs} ms`);
}

/** Waits until Acme's portal answers its sign-in page with 200 (node:http: *.localhost need not resolve). */
async function waitForPortal(port: number, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last = 0;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
		last = await new Promise<number>((resolve) => {
			const req = httpRequest(
				{ host: "127.0.0.1", port, path: "/sign-in", headers: { host: `acme.localhost:${port}` }, timeout: 5_000 },
				(res) => {
					res.resume();
					resolve(res.statusCode ?? 0);
				},
			);
			req.on("error", () => resolve(0));
			req.on("timeout", () => req.destroy());
			req.end();
		});
		if (last === 200) return;
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`Acme's portal did not answer within ${timeoutMs} ms (last status ${last})`);
}

export async function applyMigrations(databaseUrl: string): Promise<void> {
	const client = createClient({ url: databaseUrl });
	try {
		await migrate(drizzle(client), { migrationsFolder: join(root, "migrations") });
	} finally {
		client.close();
	}
}

/** The last few kilobytes a quiet child wrote, for the error when it misbehaves. */
const tails = new WeakMap<ChildProcess, string>();

function launch(command: string, args: string[], verbose: boolean, env: NodeJS.ProcessEnv = {}): ChildProcess {
	const child = spawn(command, args, {
		cwd: root,
		env: { ...process.env, ...env },
		stdio: verbose ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
		detached: true,
	});
	if (!verbose) {
		const keep = (chunk: Buffer) => tails.set(child, `${tails.get(child) ?? ""}${chunk}`.slice(-4_000));
		child.stdout?.on("data", keep);
		child.stderr?.on("data", keep);
	}
	return child;
}

function kill(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
	return new Promise((resolve) => {
		const done = setTimeout(() => {
			try {
				process.kill(-(child.pid as number), "SIGKILL");
			} catch {}
			resolve();
		}, 5_000);
		child.once("exit", () => {
			clearTimeout(done);
			resolve();
		});
		try {
			// The whole process group: wrangler starts workerd as its own child.
			process.kill(-(child.pid as number), "SIGTERM");
		} catch {
			resolve();
		}
	});
}

/**
 * Runs the hourly Stripe reconciliation once the Worker answers — the same path that repairs missed
 * webhooks in production — and waits until the demo's billing data is in the cache. Stripe events sent
 * while wrangler was still booting were refused (the emulator retries them later, as Stripe does), so
 * without this the demo would show "No invoices yet" until the next hourly run.
 */
async function repairBillingCache(
	origin: string,
	databaseUrl: string,
	verbose: boolean,
	worker: ChildProcess,
): Promise<void> {
	// A loaded machine can take a while (the Worker's first Stripe calls, webhooks arriving meanwhile):
	// run the job, look, and run it again until the cache holds the demo or the minute is over.
	const deadline = Date.now() + 60_000;
	let missing: string[] = [];
	let status = 0;
	while (Date.now() < deadline) {
		// `wrangler dev --test-scheduled` answers when the handler is done, and the handler awaits the job.
		const res = await fetch(`${origin}/__scheduled?cron=${encodeURIComponent("0 * * * *")}`).catch(() => null);
		status = res?.status ?? 0;
		await res?.arrayBuffer();
		missing = await missingDemoData(databaseUrl);
		if (missing.length === 0) {
			if (verbose) console.log("Billing cache reconciled with the Stripe emulator.");
			return;
		}
		await new Promise((r) => setTimeout(r, 1_000));
	}
	throw new Error(
		`The demo is incomplete after a minute of reconciliation (last run answered ${status}): ${missing.join("; ")}\n${tails.get(worker) ?? ""}`,
	);
}

export async function startStack({
	port,
	dbPort,
	stripePort,
	dataDir,
	dnsPort,
	webhookPort,
	verbose = false,
}: StackOptions): Promise<Stack> {
	// What wrangler serves (public/, src/generated/) is built first, from any state of the checkout.
	buildAssets();
	mkdirSync(dataDir, { recursive: true });
	const children: ChildProcess[] = [];
	const dns = await startDnsServer(dnsPort ?? (await freePort()), join(dataDir, "dns.json"));
	// The demo's identity provider (Acme's single sign-on), in this process like the DNS resolver.
	const oidc = await startOidcProvider({
		...DEMO_OIDC_CLIENT,
		redirectUris: [`http://localhost:${port}/sso/oidc/callback`],
	});
	const saml = await startSamlIdp();
	// The contract's port when it is free; another development port when something else holds it.
	const webhooks = webhookPort
		? await startWebhookReceiver(webhookPort, [DEMO_WEBHOOK_SECRET]).catch(() =>
				startWebhookReceiverOnFreePort([DEMO_WEBHOOK_SECRET]),
			)
		: await startWebhookReceiverOnFreePort([DEMO_WEBHOOK_SECRET]);
	const stop = async () => {
		await Promise.all(children.reverse().map(kill));
		await webhooks.close();
		await dns.close();
		await oidc.stop();
		await saml.stop();
	};
	try {
		const node = process.execPath;
		const databaseUrl = `http://127.0.0.1:${dbPort}/`;
		const db = launch(
			node,
			[join(root, "dev/libsql-server/main.ts"), "--port", String(dbPort), "--data", dataDir],
			verbose,
		);
		children.push(db);
		await waitFor(`${databaseUrl}health`, db, "libSQL server");
		await applyMigrations(databaseUrl);
		const stripeUrl = `http://127.0.0.1:${stripePort}`;
		const emulator = launch(
			node,
			[
				join(root, "dev/stripe-emulator/main.ts"),
				"--port",
				String(stripePort),
				"--data",
				join(dataDir, "stripe.json"),
				"--webhook-url",
				`http://localhost:${port}/webhooks/stripe`,
				"--webhook-secret",
				STRIPE_WEBHOOK_SECRET,
			],
			verbose,
		);
		children.push(emulator);
		await waitFor(`${stripeUrl}/health`, emulator, "Stripe emulator");
		const inspectorPort = await freePort();
		// What the Worker is given beyond wrangler.toml (benchmarks run the bundle with the same).
		const vars: Record<string, string> = {
			DATABASE_URL: databaseUrl,
			// Development only: production sets EXPORT_SIGNING_KEY as a secret.
			EXPORT_SIGNING_KEY: "local-development-export-signing-key",
			// Development only: production sets SSO_SECRET_KEY as a secret.
			SSO_SECRET_KEY: DEV_SSO_SECRET_KEY,
			VENDOR_API_SECRET,
			PORTAL_PORT: String(port),
			STRIPE_API_BASE: stripeUrl,
			STRIPE_SECRET_KEY,
			STRIPE_WEBHOOK_SECRET,
			DOH_ENDPOINT: `${dns.url}/dns-query`,
			// The demo's vendor support team: new tickets and customer replies land in /dev/mail.
			SUPPORT_INBOX: "support@portico.test",
		};
		// wrangler's own script on this Node (22), whatever `node` the PATH finds first.
		const wrangler = launch(
			node,
			[
				join(root, "node_modules/wrangler/bin/wrangler.js"),
				"dev",
				// The portal Worker and the password Worker it reaches through its PASSWORDS binding.
				"-c",
				"wrangler.toml",
				"-c",
				"wrangler.passwords.toml",
				"--port",
				String(port),
				"--inspector-port",
				String(inspectorPort),
				"--test-scheduled",
				...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
				"--show-interactive-dev-session=false",
			],
			verbose,
			// No network but the package registries here: no telemetry, no fetch of the `cf` object.
			{
				WRANGLER_SEND_METRICS: "false",
				CLOUDFLARE_CF_FETCH_ENABLED: "false",
				WRANGLER_LOG: verbose ? "info" : "error",
			},
		);
		children.push(wrangler);
		// The seed runs while wrangler boots; webhooks it causes before the Worker answers are repaired below.
		const seeded = await seedDemo(databaseUrl, undefined, stripeUrl);
		if (verbose) console.log(seeded ? "Seeded the demo organizations." : "Demo data already present.");
		await seedDemoSso(databaseUrl, oidc.issuer);
		const newDirectory = await seedDemoDirectory(databaseUrl);
		await seedDemoWebhooks(databaseUrl, webhooks.url);
		const origin = `http://localhost:${port}`;
		await waitFor(`${origin}/`, wrangler, "wrangler dev", 120_000);
		// Any answer is not enough: the demo's portal itself must answer (wrangler's proxy can answer first).
		await waitForPortal(port, wrangler);
		if (newDirectory) {
			await provisionDemoMember(port);
			// The directory's new member is the demo's first webhook event: the 5-minute job delivers it.
			await fetch(`${origin}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`)
				.then((r) => r.arrayBuffer())
				.catch(() => null);
		}
		await repairBillingCache(origin, databaseUrl, verbose, wrangler);
		return {
			databaseUrl,
			stripeUrl,
			vars,
			dnsUrl: dns.url,
			oidcIssuer: oidc.issuer,
			samlMetadataUrl: saml.metadataUrl,
			webhooks,
			portalOrigin: (slug?: string) => `http://${slug ? `${slug}.` : ""}localhost:${port}`,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
