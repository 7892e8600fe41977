// The demo's webhooks: an endpoint of Acme's pointing at the local receiver, with a known signing secret
// (development only, printed by `npm start`), subscribed to every event type — so the first events of the
// demo (the directory's new member) arrive there and the endpoint's page shows its delivery log.
import { eq } from "drizzle-orm";
import { openDatabase } from "../src/db/client.ts";
import { organizations, webhookEndpoints } from "../src/db/schema.ts";
import { newId } from "../src/lib/ids.ts";
import { seal } from "../src/lib/secret-box.ts";
import { SECRET_PURPOSE } from "../src/webhooks/deliver.ts";
import { DEV_SSO_SECRET_KEY } from "./seed-sso.ts";

export const DEMO_WEBHOOK_SECRET = "whsec_bG9jYWwtZGVtby13ZWJob29rLXNlY3JldC0x";
const DEMO_DESCRIPTION = "Local receiver (npm start)";

/**
 * Creates Acme's demo endpoint if it has none (true when it was created now); a demo endpoint made by an
 * earlier start whose receiver listened elsewhere is pointed at this start's receiver.
 */
export async function seedDemoWebhooks(url: string, receiverUrl: string): Promise<boolean> {
	const db = openDatabase({ url });
	const [acme] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, "acme"));
	if (!acme) return false;
	const target = `${receiverUrl}/portico`;
	const existing = await db
		.select({ id: webhookEndpoints.id, url: webhookEndpoints.url, description: webhookEndpoints.description })
		.from(webhookEndpoints)
		.where(eq(webhookEndpoints.orgId, acme.id));
	const demo = existing.find((e) => e.description === DEMO_DESCRIPTION);
	if (demo && demo.url !== target)
		await db.update(webhookEndpoints).set({ url: target }).where(eq(webhookEndpoints.id, demo.id));
	if (existing.length > 0) return false;
	const nowMs = Date.now();
	await db.insert(webhookEndpoints).values({
		id: newId("whe", nowMs),
		orgId: acme.id,
		url: target,
		description: DEMO_DESCRIPTION,
		eventTypes: null,
		secretSealed: await seal(DEV_SSO_SECRET_KEY, SECRET_PURPOSE, DEMO_WEBHOOK_SECRET),
		updatedAt: nowMs,
	});
	return true;
}
