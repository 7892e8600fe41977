// Worker entry: HTTP through the Hono app, cron triggers through the job dispatcher.
import { createApp } from "./app.ts";
import type { Bindings } from "./env.ts";
import { processExportBatch } from "./exports/consumer.ts";
import { processJobBatch } from "./jobs/consumer.ts";
import { scheduled } from "./jobs/scheduled.ts";
import { processUsageBatch } from "./keys/consumer.ts";
import { deliverMailBatch } from "./mail/consumer.ts";

const app = createApp();

export default {
	fetch: app.fetch,
	// Awaited, not waitUntil: the event lasts as long as the job either way, and `/__scheduled` under
	// `wrangler dev` then answers when the job is done (npm start waits on the reconciliation).
	async scheduled(controller, env) {
		await scheduled(controller, env);
	},
	async queue(batch, env) {
		if (batch.queue.startsWith("portico-jobs")) await processJobBatch(batch, env);
		else if (batch.queue.startsWith("portico-exports")) await processExportBatch(batch, env);
		else if (batch.queue.startsWith("portico-usage")) await processUsageBatch(batch, env);
		else await deliverMailBatch(batch, env);
	},
} satisfies ExportedHandler<Bindings>;
