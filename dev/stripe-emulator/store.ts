// The emulator's state: Stripe objects by id, its own clock (advanced by the test clock), events and
// webhook deliveries. Persisted as one JSON file so `npm start` keeps customers across restarts.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { notFound } from "./errors.ts";
import { signPayload } from "./webhooks.ts";

export type Obj = Record<string, any>;

export const API_VERSION = "2026-10-28.endive";

export interface Delivery {
	index: number;
	eventId: string;
	payload: string;
	signature: string;
	delivered: boolean;
	attempts: number;
	/** When the next attempt is due, in emulator seconds; null when delivered or given up. */
	nextAttemptAt: number | null;
}

export interface State {
	clockOffsetSeconds: number;
	objects: Record<string, Obj>;
	events: string[];
	invoiceCounter: number;
	idempotency: Record<string, { fingerprint: string; status: number; body: string; at: number }>;
}

import { stripeShape } from "./shapes.ts";

/** Fields the emulator keeps for itself on stored objects: never in a response or a webhook payload. */
const INTERNAL_FIELDS = new Set([
	"test_token",
	"pending_invoice_items",
	"line_items_internal",
	"subscription_metadata",
]);

/** A deep copy of an object as Stripe would show it, without the emulator's own bookkeeping. */
export function publicView<T>(value: T): T {
	if (Array.isArray(value)) return value.map((v) => publicView(v)) as T;
	if (value === null || typeof value !== "object") return value;
	const own = Object.fromEntries(
		Object.entries(value as Record<string, unknown>)
			.filter(([key]) => !INTERNAL_FIELDS.has(key))
			.map(([key, v]) => [key, publicView(v)]),
	);
	return stripeShape(own) as T;
}

export class Store {
	state: State;
	deliveries: Delivery[] = [];
	readonly #file: string | null;
	readonly webhookSecret: string;
	onEvent: ((delivery: Delivery) => void) | null = null;

	constructor(file: string | null, webhookSecret: string) {
		this.#file = file;
		this.webhookSecret = webhookSecret;
		this.state =
			file && existsSync(file)
				? (JSON.parse(readFileSync(file, "utf8")) as State)
				: { clockOffsetSeconds: 0, objects: {}, events: [], invoiceCounter: 0, idempotency: {} };
	}

	save(): void {
		if (!this.#file) return;
		mkdirSync(dirname(this.#file), { recursive: true });
		writeFileSync(this.#file, JSON.stringify(this.state));
	}

	now(): number {
		return Math.floor(Date.now() / 1000) + this.state.clockOffsetSeconds;
	}

	id(prefix: string): string {
		return `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
	}

	put<T extends Obj>(obj: T): T {
		this.state.objects[obj.id] = obj;
		return obj;
	}

	get(id: string, kind = "object"): Obj {
		const obj = this.state.objects[id];
		if (!obj) throw notFound(kind, id);
		return obj;
	}

	find(id: string): Obj | undefined {
		return this.state.objects[id];
	}

	all(object: string): Obj[] {
		return Object.values(this.state.objects).filter((o) => o.object === object);
	}

	/** Records an event and signs its webhook payload the way Stripe does (t=…,v1=HMAC-SHA256). */
	emit(type: string, object: Obj, previousAttributes?: Obj): Obj {
		const event = {
			id: this.id("evt"),
			object: "event",
			api_version: API_VERSION,
			created: this.now(),
			data: {
				object: publicView(object),
				...(previousAttributes ? { previous_attributes: previousAttributes } : {}),
			},
			livemode: false,
			pending_webhooks: 1,
			request: { id: null, idempotency_key: null },
			type,
		};
		this.put(event);
		this.state.events.push(event.id);
		const payload = JSON.stringify(event);
		const delivery = {
			index: this.deliveries.length,
			eventId: event.id,
			payload,
			// For tests that pull deliveries and post them themselves; pushed attempts are signed afresh.
			signature: signPayload(this.webhookSecret, payload, Math.floor(Date.now() / 1000)),
			delivered: false,
			attempts: 0,
			nextAttemptAt: this.now(),
		};
		this.deliveries.push(delivery);
		this.onEvent?.(delivery);
		return event;
	}
}
