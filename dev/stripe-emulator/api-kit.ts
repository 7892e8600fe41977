// What every route table of the emulator shares: the handler shape, list pagination, integer params.
import { notFound, StripeApiError } from "./errors.ts";
import type { Obj, Store } from "./store.ts";

// biome-ignore lint/suspicious/noExplicitAny: form-decoded Stripe params are untyped by nature
export type Params = Record<string, any>;
export type Handler = (store: Store, params: Params, match: string[]) => Obj;
export type Route = [string, RegExp, Handler];

/** Stripe's list envelope: newest first, `limit` 1–100, `starting_after` cursor. */
export function list(_store: Store, items: Obj[], params: Params, url: string): Obj {
	const limit = Math.min(Math.max(Number(params.limit ?? 10), 1), 100);
	const sorted = [...items].sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
	let start = 0;
	if (params.starting_after) {
		const at = sorted.findIndex((o) => o.id === params.starting_after);
		if (at < 0) throw notFound("object", params.starting_after);
		start = at + 1;
	}
	const page = sorted.slice(start, start + limit);
	return { object: "list", data: page, has_more: start + limit < sorted.length, url };
}

export function int(value: unknown, param: string): number {
	const n = Number(value);
	if (!Number.isInteger(n)) throw new StripeApiError(400, `Invalid integer: ${String(value)}`, { param });
	return n;
}
