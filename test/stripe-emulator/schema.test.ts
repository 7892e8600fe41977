// Every object the emulator returns — API responses and webhook payloads — checked against the types the
// installed `stripe` package generates from Stripe's OpenAPI spec: each is written out as a literal of
// its Stripe type and compiled, so a required field that is missing, a field Stripe does not have (the
// literal's excess properties), or a value of the wrong type fails here with the compiler's own message.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Stripe from "stripe";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeEmulator } from "../support/stripe.ts";

let emulator: Awaited<ReturnType<typeof startStripeEmulator>>;
let stripe: Stripe;

beforeAll(async () => {
	emulator = await startStripeEmulator();
	stripe = new Stripe("sk_test_portico", {
		host: "127.0.0.1",
		port: emulator.port,
		protocol: "http",
		maxNetworkRetries: 0,
	});
});
afterAll(() => emulator.stop());

/** A raw API call: the JSON exactly as the emulator sent it (no SDK in between). */
async function raw(method: string, path: string, form: Record<string, string> = {}) {
	const body = new URLSearchParams(form).toString();
	const url = `${emulator.url}${path}${method === "GET" && body ? `?${body}` : ""}`;
	const res = await fetch(url, {
		method,
		headers: { authorization: "Bearer sk_test_portico", "content-type": "application/x-www-form-urlencoded" },
		...(method === "GET" ? {} : { body }),
	});
	expect(res.status, `${method} ${path}`).toBe(200);
	return (await res.json()) as Record<string, unknown>;
}

/** Drives a customer through what Portico does, and collects every kind of object along the way. */
async function collect(): Promise<[string, unknown][]> {
	const customer = await stripe.customers.create({
		email: "schema@example.test",
		name: "Schema Co",
		address: { line1: "1 Main St", city: "Berlin", postal_code: "10115", country: "DE" },
	});
	await stripe.customers.createTaxId(customer.id, { type: "eu_vat", value: "DE123456789" });
	const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
	await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
	const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: "price_pro_monthly" }] });
	const item = sub.items.data[0]?.id ?? "";
	const upgrade = { "items[0][id]": item, "items[0][price]": "price_business_monthly" };
	const preview = await raw("POST", "/v1/invoices/create_preview", {
		customer: customer.id,
		subscription: sub.id,
		"subscription_details[items][0][id]": item,
		"subscription_details[items][0][price]": "price_business_monthly",
		"subscription_details[proration_behavior]": "always_invoice",
	});
	await stripe.subscriptions.update(sub.id, {
		items: [{ id: item, price: "price_business_monthly" }],
		proration_behavior: "always_invoice",
	});
	void upgrade;
	const coupon = await stripe.coupons.create({
		id: `schema-${Date.now()}`,
		percent_off: 20,
		duration: "repeating",
		duration_in_months: 3,
	});
	const discounted = await raw("POST", `/v1/subscriptions/${sub.id}`, { "discounts[0][coupon]": coupon.id });
	const checkout = await raw("POST", "/v1/checkout/sessions", {
		mode: "subscription",
		customer: customer.id,
		"line_items[0][price]": "price_pro_monthly",
		"line_items[0][quantity]": "1",
		success_url: "http://localhost/ok",
		cancel_url: "http://localhost/cancel",
	});
	const portal = await raw("POST", "/v1/billing_portal/sessions", {
		customer: customer.id,
		return_url: "http://localhost",
	});
	const taxIds = (await raw("GET", `/v1/customers/${customer.id}/tax_ids`)).data as { id: string }[];
	const objects: [string, unknown][] = [
		["Coupon", await raw("GET", `/v1/coupons/${coupon.id}`)],
		["Subscription", discounted],
		["Customer", await raw("GET", `/v1/customers/${customer.id}`)],
		["PaymentMethod", await raw("GET", `/v1/payment_methods/${pm.id}`)],
		["Subscription", await raw("GET", `/v1/subscriptions/${sub.id}`)],
		["Invoice", preview],
		["Checkout.Session", checkout],
		["BillingPortal.Session", portal],
		["Price", await raw("GET", "/v1/prices/price_pro_monthly")],
	];
	for (const invoice of (await raw("GET", "/v1/invoices", { customer: customer.id })).data as unknown[])
		objects.push(["Invoice", invoice]);
	for (const taxId of (await raw("GET", `/v1/customers/${customer.id}/tax_ids`)).data as unknown[])
		objects.push(["TaxId", taxId]);
	objects.push(["DeletedTaxId", await raw("DELETE", `/v1/customers/${customer.id}/tax_ids/${taxIds[0]?.id}`)]);
	objects.push(["Subscription", await raw("DELETE", `/v1/subscriptions/${sub.id}`)]);
	// Webhook payloads: every event the scenario emitted, as delivered.
	for (const event of (await raw("GET", "/v1/events", { limit: "100" })).data as unknown[])
		objects.push(["Event", event]);
	return objects;
}

/** Compiles the objects as typed literals; the compiler's messages, one per problem. */
function typeErrors(objects: [string, unknown][]): string[] {
	const dir = mkdtempSync(join(tmpdir(), "stripe-schema-"));
	try {
		const file = join(dir, "objects.ts");
		const lines = objects.map(
			([type, value], i) => `export const o${i}: Wire<Stripe.${type}> = ${JSON.stringify(value, null, 1)};`,
		);
		// On the wire a Decimal is a string (the SDK turns it into its Decimal class when it parses).
		const wire =
			"type Wire<T> = T extends Stripe.Decimal ? string : T extends (...args: never[]) => unknown ? T : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;";
		writeFileSync(file, `import type Stripe from "stripe";\n${wire}\n${lines.join("\n")}\n`);
		const program = ts.createProgram([file], {
			strict: true,
			noEmit: true,
			skipLibCheck: true,
			module: ts.ModuleKind.ESNext,
			moduleResolution: ts.ModuleResolutionKind.Bundler,
			target: ts.ScriptTarget.ES2022,
			types: [],
			typeRoots: [],
			baseUrl: process.cwd(),
			paths: { stripe: [join(process.cwd(), "node_modules/stripe/esm/stripe.esm.node.d.ts")] },
		});
		return ts.getPreEmitDiagnostics(program).map((d) => {
			const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : null;
			const objectIndex = where
				? objects.findIndex(
						(_, i) =>
							lines
								.slice(0, i + 1)
								.join("\n")
								.split("\n").length +
								2 >
							where.line,
					)
				: -1;
			const [type] = objects[objectIndex] ?? ["?"];
			return `${type}: ${ts.flattenDiagnosticMessageText(d.messageText, " ").slice(0, 300)}`;
		});
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

describe("the emulator's objects against Stripe's types", () => {
	it("returns and delivers only objects of Stripe's shape", async () => {
		const objects = await collect();
		expect(objects.length).toBeGreaterThan(15);
		const errors = typeErrors(objects);
		if (process.env.SCHEMA_DUMP) writeFileSync(process.env.SCHEMA_DUMP, errors.join("\n"));
		expect(errors).toEqual([]);
	}, 60_000);
});
