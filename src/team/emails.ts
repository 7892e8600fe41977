// Emails of team administration, in the organization's branding.
import { renderEmail } from "../mail/template.ts";
import type { Brand } from "../views/brand.ts";
import { INVITATION_DAYS } from "./rules.ts";

export function invitationEmail(brand: Brand, input: { inviterName: string; roleName: string; url: string }) {
	const subject = `${input.inviterName} invited you to ${brand.name}`;
	return {
		subject,
		...renderEmail(brand, {
			subject,
			heading: `Join ${brand.name}`,
			paragraphs: [
				`${input.inviterName} invited you to ${brand.name}'s portal as ${input.roleName}.`,
				`The invitation works once and expires in ${INVITATION_DAYS} days.`,
			],
			action: { label: "Accept the invitation", url: input.url },
		}),
	};
}
