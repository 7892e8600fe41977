// An invoice as a finance team expects it, laid out once and drawn twice: the hosted invoice page (HTML)
// and the PDF (a one-page PDF written by hand: Helvetica, rules, right-aligned amounts). Seller, bill-to
// with the customer's legal name, address and tax IDs as Stripe snapshots them at finalization, the
// number and dates, the lines with their periods, subtotal, discounts, total, paid and due.
import type { Obj } from "./store.ts";

export const ACCOUNT = { name: "Portico Demo Vendor, Inc.", country: "US", email: "billing@vendor.example" };

const money = (minor: number, currency: string) =>
	new Intl.NumberFormat("en-US", { style: "currency", currency }).format(minor / 100);
const day = (seconds: number) =>
	new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" }).format(seconds * 1000);

export interface InvoiceDocument {
	seller: string[];
	billTo: string[];
	meta: [string, string][];
	lines: { description: string; period: string; amount: string }[];
	totals: [string, string][];
	status: string;
}

export function invoiceDocument(inv: Obj): InvoiceDocument {
	const a = inv.customer_address ?? {};
	const cityLine = [a.postal_code, a.city, a.state].filter(Boolean).join(" ");
	const discount = (inv.total_discount_amounts ?? []).reduce((n: number, d: Obj) => n + d.amount, 0);
	return {
		seller: [inv.account_name ?? ACCOUNT.name, ACCOUNT.email],
		billTo: [
			inv.customer_name ?? "",
			a.line1 ?? "",
			a.line2 ?? "",
			cityLine,
			a.country ?? "",
			inv.customer_email ?? "",
			...(inv.customer_tax_ids ?? []).map((t: Obj) => `${String(t.type).toUpperCase().replace("_", " ")} ${t.value}`),
		].filter(Boolean),
		meta: [
			["Invoice number", inv.number],
			["Date of issue", day(inv.status_transitions?.finalized_at ?? inv.created)],
			inv.status === "paid"
				? ["Date paid", day(inv.status_transitions?.paid_at ?? inv.created)]
				: ["Date due", day(inv.due_date ?? inv.created)],
			["Period", `${day(inv.period_start)} – ${day(inv.period_end)}`],
		],
		lines: inv.lines.data.map((l: Obj) => ({
			description: l.description ?? "",
			period: l.period ? `${day(l.period.start)} – ${day(l.period.end)}` : "",
			amount: money(l.amount, inv.currency),
		})),
		totals: [
			["Subtotal", money(inv.subtotal, inv.currency)],
			...(discount ? ([["Discount", `-${money(discount, inv.currency)}`]] as [string, string][]) : []),
			["Total", money(inv.total, inv.currency)],
			["Amount paid", money(inv.amount_paid, inv.currency)],
			["Amount due", money(inv.amount_remaining ?? inv.amount_due - inv.amount_paid, inv.currency)],
		],
		status: String(inv.status).toUpperCase(),
	};
}

// ── PDF ─────────────────────────────────────────────────────────────────────────────────────────

/** Helvetica advance widths (per 1000 em) for what amounts and labels are made of; others ≈ 556. */
const WIDTHS: Record<string, number> = { " ": 278, ",": 278, ".": 278, "-": 333, ":": 278, "(": 333, ")": 333 };
const widthOf = (text: string, size: number, bold: boolean) =>
	([...text].reduce((w, ch) => w + (WIDTHS[ch] ?? (/[A-Z]/.test(ch) ? 667 : /[il]/.test(ch) ? 222 : 556)), 0) *
		size *
		(bold ? 1.05 : 1)) /
	1000;
const pdfString = (t: string) =>
	t
		.replace(/[–—]/g, "-")
		.replace(/×/g, "x")
		.replace(/·/g, "|")
		.replace(/[()\\]/g, "\\$&")
		.replace(/[^\x20-\x7e]/g, "?");

class Canvas {
	ops: string[] = [];
	text(x: number, y: number, text: string, options: { size?: number; bold?: boolean; right?: boolean } = {}) {
		const size = options.size ?? 10;
		const left = options.right ? x - widthOf(text, size, Boolean(options.bold)) : x;
		this.ops.push(`BT /${options.bold ? "F2" : "F1"} ${size} Tf ${left.toFixed(1)} ${y} Td (${pdfString(text)}) Tj ET`);
	}
	rule(x1: number, y: number, x2: number, gray = 0.8) {
		this.ops.push(`${gray} G 0.75 w ${x1} ${y} m ${x2} ${y} l S 0 G`);
	}
}

export function invoicePdfBytes(doc: InvoiceDocument): Buffer {
	const c = new Canvas();
	const left = 50;
	const right = 562;
	c.text(left, 742, "Invoice", { size: 24, bold: true });
	c.text(right, 742, doc.status, { size: 14, bold: true, right: true });
	let y = 708;
	for (const [label, value] of doc.meta) {
		c.text(left, y, label, { bold: true });
		c.text(left + 110, y, value);
		y -= 15;
	}
	y -= 34;
	const top = y;
	for (const [i, line] of doc.seller.entries()) c.text(left, top - i * 14, line, { bold: i === 0 });
	c.text(320, top + 16, "Bill to", { bold: true, size: 9 });
	for (const [i, line] of doc.billTo.entries()) c.text(320, top - i * 14, line, { bold: i === 0 });
	y = top - Math.max(doc.seller.length, doc.billTo.length) * 14 - 30;
	c.text(left, y, "Description", { bold: true, size: 9 });
	c.text(320, y, "Period", { bold: true, size: 9 });
	c.text(right, y, "Amount", { bold: true, size: 9, right: true });
	c.rule(left, y - 6, right);
	y -= 22;
	for (const line of doc.lines) {
		c.text(left, y, line.description.slice(0, 48));
		c.text(320, y, line.period, { size: 8 });
		c.text(right, y, line.amount, { right: true });
		y -= 18;
	}
	c.rule(left, y + 8, right);
	y -= 10;
	for (const [label, value] of doc.totals) {
		const strong = label === "Amount due" || label === "Total";
		c.text(430, y, label, { bold: strong });
		c.text(right, y, value, { bold: strong, right: true });
		y -= 16;
	}
	c.rule(left, 70, right);
	c.text(left, 56, `${doc.seller[0]} · ${doc.seller[1]}`, { size: 8 });
	const ops = c.ops.join("\n");
	const objects = [
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
		`<< /Length ${Buffer.byteLength(ops)} >>\nstream\n${ops}\nendstream`,
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
	];
	let out = "%PDF-1.4\n";
	const offsets: number[] = [];
	objects.forEach((o, i) => {
		offsets.push(Buffer.byteLength(out));
		out += `${i + 1} 0 obj\n${o}\nendobj\n`;
	});
	const xref = Buffer.byteLength(out);
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out);
}
