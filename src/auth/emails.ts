// The emails the identity flows send, in the organization's branding.

import { renderEmail } from "../mail/template.ts";
import type { Brand } from "../views/brand.ts";

type Built = { subject: string; html: string; text: string };

function build(
	brand: Brand,
	subject: string,
	heading: string,
	paragraphs: string[],
	action?: { label: string; url: string },
): Built {
	return { subject, ...renderEmail(brand, { subject, heading, paragraphs, ...(action ? { action } : {}) }) };
}

export const authEmails = {
	magicLink: (brand: Brand, url: string) =>
		build(
			brand,
			`Sign in to ${brand.name}`,
			"Your sign-in link",
			["This link signs you in once and expires in 10 minutes."],
			{
				label: "Sign in",
				url,
			},
		),
	verifyEmail: (brand: Brand, url: string) =>
		build(
			brand,
			`Verify your email for ${brand.name}`,
			"Confirm your email address",
			["Confirm that this address is yours. The link works for 24 hours."],
			{
				label: "Verify email",
				url,
			},
		),
	resetPassword: (brand: Brand, url: string) =>
		build(
			brand,
			`Reset your ${brand.name} password`,
			"Choose a new password",
			["Someone (hopefully you) asked to reset the password for this address. The link works once, for 30 minutes."],
			{ label: "Choose a new password", url },
		),
	notAMember: (brand: Brand, orgName: string) =>
		build(brand, `Signing in to ${orgName}`, `Your account is not a member of ${orgName}`, [
			`Someone (hopefully you) signed in to ${orgName}'s portal with this address and its correct password, but the account is not a member of ${orgName}. Ask an owner or admin of ${orgName} to invite you.`,
			"If it was not you, change your password: whoever tried knows it.",
		]),
	useSso: (brand: Brand) =>
		build(brand, `Signing in to ${brand.name}`, "Sign in with single sign-on", [
			`Someone (hopefully you) asked for a sign-in or password-reset link at ${brand.name}. Your organization signs this address in with its identity provider: on the sign-in page, open "Sign in with SSO".`,
		]),
	noAccount: (brand: Brand) =>
		build(brand, `Your request at ${brand.name}`, "No account for this address", [
			`Someone asked to sign in or reset a password at ${brand.name} with this address, but it has no account there. If it was you, ask an owner or admin of the organization to invite you.`,
		]),
	changeEmail: (brand: Brand, url: string) =>
		build(
			brand,
			`Confirm your new email for ${brand.name}`,
			"Confirm your new email address",
			["Open this link to make this your sign-in address. It works for 24 hours."],
			{
				label: "Confirm new email",
				url,
			},
		),
	emailChangedNotice: (brand: Brand, newEmail: string) =>
		build(brand, `Your ${brand.name} email was changed`, "Your sign-in email was changed", [
			`Your account now signs in with ${newEmail}. If you did not do this, reset your password and contact your organization's owner.`,
		]),
};

/** Sign-up on the vendor's site: the email says what the form does not — whether the address has an account. */
export const signUpEmails = {
	newAccount: (brand: Brand, orgName: string, url: string) =>
		build(
			brand,
			`Confirm your email to create ${orgName}'s portal`,
			"Confirm your email address",
			[
				`Someone (hopefully you) asked to create a portal for ${orgName} with this address. Open the link to confirm the address and create it. It works once, for 24 hours.`,
				"If it was not you, ignore this email: nothing is created without the link.",
			],
			{ label: "Create the portal", url },
		),
	existingAccount: (brand: Brand, orgName: string, url: string) =>
		build(
			brand,
			`Add ${orgName} to your ${brand.name} account`,
			"You already have an account",
			[
				`Someone (hopefully you) asked to create a portal for ${orgName} with this address, which already has an account. Open the link to add the new organization to that account; you then sign in to it with your existing password (the one typed in the form is not used).`,
				"If it was not you, ignore this email: nothing is created without the link, and your password is unchanged.",
			],
			{ label: `Add ${orgName}`, url },
		),
};
