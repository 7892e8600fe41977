// The README's first command, as a new user runs it: `npm start` in this checkout (CI: a clean clone
// after `npm ci`, nothing else run before), then what the demo promises, read through the portal:
// Acme's signed-out sign-in page, and — signed in as its owner — the paid invoice with its PDF and hosted
// page on Billing. Then SIGTERM to npm alone (what a process manager sends) must free every port.
// Run: `node test/smoke/first-run.ts` (the contract's ports; PORT, LIBSQL_PORT, STRIPE_PORT, DNS_PORT move them).
import { spawn } from "node:child_process";
import { request } from "node:http";
import { createConnection } from "node:net";

const port = Number(process.env.PORT ?? 8787);
const ports = {
	wrangler: port,
	libsql: Number(process.env.LIBSQL_PORT ?? 8080),
	stripe: Number(process.env.STRIPE_PORT ?? 12111),
	dns: Number(process.env.DNS_PORT ?? 8053),
};
const START_LIMIT_MS = 180_000;
const root = new URL("../..", import.meta.url).pathname;

function fail(message: string, output: string): never {
	console.error(`first-run smoke test failed: ${message}\n--- npm start said (last 40 lines) ---`);
	console.error(output.split("\n").slice(-40).join("\n"));
	process.exit(1);
}

function get(
	host: string,
	path: string,
	init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
	return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>(
		(resolve, reject) => {
			const req = request(
				{ host: "127.0.0.1", port, path, method: init.method ?? "GET", headers: { host, ...init.headers } },
				(res) => {
					let text = "";
					res.on("data", (c) => (text += c));
					res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
				},
			);
			req.on("error", reject);
			req.end(init.body);
		},
	);
}

function listening(p: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection({ host: "127.0.0.1", port: p });
		socket.once("connect", () => {
			socket.destroy();
			resolve(true);
		});
		socket.once("error", () => resolve(false));
	});
}

for (const [name, p] of Object.entries(ports))
	if (await listening(p)) fail(`port ${p} (${name}) is taken before the start`, "");

const npm = spawn("npm", ["start"], { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: process.env });
let output = "";
npm.stdout.on("data", (c) => (output += c));
npm.stderr.on("data", (c) => (output += c));
const started = Date.now();
while (!output.includes("Portico is running.")) {
	if (npm.exitCode !== null) fail(`npm start exited with code ${npm.exitCode}`, output);
	if (Date.now() - started > START_LIMIT_MS) fail(`not running after ${START_LIMIT_MS / 1000} s`, output);
	await new Promise((r) => setTimeout(r, 250));
}
const startSeconds = ((Date.now() - started) / 1000).toFixed(1);

// The moment the URLs are printed, the demo is complete.
const acme = `acme.localhost:${port}`;
const signInPage = await get(acme, "/sign-in");
if (signInPage.status !== 200 || !signInPage.text.includes("Acme"))
	fail(`acme's sign-in page: ${signInPage.status}`, output);
const signIn = await get(acme, "/sign-in", {
	method: "POST",
	headers: { "content-type": "application/x-www-form-urlencoded", origin: `http://${acme}` },
	body: new URLSearchParams({ email: "owner@acme.test", password: "portico-demo-password" }).toString(),
});
const cookie = String(signIn.headers["set-cookie"] ?? "").split(";")[0];
if (signIn.status !== 303 || !cookie) fail(`owner@acme.test could not sign in: ${signIn.status}`, output);
const billing = await get(acme, "/billing", { headers: { cookie } });
if (billing.status !== 200) fail(`acme's billing page: ${billing.status}`, output);
if (billing.text.includes("No invoices yet")) fail("acme's billing page says 'No invoices yet'", output);
if (!/\/invoices\/in_\w+\/pdf/.test(billing.text) || !/\/i\/in_\w+/.test(billing.text))
	fail("acme's invoice has no PDF or hosted-page link", output);

// SIGTERM to npm only, as `kill <pid>` or a process manager sends it.
npm.kill("SIGTERM");
const stopped = Date.now();
for (;;) {
	const open = [];
	for (const [name, p] of Object.entries(ports)) if (await listening(p)) open.push(`${name} (${p})`);
	if (open.length === 0) break;
	if (Date.now() - stopped > 20_000) fail(`still listening 20 s after SIGTERM: ${open.join(", ")}`, output);
	await new Promise((r) => setTimeout(r, 250));
}
console.log(
	`first-run smoke test: npm start ready in ${startSeconds} s; Acme's sign-in page and paid invoice served; every port free ${((Date.now() - stopped) / 1000).toFixed(1)} s after SIGTERM`,
);
process.exit(0);
