// Pushed webhook deliveries: retried as Stripe retries them (exponential backoff over about three days,
// on the emulator's clock) and signed afresh on every attempt.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE } from "../../dev/stripe-emulator/billing.ts";
import { createStripeEmulator } from "../../dev/stripe-emulator/server.ts";
import { STRIPE_RETRY_DELAYS_SECONDS } from "../../dev/stripe-emulator/webhooks.ts";

const SECRET = "whsec_retry_test_0123456789";
let emulator: ReturnType<typeof createStripeEmulator>;
let endpoint: Server;
let emulatorUrl: string;
/** What the endpoint answers next (status codes, used up in order; 200 once empty). */
const answers: number[] = [];
const received: { signature: string; body: string; at: number }[] = [];

function listen(server: Server): Promise<number> {
	return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

function body(req: IncomingMessage): Promise<string> {
	return new Promise((resolve) => {
		let text = "";
		req.on("data", (c) => (text += c));
		req.on("end", () => resolve(text));
	});
}

beforeAll(async () => {
	endpoint = createServer(async (req, res) => {
		received.push({ signature: String(req.headers["stripe-signature"]), body: await body(req), at: Date.now() });
		res.writeHead(answers.shift() ?? 200).end();
	});
	const endpointPort = await listen(endpoint);
	emulator = createStripeEmulator({
		dataFile: null,
		webhookSecret: SECRET,
		webhookUrl: `http://127.0.0.1:${endpointPort}/webhooks/stripe`,
	});
	const port = await listen(emulator.server);
	emulatorUrl = `http://127.0.0.1:${port}`;
	BASE.url = emulatorUrl;
});
afterAll(async () => {
	await new Promise((r) => emulator.server.close(r));
	await new Promise((r) => endpoint.close(r));
});

async function advance(seconds: number) {
	const res = await fetch(`${emulatorUrl}/_emulator/clock/advance`, {
		method: "POST",
		body: JSON.stringify({ seconds }),
	});
	expect(res.status).toBe(200);
}

async function deliveryOf(eventType: string) {
	const res = await fetch(`${emulatorUrl}/_emulator/deliveries`);
	const { deliveries } = (await res.json()) as {
		deliveries: { payload: string; delivered: boolean; attempts: number; next_attempt: number | null }[];
	};
	const found = deliveries.filter((d) => JSON.parse(d.payload).type === eventType).at(-1);
	if (!found) throw new Error(`no ${eventType} delivery in ${JSON.stringify(deliveries.map((d) => d.payload))}`);
	return found;
}

describe("Stripe emulator webhook delivery", () => {
	it("retries a failing endpoint on Stripe's backoff for about three days, then gives up", () => {
		expect(STRIPE_RETRY_DELAYS_SECONDS[0]).toBe(60);
		const total = STRIPE_RETRY_DELAYS_SECONDS.reduce((a, b) => a + b, 0);
		expect(total).toBeGreaterThan(2.5 * 86_400);
		expect(total).toBeLessThanOrEqual(3 * 86_400);
		for (let i = 1; i < STRIPE_RETRY_DELAYS_SECONDS.length; i++)
			expect(STRIPE_RETRY_DELAYS_SECONDS[i]).toBe(2 * (STRIPE_RETRY_DELAYS_SECONDS[i - 1] ?? 0));
	});

	it("retries when the clock reaches the next attempt, every attempt validly signed", async () => {
		const stripe = new Stripe("sk_test_portico", {
			host: "127.0.0.1",
			port: Number(new URL(emulatorUrl).port),
			protocol: "http",
			maxNetworkRetries: 0,
		});
		answers.push(503, 500, 404);
		const first = received.length;
		await stripe.customers.create({ email: "retry@example.test" });
		await emulator.runDueDeliveries();
		let delivery = await deliveryOf("customer.created");
		expect(delivery).toMatchObject({ delivered: false, attempts: 1 });
		// Not yet due: nothing is sent. (The emulator's clock is real time plus the advances, so the check
		// leaves half a minute for the machine's own slowness rather than one second.)
		await advance(30);
		expect((await deliveryOf("customer.created")).attempts).toBe(1);
		await advance(30);
		delivery = await deliveryOf("customer.created");
		expect(delivery).toMatchObject({ delivered: false, attempts: 2 });
		await advance(120);
		expect(await deliveryOf("customer.created")).toMatchObject({ delivered: false, attempts: 3 });
		await advance(240);
		delivery = await deliveryOf("customer.created");
		expect(delivery).toMatchObject({ delivered: true, attempts: 4, next_attempt: null });
		const attempts = received.slice(first).filter((r) => JSON.parse(r.body).type === "customer.created");
		expect(attempts).toHaveLength(4);
		for (const attempt of attempts) {
			const event = await stripe.webhooks.constructEventAsync(attempt.body, attempt.signature, SECRET);
			expect(event.type).toBe("customer.created");
		}
	});

	it("stops after the last scheduled retry", async () => {
		const stripe = new Stripe("sk_test_portico", {
			host: "127.0.0.1",
			port: Number(new URL(emulatorUrl).port),
			protocol: "http",
			maxNetworkRetries: 0,
		});
		answers.push(...Array.from({ length: 40 }, () => 500));
		const customer = await stripe.customers.create({ email: "giveup@example.test" });
		await stripe.customers.update(customer.id, { name: "Gives up" });
		await emulator.runDueDeliveries();
		for (const wait of STRIPE_RETRY_DELAYS_SECONDS) await advance(wait);
		await advance(7 * 86_400);
		const delivery = await deliveryOf("customer.updated");
		expect(delivery).toMatchObject({ delivered: false, next_attempt: null });
		expect(delivery.attempts).toBe(STRIPE_RETRY_DELAYS_SECONDS.length + 1);
		answers.length = 0;
	});
});
