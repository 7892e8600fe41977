// `npm start`: the whole local stack with the demo, on the ports of the local-run contract.
import { watch } from "node:fs";
import { join } from "node:path";
import { buildAssets } from "./build-assets.ts";
import { DEMO_PASSWORD } from "./seed.ts";
import { DEMO_SCIM_TOKEN } from "./seed-directory.ts";
import { DEMO_WEBHOOK_SECRET } from "./seed-webhooks.ts";
import { startStack } from "./stack.ts";

const root = new URL("..", import.meta.url).pathname;
const port = Number(process.env.PORT ?? 8787);
const dbPort = Number(process.env.LIBSQL_PORT ?? 8080);

console.log("Starting Portico: libSQL server, migrations, demo seed, wrangler dev…");
const stripePort = Number(process.env.STRIPE_PORT ?? 12111);
const dnsPort = Number(process.env.DNS_PORT ?? 8053);
const webhookPort = Number(process.env.WEBHOOK_PORT ?? 9100);
const stack = await startStack({
	port,
	dbPort,
	stripePort,
	dnsPort,
	webhookPort,
	dataDir: join(root, ".data"),
	verbose: true,
});

console.log(`
Portico is running.

  Vendor site (apex)   http://localhost:${port}/
  Development mailbox  http://localhost:${port}/dev/mail
  Acme portal (Pro)    ${stack.portalOrigin("acme")}/
  Globex portal (Free) ${stack.portalOrigin("globex")}/
  libSQL server        ${stack.databaseUrl}  (stats: ${stack.databaseUrl}_stats)
  Stripe emulator      ${stack.stripeUrl}  (advance its clock: curl -XPOST ${stack.stripeUrl}/_emulator/clock/advance -d '{"seconds":2678400}')
  DNS resolver         ${stack.dnsUrl}/_records  (custom domains are checked against it; add records with POST)
  OpenID provider      ${stack.oidcIssuer}  (Acme's single sign-on: any @acme.test login, any password)
  SAML IdP metadata    ${stack.samlMetadataUrl}  (paste at /settings/sso → SAML 2.0 to try SAML)
  SCIM (Acme)          ${stack.portalOrigin("acme")}/scim/v2  (Authorization: Bearer ${DEMO_SCIM_TOKEN})
  Webhook receiver     ${stack.webhooks.url}/  (Acme's demo endpoint; secret ${DEMO_WEBHOOK_SECRET};
                       make it fail: curl -XPOST ${stack.webhooks.url}/_mode -d '{"status":500}')
  Cron, by hand        curl "http://localhost:${port}/__scheduled?cron=*/5+*+*+*+*"

  Demo sign-ins (password: ${DEMO_PASSWORD})
    owner@acme.test, admin@acme.test, member@acme.test   at acme.localhost:${port}
    owner@globex.test                                      at globex.localhost:${port}
    anyone@acme.test via "Sign in with SSO"                at acme.localhost:${port} (joins as a Member;
                                                           "name+admins@acme.test" at the provider joins as an Admin)
    ops@portico.test                                       operator console at http://localhost:${port}/ops
                                                           (first sign-in enrols an authenticator app: TOTP is required)

Press Ctrl-C to stop everything.
`);

// Edits to the stylesheet and client scripts are rebuilt under new hashed names; wrangler dev reloads
// the Worker when src/generated/assets.ts changes (it already watches the rest of src/).
for (const dir of ["src/styles", "src/client"]) {
	let timer: NodeJS.Timeout | undefined;
	watch(join(root, dir), () => {
		clearTimeout(timer);
		timer = setTimeout(() => {
			try {
				buildAssets();
			} catch (error) {
				console.error("Rebuilding the assets failed:", error);
			}
		}, 100);
	}).unref();
}

let stopping = false;
async function shutdown() {
	if (stopping) return;
	stopping = true;
	console.log("\nStopping…");
	await stack.stop();
	process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
process.on("SIGHUP", shutdown);
// `kill <npm's pid>` (what a process manager does) ends npm without passing the signal on: this process
// is re-parented then, and stops the stack instead of leaving it listening on the contract's ports.
const parent = process.ppid;
setInterval(() => {
	if (process.ppid !== parent) void shutdown();
}, 250).unref();
