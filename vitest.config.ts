import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		projects: [
			{
				// The local libSQL server, driven from Node with the real client and drizzle.
				test: {
					name: "node",
					include: ["test/libsql-server/**/*.test.ts", "test/node/**/*.test.ts"],
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
							bindings: {
								DATABASE_URL: inject("databaseUrl"),
								ENVIRONMENT: "test",
								DB_STATS: "1",
							},
						},
					})),
				],
				test: {
					name: "worker",
					include: ["test/worker/**/*.test.ts"],
					globalSetup: ["test/support/global-setup.ts"],
				},
			},
		],
	},
});
