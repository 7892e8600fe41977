// Worker entry: HTTP through the Hono app, cron triggers through the job dispatcher.
import { createApp } from "./app.ts";
import type { Bindings } from "./env.ts";
import { scheduled } from "./jobs/scheduled.ts";

const app = createApp();

export default {
	fetch: app.fetch,
	async scheduled(controller, env, ctx) {
		ctx.waitUntil(scheduled(controller, env));
	},
} satisfies ExportedHandler<Bindings>;
