// HTTP front of the Stripe emulator: auth, form bodies, idempotency keys, errors, hosted pages,
// signed webhook delivery with retries, and the emulator's own controls under /_emulator.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { handle } from "./api.ts";
import { BASE, renewDue } from "./billing.ts";
import { StripeApiError } from "./errors.ts";
import { parseForm } from "./form.ts";
import { checkoutPage, completeCheckout, invoicePage, invoicePdf, portalPage, updatePortalCard } from "./pages.ts";
import { Store } from "./store.ts";
import { STRIPE_RETRY_DELAYS_SECONDS, startDeliveries } from "./webhooks.ts";

export interface EmulatorOptions {
	dataFile: string | null;
	webhookSecret: string;
	webhookUrl: string | null;
	/** Seconds before each retry of a failed delivery (default: Stripe's three days of backoff). */
	retryDelaysSeconds?: number[];
}

export const CATALOGUE = [
	{ product: "prod_pro", price: "price_pro_monthly", name: "Pro", amount: 4900 },
	{ product: "prod_business", price: "price_business_monthly", name: "Business", amount: 19900 },
];

function seed(store: Store): void {
	for (const item of CATALOGUE) {
		if (store.find(item.price)) continue;
		store.put({
			id: item.product,
			object: "product",
			name: item.name,
			active: true,
			created: store.now(),
			metadata: {},
			livemode: false,
		});
		store.put({
			id: item.price,
			object: "price",
			product: item.product,
			nickname: item.name,
			unit_amount: item.amount,
			currency: "usd",
			type: "recurring",
			recurring: { interval: "month", interval_count: 1 },
			active: true,
			lookup_key: item.price,
			created: store.now(),
			metadata: {},
			livemode: false,
		});
	}
}

function read(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on("data", (c: Buffer) => chunks.push(c));
		req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
		req.on("error", reject);
	});
}

function send(res: ServerResponse, status: number, body: unknown, type = "application/json"): void {
	const text = typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
	res.writeHead(status, { "content-type": type, "request-id": `req_${Math.random().toString(36).slice(2)}` });
	res.end(text);
}

export function createStripeEmulator(options: EmulatorOptions): {
	server: Server;
	store: Store;
	setWebhookUrl(url: string | null): void;
	runDueDeliveries(): Promise<void>;
} {
	const store = new Store(options.dataFile, options.webhookSecret);
	seed(store);
	const deliveries = startDeliveries(store, {
		url: options.webhookUrl,
		retryDelaysSeconds: options.retryDelaysSeconds ?? STRIPE_RETRY_DELAYS_SECONDS,
	});

	const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const url = new URL(req.url ?? "/", BASE.url);
		const method = req.method ?? "GET";
		const raw = await read(req);
		// Hosted pages and the PDF.
		let m = /^\/checkout\/(cs_\w+)$/.exec(url.pathname);
		if (m && method === "GET") return send(res, 200, checkoutPage(store, m[1] ?? ""), "text/html");
		m = /^\/checkout\/(cs_\w+)\/complete$/.exec(url.pathname);
		if (m && method === "POST") {
			const result = completeCheckout(store, m[1] ?? "", new URLSearchParams(raw).get("card") ?? "pm_card_visa");
			store.save();
			if ("redirect" in result) {
				res.writeHead(303, { location: result.redirect });
				return void res.end();
			}
			return send(res, 402, checkoutPage(store, m[1] ?? "", result.error), "text/html");
		}
		m = /^\/portal\/(bps_\w+)$/.exec(url.pathname);
		if (m && method === "GET") return send(res, 200, portalPage(store, m[1] ?? ""), "text/html");
		m = /^\/portal\/(bps_\w+)\/card$/.exec(url.pathname);
		if (m && method === "POST") {
			const notice = updatePortalCard(store, m[1] ?? "", new URLSearchParams(raw).get("card") ?? "pm_card_visa");
			store.save();
			return send(res, 200, portalPage(store, m[1] ?? "", notice), "text/html");
		}
		m = /^\/i\/(in_\w+)$/.exec(url.pathname);
		if (m) return send(res, 200, invoicePage(store, m[1] ?? ""), "text/html");
		m = /^\/invoices\/(in_\w+)\/pdf$/.exec(url.pathname);
		if (m) return send(res, 200, invoicePdf(store, m[1] ?? ""), "application/pdf");

		// The emulator's own controls (not part of Stripe's API).
		if (url.pathname === "/health") return send(res, 200, "ok", "text/plain");
		if (url.pathname === "/_emulator/clock/advance" && method === "POST") {
			const body = JSON.parse(raw || "{}") as { seconds?: number };
			store.state.clockOffsetSeconds += Math.max(0, Number(body.seconds ?? 0));
			renewDue(store);
			store.save();
			// Retries that fell due during the jump go out before the answer, so a test sees their effect.
			await deliveries.runDue();
			return send(res, 200, { now: store.now() });
		}
		if (url.pathname === "/_emulator/clock" && method === "GET") return send(res, 200, { now: store.now() });
		if (url.pathname === "/_emulator/deliveries" && method === "GET") {
			const after = Number(url.searchParams.get("after") ?? -1);
			const customer = url.searchParams.get("customer");
			const list = store.deliveries.filter((d) => d.index > after && (!customer || d.payload.includes(customer)));
			return send(res, 200, {
				deliveries: list.map(({ index, eventId, payload, signature, delivered, attempts, nextAttemptAt }) => ({
					index,
					eventId,
					payload,
					signature,
					delivered,
					attempts,
					next_attempt: nextAttemptAt,
				})),
			});
		}
		if (url.pathname === "/_emulator/webhook" && method === "POST") {
			const url = (JSON.parse(raw || "{}") as { url?: string | null }).url ?? null;
			deliveries.setUrl(url);
			return send(res, 200, { url });
		}

		// The API.
		if (!url.pathname.startsWith("/v1/"))
			return send(res, 404, new StripeApiError(404, `Unrecognized request URL (${method}: ${url.pathname}).`).toJSON());
		const auth = req.headers.authorization ?? "";
		if (!/^Bearer sk_test_\w+/.test(auth))
			return send(
				res,
				401,
				new StripeApiError(401, "Invalid API Key provided.", { type: "invalid_request_error" }).toJSON(),
			);
		const params = method === "GET" || method === "DELETE" ? parseForm(url.searchParams.toString()) : parseForm(raw);
		const idemKey = req.headers["idempotency-key"];
		const fingerprint = createHash("sha256").update(`${method} ${url.pathname} ${raw}`).digest("hex");
		if (typeof idemKey === "string" && method === "POST") {
			const cached = store.state.idempotency[idemKey];
			if (cached) {
				if (cached.fingerprint !== fingerprint) {
					return send(
						res,
						400,
						new StripeApiError(
							400,
							"Keys for idempotent requests can only be used with the same parameters they were first used with.",
							{ type: "idempotency_error" },
						).toJSON(),
					);
				}
				res.setHeader("idempotent-replayed", "true");
				return send(res, cached.status, cached.body);
			}
		}
		let status = 200;
		let body: string;
		let refusedByValidation = false;
		try {
			body = JSON.stringify(handle(store, method, url.pathname, params));
		} catch (error) {
			if (!(error instanceof StripeApiError)) throw error;
			status = error.status;
			body = JSON.stringify(error.toJSON());
			refusedByValidation = error.type === "invalid_request_error" && (status === 400 || status === 404);
		}
		// Stripe saves no idempotent result for a request whose parameters failed validation: the
		// corrected retry under the same key runs. Executed requests (card declines included) are saved.
		if (typeof idemKey === "string" && method === "POST" && !refusedByValidation)
			store.state.idempotency[idemKey] = { fingerprint, status, body, at: Date.now() };
		store.save();
		send(res, status, body);
	};

	const server = createServer((req, res) => {
		handler(req, res).catch((error) => {
			console.error("stripe-emulator:", error);
			if (!res.headersSent) send(res, 500, { error: { type: "api_error", message: "Emulator error" } });
		});
	});
	server.on("close", () => deliveries.stop());
	return { server, store, setWebhookUrl: (url) => deliveries.setUrl(url), runDueDeliveries: deliveries.runDue };
}
