// What every route table of the emulator shares: the handler shape, list pagination, integer params.
import { notFound, onlyParams, StripeApiError } from "./errors.ts";
import type { Obj, Store } from "./store.ts";

// biome-ignore lint/suspicious/noExplicitAny: form-decoded Stripe params are untyped by nature
export type Params = Record<string, any>;
export type Handler = (store: Store, params: Params, match: string[]) => Obj;
export type Route = [string, RegExp, Handler];

/**
 * Stripe's list envelope: newest first, `limit` 1–100, `starting_after` or `ending_before` cursors (not
 * both); any query parameter besides these and the route's own `filters` is refused, as Stripe does.
 */
export function list(_store: Store, items: Obj[], params: Params, url: string, filters: string[] = []): Obj {
	onlyParams(params, ["limit", "starting_after", "ending_before", "expand", ...filters]);
	if (params.starting_after && params.ending_before)
		throw new StripeApiError(400, "You may only specify one of these parameters: ending_before, starting_after.", {
			param: "ending_before",
		});
	const limit = params.limit === undefined ? 10 : int(params.limit, "limit");
	if (limit < 1 || limit > 100)
		throw new StripeApiError(400, "This value must be greater than or equal to 1 and at most 100.", { param: "limit" });
	const sorted = [...items].sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
	if (params.ending_before) {
		const at = sorted.findIndex((o) => o.id === params.ending_before);
		if (at < 0) throw notFound("object", params.ending_before);
		const from = Math.max(0, at - limit);
		return { object: "list", data: sorted.slice(from, at), has_more: from > 0, url };
	}
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
