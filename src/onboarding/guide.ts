// What the first-run guide shows a given member: tour steps for the places their role can use, and the
// Owner/Admin checklist computed from real state. Features add their steps and items here as they land.
import { can, type PermissionHolder } from "../auth/permissions.ts";
import type { ChecklistItem, TourStep } from "../views/components/onboarding.tsx";
import { PORTAL_SECTIONS } from "../views/nav.ts";

const SECTION_TEXT: Record<string, string> = {
	"/team": "See who is in your organization. Admins invite people, change roles and manage seats here.",
	"/billing": "Your plan, invoices and payment method. Change or cancel the plan with the exact price shown first.",
	"/usage": "How much of your plan you have used this month, per metric and per API key, with alerts before the limit.",
	"/keys": "Create, rotate and revoke the API keys your integrations use, and see how much each one is used.",
	"/team/roles": "Build roles from permissions when Owner, Admin and Member are not the right fit.",
	"/audit": "Who did what, and when: every change in the portal is recorded here.",
	"/support": "Ask support when the help centre has no answer: your organization's context goes with the ticket.",
	"/help": "Answers to the questions people ask most, searchable as you type.",
	"/settings": "Your organization's details, branding and domains, security rules, data export and danger zone.",
};

export function tourSteps(membership: PermissionHolder): TourStep[] {
	const steps: TourStep[] = [
		{
			title: "Your overview",
			text: "Your organization, its plan and your role, with the places you can go from here.",
			target: "/",
		},
	];
	for (const section of PORTAL_SECTIONS) {
		const text = SECTION_TEXT[section.href];
		if (text && can(membership, section.permission)) steps.push({ title: section.label, text, target: section.href });
	}
	steps.push({
		title: "Notifications",
		text: "The bell shows what needs your attention. Choose what reaches you by email in your account.",
	});
	steps.push({
		title: "Your account",
		text: "Your email, password, two-step verification and every signed-in session.",
	});
	return steps;
}

export interface ChecklistState {
	onPaidPlan: boolean;
	emailVerified: boolean;
	mfaEnabled: boolean;
	teamSize: number;
	/** The organization changed the portal's colours or added its logo. */
	branded: boolean;
}

export function checklistItems(membership: PermissionHolder, state: ChecklistState): ChecklistItem[] | null {
	if (!can(membership, "members:manage")) return null;
	return [
		{ label: "Verify your email address", href: "/account", done: state.emailVerified },
		{ label: "Invite a teammate", href: "/team", done: state.teamSize > 1 },
		{ label: "Turn on two-step verification", href: "/account/mfa", done: state.mfaEnabled },
		...(can(membership, "billing:manage")
			? [{ label: "Choose a plan", href: "/billing", done: state.onPaidPlan }]
			: []),
		...(can(membership, "settings:manage")
			? [{ label: "Make the portal yours: colours and logo", href: "/settings/branding", done: state.branded }]
			: []),
	];
}
