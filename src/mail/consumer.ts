// The mail queue's consumer: deliver each message; a failure is retried by the queue with backoff.
import { openDatabase } from "../db/client.ts";
import { type Bindings, readConfig } from "../env.ts";
import { log } from "../lib/log.ts";
import { mailMessageSchema, transportFor } from "./send.ts";

export async function deliverMailBatch(batch: MessageBatch<unknown>, bindings: Bindings): Promise<void> {
	const config = readConfig(bindings);
	const db = openDatabase({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
	const transport = transportFor(bindings, db);
	for (const message of batch.messages) {
		const parsed = mailMessageSchema.safeParse(message.body);
		if (!parsed.success) {
			// A malformed message will never succeed: drop it, loudly.
			log("error", "mail message invalid", { id: message.id });
			message.ack();
			continue;
		}
		try {
			await transport.send(parsed.data);
			message.ack();
		} catch (error) {
			log("warn", "mail delivery failed, will retry", {
				id: message.id,
				orgId: parsed.data.orgId,
				attempts: message.attempts,
				error,
			});
			message.retry({ delaySeconds: Math.min(60 * 2 ** message.attempts, 3600) });
		}
	}
}
