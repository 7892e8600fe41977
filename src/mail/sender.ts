// Who an email is from. An organization that verified its email domain (SPF and DKIM records read back
// over DNS) sends from its own address; any other sends from the vendor's address under its own name.
import { headerText } from "../lib/text.ts";

const DEFAULT_FROM = "Portico <no-reply@portico.localhost>";

export interface MailSender {
	name: string;
	mailFromName: string | null;
	mailFromAddress: string | null;
	mailDomain: string | null;
	mailDomainVerifiedAt: number | null;
}

/** A display name safe inside a quoted header value: no line breaks or control characters, quotes escaped. */
function displayName(name: string): string {
	return headerText(name)
		.slice(0, 64)
		.replace(/(["\\])/g, "\\$1");
}

export function vendorAddress(configuredFrom: string | undefined): string {
	const from = configuredFrom ?? DEFAULT_FROM;
	return /<([^<>\s]+@[^<>\s]+)>/.exec(from)?.[1] ?? from.trim();
}

export function fromHeader(configuredFrom: string | undefined, sender: MailSender | null): string {
	if (!sender) return configuredFrom ?? DEFAULT_FROM;
	const ownAddress =
		sender.mailDomain &&
		sender.mailDomainVerifiedAt &&
		sender.mailFromAddress?.toLowerCase().endsWith(`@${sender.mailDomain.toLowerCase()}`)
			? sender.mailFromAddress
			: null;
	return `"${displayName(sender.mailFromName || sender.name)}" <${ownAddress ?? vendorAddress(configuredFrom)}>`;
}
