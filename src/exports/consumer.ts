// The export queue's consumer: each message builds one export, in that organization's own context.
import * as z from "zod";
import { openDatabase, openTenantDatabase } from "../db/client.ts";
import { findOrganizationDatabase } from "../db/system.ts";
import { tenantData } from "../db/tenant-data.ts";
import { type Bindings, readConfig } from "../env.ts";
import { log } from "../lib/log.ts";
import { buildExport } from "./build.ts";

const jobSchema = z.object({
	orgId: z.string().min(1),
	exportId: z.string().min(1),
	origin: z.url(),
	brand: z.object({
		name: z.string(),
		logoUrl: z.string().nullable(),
		faviconUrl: z.string().nullable().default(null),
		supportEmail: z.string().nullable().default(null),
		helpLinks: z.array(z.object({ label: z.string(), url: z.string() })).default([]),
		primary: z.string(),
		secondary: z.string(),
		surface: z.string(),
		text: z.string(),
	}),
});

export async function processExportBatch(batch: MessageBatch<unknown>, bindings: Bindings): Promise<void> {
	const config = readConfig(bindings);
	const mainConfig = { url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN };
	const main = openDatabase(mainConfig);
	for (const message of batch.messages) {
		const job = jobSchema.safeParse(message.body);
		if (!job.success) {
			log("error", "export message invalid", { id: message.id });
			message.ack();
			continue;
		}
		try {
			const org = await findOrganizationDatabase(main, job.data.orgId);
			if (!org) {
				message.ack();
				continue;
			}
			await buildExport(
				bindings,
				main,
				tenantData({ orgId: org.id, db: openTenantDatabase(main, mainConfig, org) }),
				job.data,
			);
			message.ack();
		} catch (error) {
			log("warn", "export will be retried", {
				id: message.id,
				orgId: job.data.orgId,
				attempts: message.attempts,
				error,
			});
			message.retry({ delaySeconds: 30 });
		}
	}
}
