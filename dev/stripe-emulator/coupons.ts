// Coupons and the discounts they make on a subscription, as Stripe has them: a coupon is percent_off or
// amount_off, once / repeating (duration_in_months) / forever; a subscription's `discounts` param makes
// a discount object whose `source.coupon` is it, and each invoice of the subscription takes it off the
// subtotal while it lasts (`total_discount_amounts`).
import { int, type Params, type Route } from "./api-kit.ts";
import { missing, onlyParams, StripeApiError } from "./errors.ts";
import type { Obj, Store } from "./store.ts";

const DURATIONS = ["once", "repeating", "forever"];

export const couponRoutes: Route[] = [
	[
		"POST",
		/^\/v1\/coupons$/,
		(store, p) => {
			onlyParams(p, [
				"id",
				"percent_off",
				"amount_off",
				"currency",
				"duration",
				"duration_in_months",
				"name",
				"metadata",
			]);
			if ((p.percent_off === undefined) === (p.amount_off === undefined))
				throw new StripeApiError(400, "You must set either percent_off or amount_off.", { param: "percent_off" });
			const duration = p.duration ?? "once";
			if (!DURATIONS.includes(duration))
				throw new StripeApiError(400, `Invalid duration: must be one of ${DURATIONS.join(", ")}`, {
					param: "duration",
				});
			if (duration === "repeating" && p.duration_in_months === undefined) throw missing("duration_in_months");
			if (duration !== "repeating" && p.duration_in_months !== undefined)
				throw new StripeApiError(400, "duration_in_months can only be set when duration is 'repeating'.", {
					param: "duration_in_months",
				});
			const percentOff = p.percent_off === undefined ? null : Number(p.percent_off);
			if (percentOff !== null && !(percentOff > 0 && percentOff <= 100))
				throw new StripeApiError(400, "Percent off must be greater than 0 and at most 100.", { param: "percent_off" });
			const amountOff = p.amount_off === undefined ? null : int(p.amount_off, "amount_off");
			if (amountOff !== null && !p.currency) throw missing("currency");
			const id = p.id ?? store.id("co").slice(3);
			if (store.find(`coupon:${id}`))
				throw new StripeApiError(400, "Coupon already exists.", { code: "resource_already_exists", param: "id" });
			const coupon = {
				id,
				object: "coupon",
				percent_off: percentOff,
				amount_off: amountOff,
				currency: amountOff !== null ? p.currency : null,
				duration,
				duration_in_months: duration === "repeating" ? int(p.duration_in_months, "duration_in_months") : null,
				name: p.name ?? null,
				valid: true,
				times_redeemed: 0,
				created: store.now(),
				metadata: p.metadata ?? {},
				livemode: false,
			};
			// Coupon ids are the caller's own words, so they are stored under a prefix of their own.
			store.state.objects[`coupon:${id}`] = coupon;
			return coupon;
		},
	],
	[
		"GET",
		/^\/v1\/coupons\/([\w-]+)$/,
		(store, _p, m) => {
			const coupon = store.find(`coupon:${m[1]}`);
			if (!coupon)
				throw new StripeApiError(404, `No such coupon: '${m[1]}'`, { code: "resource_missing", param: "id" });
			return coupon;
		},
	],
];

/** `discounts: [{ coupon }]` on a subscription (an empty value clears them). */
export function applyDiscounts(store: Store, sub: Obj, value: Params[] | string): void {
	if (value === "" || (Array.isArray(value) && value.length === 0)) {
		sub.discounts = [];
		return;
	}
	if (!Array.isArray(value)) throw new StripeApiError(400, "Invalid array", { param: "discounts" });
	sub.discounts = value.map((entry, i) => {
		onlyParams(entry, ["coupon"]);
		if (!entry.coupon) throw missing(`discounts[${i}][coupon]`);
		const coupon = store.find(`coupon:${entry.coupon}`);
		if (!coupon)
			throw new StripeApiError(400, `No such coupon: '${entry.coupon}'`, {
				code: "resource_missing",
				param: `discounts[${i}][coupon]`,
			});
		coupon.times_redeemed++;
		const start = store.now();
		const discount = store.put({
			id: store.id("di"),
			object: "discount",
			source: { type: "coupon", coupon: coupon.id },
			customer: sub.customer,
			subscription: sub.id,
			start,
			// Repeating coupons last whole months from now; "once" ends after the next invoice.
			end: coupon.duration === "repeating" ? start + coupon.duration_in_months * 30 * 86_400 : null,
			invoice: null,
			checkout_session: null,
			promotion_code: null,
			livemode: false,
		});
		return discount.id;
	});
}

/** What the subscription's live discounts take off an invoice's subtotal, per discount. */
export function discountAmounts(
	store: Store,
	sub: Obj | null,
	subtotal: number,
): { amount: number; discount: string }[] {
	if (!sub?.discounts?.length || subtotal <= 0) return [];
	const out: { amount: number; discount: string }[] = [];
	let left = subtotal;
	for (const id of sub.discounts as string[]) {
		const discount = store.find(id);
		const coupon = discount ? store.find(`coupon:${discount.source.coupon}`) : null;
		if (!discount || !coupon || (discount.end !== null && discount.end <= store.now()) || discount.used) continue;
		const amount =
			coupon.percent_off !== null ? Math.round((left * coupon.percent_off) / 100) : Math.min(left, coupon.amount_off);
		if (coupon.duration === "once") discount.used = true;
		left -= amount;
		out.push({ amount, discount: id });
	}
	return out;
}
