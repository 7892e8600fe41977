// The small hosted pages a person uses in development: Checkout, the billing portal, an invoice and
// its PDF.
import { attachTestCard, collect, createSubscription, DECLINING_CARDS } from "./billing.ts";
import { invoiceDocument, invoicePdfBytes } from "./invoice-document.ts";
import type { Obj, Store } from "./store.ts";

const esc = (s: unknown) =>
	String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
const money = (minor: number, currency: string) =>
	new Intl.NumberFormat("en-US", { style: "currency", currency }).format(minor / 100);

function page(title: string, body: string): string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)} · Stripe emulator</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#111827}fieldset{border:1px solid #d1d5db;border-radius:8px;margin:1rem 0}button,a.button{font:inherit;padding:.6rem 1rem;border-radius:6px;border:0;background:#635bff;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}label{display:block;padding:.4rem 0}</style></head><body><p><strong>Stripe emulator</strong> — test mode</p>${body}</body></html>`;
}

const CARD_CHOICES = `<fieldset><legend>Test card</legend><label><input type="radio" name="card" value="pm_card_visa" checked> Visa ending 4242 (succeeds)</label><label><input type="radio" name="card" value="pm_card_mastercard"> Mastercard ending 4444 (succeeds)</label><label><input type="radio" name="card" value="pm_card_chargeDeclined"> Visa ending 0002 (declined)</label></fieldset>`;

export function checkoutPage(store: Store, id: string, error?: string): string {
	const session = store.get(id, "checkout session");
	if (session.status !== "open") return page("Checkout", `<h1>This checkout is ${esc(session.status)}</h1>`);
	const lines = session.line_items_internal.map((li: Obj) => {
		const price = store.get(li.price, "price");
		return `<li>${esc(price.nickname ?? price.id)} — ${money(price.unit_amount * li.quantity, price.currency)} / ${esc(price.recurring.interval)}</li>`;
	});
	return page(
		"Checkout",
		`<h1>Subscribe</h1><ul>${lines.join("")}</ul>${error ? `<p role="alert" style="color:#b91c1c">${esc(error)}</p>` : ""}<form method="post" action="/checkout/${esc(id)}/complete">${CARD_CHOICES}<button type="submit">Subscribe</button></form><p><a href="${esc(session.cancel_url)}">Cancel</a></p>`,
	);
}

/** Completing checkout: the card, then the subscription; redirect target or an error to show again. */
export function completeCheckout(store: Store, id: string, card: string): { redirect: string } | { error: string } {
	const session = store.get(id, "checkout session");
	if (session.status !== "open") return { error: "This checkout is no longer open." };
	// Checkout confirms the card on its own page: a declined one is an error there, and nothing is
	// created — no card on the customer, no subscription, no invoice, no event.
	if (DECLINING_CARDS.has(card)) return { error: "Your card was declined. Try another card." };
	const customer = store.get(session.customer, "customer");
	const pm = attachTestCard(store, card, customer.id);
	customer.invoice_settings.default_payment_method = pm.id;
	store.emit("customer.updated", customer);
	const subscription = createSubscription(store, customer, session.line_items_internal, {
		metadata: session.subscription_metadata,
	});
	session.status = "complete";
	session.payment_status = "paid";
	session.subscription = subscription.id;
	store.emit("checkout.session.completed", session);
	return { redirect: String(session.success_url).replace("{CHECKOUT_SESSION_ID}", session.id) };
}

export function portalPage(store: Store, id: string, notice?: string): string {
	const session = store.get(id, "billing portal session");
	const customer = store.get(session.customer, "customer");
	const pmId = customer.invoice_settings?.default_payment_method;
	const pm = pmId ? store.find(pmId) : null;
	const open = store.all("invoice").filter((i) => i.customer === customer.id && i.status === "open");
	return page(
		"Billing portal",
		`<h1>Payment method</h1><p>${pm ? `${esc(pm.card.brand)} ending ${esc(pm.card.last4)}` : "No card on file."}</p>${open.length ? `<p>${open.length} unpaid invoice(s), paid automatically with the new card.</p>` : ""}${notice ? `<p role="status">${esc(notice)}</p>` : ""}<form method="post" action="/portal/${esc(id)}/card">${CARD_CHOICES}<button type="submit">Update card</button></form>${session.return_url ? `<p><a class="button" href="${esc(session.return_url)}">Return to the portal</a></p>` : ""}`,
	);
}

export function updatePortalCard(store: Store, id: string, card: string): string {
	const session = store.get(id, "billing portal session");
	const customer = store.get(session.customer, "customer");
	const pm = attachTestCard(store, card, customer.id);
	const previous = { invoice_settings: { ...customer.invoice_settings } };
	customer.invoice_settings.default_payment_method = pm.id;
	for (const sub of store.all("subscription")) if (sub.customer === customer.id) sub.default_payment_method = null;
	store.emit("customer.updated", customer, previous);
	let failed = 0;
	for (const invoice of store.all("invoice").filter((i) => i.customer === customer.id && i.status === "open"))
		if (!collect(store, invoice)) failed++;
	return failed ? "The card was declined." : "Card updated.";
}

export function invoicePage(store: Store, id: string): string {
	const doc = invoiceDocument(store.get(id, "invoice"));
	const rows = (pairs: [string, string][]) =>
		pairs
			.map(
				([k, v]) =>
					`<tr><th scope="row" style="text-align:left">${esc(k)}</th><td style="text-align:right">${esc(v)}</td></tr>`,
			)
			.join("");
	return page(
		`Invoice ${doc.meta[0]?.[1] ?? ""}`,
		`<h1>Invoice <small>${esc(doc.status)}</small></h1><table>${rows(doc.meta)}</table>` +
			`<h2>From</h2><p>${doc.seller.map(esc).join("<br>")}</p><h2>Bill to</h2><p>${doc.billTo.map(esc).join("<br>")}</p>` +
			`<table><thead><tr><th scope="col" style="text-align:left">Description</th><th scope="col">Period</th><th scope="col" style="text-align:right">Amount</th></tr></thead><tbody>${doc.lines.map((l) => `<tr><td>${esc(l.description)}</td><td>${esc(l.period)}</td><td style="text-align:right">${esc(l.amount)}</td></tr>`).join("")}</tbody></table>` +
			`<table>${rows(doc.totals)}</table><p><a href="/invoices/${esc(id)}/pdf">Download PDF</a></p>`,
	);
}

/** The invoice as a one-page PDF laid out like a real invoice. */
export function invoicePdf(store: Store, id: string): Buffer {
	return invoicePdfBytes(invoiceDocument(store.get(id, "invoice")));
}
