// The plan catalogue's rules: which changes are allowed and how they take effect.
export interface PlanRow {
	id: string;
	key: string;
	name: string;
	priceMinor: number;
	currency: string;
	interval: string;
	limits: Record<string, number | null>;
	features: string[];
	stripePriceId: string | null;
}

export type Transition =
	| { kind: "checkout" }
	| { kind: "upgrade" }
	| { kind: "downgrade" }
	| { kind: "cancel" }
	| { kind: "none"; reason: string };

/**
 * Free → paid goes through Checkout; to a dearer plan applies now with prorations; to a cheaper paid plan
 * at the period end; back to Free is a cancellation at the period end; a sideways move between equal
 * prices is not offered.
 */
export function transition(current: PlanRow, target: PlanRow, hasSubscription: boolean): Transition {
	if (current.id === target.id) return { kind: "none", reason: "That is your current plan." };
	if (target.priceMinor === 0)
		return hasSubscription ? { kind: "cancel" } : { kind: "none", reason: "You are already on the Free plan." };
	if (!target.stripePriceId) return { kind: "none", reason: "That plan cannot be bought online." };
	if (!hasSubscription) return { kind: "checkout" };
	if (target.priceMinor > current.priceMinor) return { kind: "upgrade" };
	if (target.priceMinor < current.priceMinor) return { kind: "downgrade" };
	return { kind: "none", reason: "Switching between plans of the same price is not available; contact support." };
}

/** Currency formatters, built once per (locale, currency) per isolate (building one costs more than using it). */
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(minor: number, currency: string, locale: string): string {
	const key = `${locale}|${currency.toUpperCase()}`;
	let format = moneyFormats.get(key);
	if (!format) {
		format = new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() });
		if (moneyFormats.size >= 256) moneyFormats.delete(moneyFormats.keys().next().value as string);
		moneyFormats.set(key, format);
	}
	return format.format(minor / 100);
}
