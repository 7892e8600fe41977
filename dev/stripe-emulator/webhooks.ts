// Webhook delivery the way Stripe does it: every attempt signed afresh (the `t=` in the signature is the
// attempt's time, so a retry days later still passes a 300 s tolerance), 2xx is success, and a failed
// event is retried with exponential backoff for up to three days (live mode). The schedule runs on the
// emulator's clock, so advancing the clock (`/_emulator/clock/advance`) makes due retries happen at once.
import { createHmac } from "node:crypto";
import type { Delivery, Store } from "./store.ts";

/** Seconds before each retry: 1 minute, doubling, twelve retries, the last about 68 hours after the first try. */
export const STRIPE_RETRY_DELAYS_SECONDS = Array.from({ length: 12 }, (_, i) => 60 * 2 ** i);

export function signPayload(secret: string, payload: string, timestampSeconds: number): string {
	const v1 = createHmac("sha256", secret).update(`${timestampSeconds}.${payload}`).digest("hex");
	return `t=${timestampSeconds},v1=${v1}`;
}

export interface Deliverer {
	/** Attempts every delivery that is due, oldest first, one at a time. */
	runDue(): Promise<void>;
	setUrl(url: string | null): void;
	stop(): void;
}

export function startDeliveries(
	store: Store,
	options: { url: string | null; retryDelaysSeconds: number[]; timeoutMs?: number },
): Deliverer {
	let url = options.url;
	const attempt = async (delivery: Delivery, target: string): Promise<void> => {
		delivery.attempts++;
		let ok = false;
		try {
			const res = await fetch(target, {
				method: "POST",
				redirect: "manual",
				signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
				headers: {
					"content-type": "application/json",
					"stripe-signature": signPayload(store.webhookSecret, delivery.payload, Math.floor(Date.now() / 1000)),
				},
				body: delivery.payload,
			});
			await res.arrayBuffer();
			ok = res.status >= 200 && res.status < 300;
		} catch {
			// Unreachable, refused or timed out: retried on the schedule.
		}
		if (ok) {
			delivery.delivered = true;
			delivery.nextAttemptAt = null;
			return;
		}
		const wait = options.retryDelaysSeconds[delivery.attempts - 1];
		delivery.nextAttemptAt = wait === undefined ? null : store.now() + wait;
	};
	// One pass at a time: deliveries go out in order, as Stripe's do in practice for one endpoint.
	let running: Promise<void> = Promise.resolve();
	const runDue = (): Promise<void> => {
		running = running.then(async () => {
			for (const delivery of store.deliveries) {
				if (!url || delivery.delivered || delivery.nextAttemptAt === null) continue;
				if (delivery.nextAttemptAt > store.now()) continue;
				await attempt(delivery, url);
			}
		});
		return running;
	};
	store.onEvent = () => void runDue();
	const ticker = setInterval(() => void runDue(), 1_000);
	ticker.unref();
	return {
		runDue,
		setUrl(next) {
			url = next;
		},
		stop: () => clearInterval(ticker),
	};
}
