// Email templates: one layout, branded with the organization's name and primary colour (validated hex),
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

export function renderEmail(
	brand: Pick<Brand, "name" | "primary">,
	content: EmailContent,
): { html: string; text: string } {
	const color = HEX.test(brand.primary) ? brand.primary : "#4338ca";
	const paragraphs = content.paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join("");
	const action = content.action
		? `<p style="margin:24px 0"><a href="${escapeHtml(content.action.url)}" style="background:${color};color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">${escapeHtml(content.action.label)}</a></p><p style="margin:0 0 16px;font-size:13px;color:#4b5563">Or paste this address into your browser: ${escapeHtml(content.action.url)}</p>`
		: "";
	const footer = escapeHtml(
		content.footer ?? `Sent by ${brand.name}. If you did not expect this email, you can ignore it.`,
	);
	const html = `<!doctype html><html><body style="margin:0;padding:24px;background:#f3f4f6;font-family:system-ui,sans-serif;color:#111827"><div style="max-width:560px;margin:0 auto;background:#fff;border-top:4px solid ${color};border-radius:8px;padding:24px"><p style="margin:0 0 16px;font-weight:700;font-size:18px">${escapeHtml(brand.name)}</p><h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(content.heading)}</h1>${paragraphs}${action}<p style="margin:24px 0 0;font-size:13px;color:#4b5563">${footer}</p></div></body></html>`;
	const text = [
		brand.name,
		"",
		content.heading,
		"",
		...content.paragraphs.flatMap((p) => [p, ""]),
		...(content.action ? [`${content.action.label}: ${content.action.url}`, ""] : []),
		content.footer ?? `Sent by ${brand.name}. If you did not expect this email, you can ignore it.`,
	].join("\n");
	return { html, text };
}
