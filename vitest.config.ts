import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		projects: [
			{
				// The local libSQL server, driven from Node with the real client and drizzle.
				test: {
					name: "node",
					include: ["test/libsql-server/**/*.test.ts", "test/node/**/*.test.ts", "test/stripe-emulator/**/*.test.ts"],
					environment: "node",
				},
			},
			{
				// The Worker inside workerd, against a real libSQL server started by the global setup.
				plugins: [
					cloudflareTest(({ inject }) => ({
						wrangler: { configPath: "./wrangler.toml" },
						miniflare: {
							compatibilityFlags: ["service_binding_extra_handlers"],
							// The password Worker, as deployed (built by `npm run build:passwords`, part of pretest).
							workers: [
								{
									name: "portico-passwords",
									modules: true,
									scriptPath: "./.wrangler/passwords/worker.js",
									compatibilityDate: "2026-11-01",
									compatibilityFlags: ["nodejs_compat"],
								},
							],
							bindings: {
								DATABASE_URL: inject("databaseUrl"),
								ENVIRONMENT: "test",
								DB_STATS: "1",
								// Tests read the outbox right after a request: deliver inline (the queue consumer has its own test).
								MAIL_DELIVERY: "inline",
								MAIL_TRANSPORT: "outbox",
								EXPORT_DELIVERY: "inline",
								USAGE_DELIVERY: "inline",
								// Job messages run in the dispatching call; the queue consumer has its own test.
								JOB_DELIVERY: "inline",
								// Webhook tests drive deliveries by their own clock: no delivery starts from a request.
								WEBHOOK_DELIVERY: "sweep",
								VENDOR_API_SECRET: "vendor-secret-for-tests-0123456789",
								STRIPE_API_BASE: inject("stripeApiBase"),
								STRIPE_SECRET_KEY: "sk_test_portico",
								STRIPE_WEBHOOK_SECRET: "whsec_test_portico_0123456789",
								EXPORT_SIGNING_KEY: "test-export-signing-key-0123456789abcdef",
								SSO_SECRET_KEY: "test-sso-secret-key-0123456789abcdef",
								GOOGLE_CLIENT_ID: "google-client",
								GOOGLE_CLIENT_SECRET: "google-secret",
								GITHUB_CLIENT_ID: "github-client",
								GITHUB_CLIENT_SECRET: "github-secret",
								// DNS checks go to this resolver; tests answer it at the fetch boundary (nothing listens there).
								DOH_ENDPOINT: "http://127.0.0.1:9/dns-query",
								SUPPORT_INBOX: "support-team@portico.test",
							},
						},
					})),
				],
				test: {
					name: "worker",
					include: ["test/worker/**/*.test.ts"],
					// The Worker's first load happens in test/support/warm-worker.ts (a hook), so a test's own
					// allowance covers only its requests; 20 s is far above what any needs on a loaded machine.
					testTimeout: 20_000,
					globalSetup: ["test/support/global-setup.ts"],
					setupFiles: ["test/support/warm-worker.ts"],
				},
			},
		],
	},
});
