// Starts the Stripe emulator in this Node process on a free port (tests, benchmarks).
import type { AddressInfo } from "node:net";
import { BASE } from "../../dev/stripe-emulator/billing.ts";
import { createStripeEmulator } from "../../dev/stripe-emulator/server.ts";

export const TEST_WEBHOOK_SECRET = "whsec_test_portico_0123456789";

export async function startStripeEmulator(webhookUrl: string | null = null) {
	const emulator = createStripeEmulator({
		dataFile: null,
		webhookSecret: TEST_WEBHOOK_SECRET,
		webhookUrl,
		retryDelaysSeconds: [],
	});
	await new Promise<void>((resolve) => emulator.server.listen(0, "127.0.0.1", resolve));
	const { port } = emulator.server.address() as AddressInfo;
	BASE.url = `http://127.0.0.1:${port}`;
	return {
		...emulator,
		port,
		url: BASE.url,
		stop: () => new Promise<void>((resolve) => emulator.server.close(() => resolve())),
	};
}
