// Email templates: one layout, branded with the organization's name, logo and colours (validated hex),
// every piece of text escaped. Each message has a plain-text part too.
import type { Brand } from "../views/brand.ts";

const HEX = /^#[0-9a-fA-F]{6}$/;

function escapeHtml(text: string): string {
	return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

export interface EmailContent {
	subject: string;
	heading: string;
	paragraphs: string[];
	action?: { label: string; url: string };
	footer?: string;
}

export type EmailBrand = Pick<Brand, "name" | "primary"> &
	Partial<Pick<Brand, "logoUrl" | "surface" | "text" | "supportEmail">>;

/** The logo as an absolute URL (mail clients have no page to resolve a path against), or null. */
function logoSource(brand: EmailBrand, content: EmailContent): string | null {
	if (!brand.logoUrl) return null;
	if (/^https?:\/\//.test(brand.logoUrl)) return brand.logoUrl;
	return content.action ? new URL(brand.logoUrl, content.action.url).href : null;
}

/** The organization's colours and logo; the card uses its surface and text colours, the button its primary. */
export function renderEmail(brand: EmailBrand, content: EmailContent): { html: string; text: string } {
	const color = HEX.test(brand.primary) ? brand.primary : "#4338ca";
	const surface = brand.surface && HEX.test(brand.surface) ? brand.surface : "#ffffff";
	const ink = brand.text && HEX.test(brand.text) ? brand.text : "#111827";
	const paragraphs = content.paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join("");
	const action = content.action
		? `<p style="margin:24px 0"><a href="${escapeHtml(content.action.url)}" style="background:${color};color:${surface};padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">${escapeHtml(content.action.label)}</a></p><p style="margin:0 0 16px;font-size:13px">Or paste this address into your browser: ${escapeHtml(content.action.url)}</p>`
		: "";
	const support = brand.supportEmail ? ` Questions? Write to ${brand.supportEmail}.` : "";
	const footerText = `${content.footer ?? `Sent by ${brand.name}. If you did not expect this email, you can ignore it.`}${support}`;
	const logo = logoSource(brand, content);
	const header = logo
		? `<p style="margin:0 0 16px"><img src="${escapeHtml(logo)}" alt="" width="40" height="40" style="vertical-align:middle;margin-right:8px"><span style="font-weight:700;font-size:18px;vertical-align:middle">${escapeHtml(brand.name)}</span></p>`
		: `<p style="margin:0 0 16px;font-weight:700;font-size:18px">${escapeHtml(brand.name)}</p>`;
	const html = `<!doctype html><html><body style="margin:0;padding:24px;background:#f3f4f6;font-family:system-ui,sans-serif;color:${ink}"><div style="max-width:560px;margin:0 auto;background:${surface};color:${ink};border-top:4px solid ${color};border-radius:8px;padding:24px">${header}<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(content.heading)}</h1>${paragraphs}${action}<p style="margin:24px 0 0;font-size:13px">${escapeHtml(footerText)}</p></div></body></html>`;
	const text = [
		brand.name,
		"",
		content.heading,
		"",
		...content.paragraphs.flatMap((p) => [p, ""]),
		...(content.action ? [`${content.action.label}: ${content.action.url}`, ""] : []),
		footerText,
	].join("\n");
	return { html, text };
}
