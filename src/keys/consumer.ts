// The usage queue's consumer: one batch of verifications → one database batch.
import { openDatabase } from "../db/client.ts";
import { type Bindings, readConfig } from "../env.ts";
import { log } from "../lib/log.ts";
import { type UsageMessage, usageMessageSchema, writeUsage } from "./usage.ts";

export async function processUsageBatch(batch: MessageBatch<unknown>, bindings: Bindings): Promise<void> {
	const config = readConfig(bindings);
	const db = openDatabase({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
	const valid: UsageMessage[] = [];
	for (const message of batch.messages) {
		const parsed = usageMessageSchema.safeParse(message.body);
		if (parsed.success) valid.push(parsed.data);
		else log("error", "usage message invalid", { id: message.id });
	}
	try {
		await writeUsage(db, valid);
		batch.ackAll();
	} catch (error) {
		log("warn", "usage batch will be retried", { count: valid.length, error });
		batch.retryAll({ delaySeconds: 10 });
	}
}
