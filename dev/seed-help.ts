// The demo knowledge base: the articles a portal like this answers most tickets with.
export const DEMO_ARTICLES: { slug: string; title: string; category: string; body: string; related: string[] }[] = [
	{
		slug: "download-an-invoice",
		title: "Download an invoice as PDF",
		category: "Billing",
		related: ["update-your-payment-method", "change-your-plan"],
		body: `Every invoice your organization has paid is on the **Billing** page.

1. Open **Billing** in the portal's navigation (you need the *billing:read* permission — Owners and Admins have it).
2. Under **Invoices**, find the month you need.
3. Choose **PDF** to download the invoice, or **View** to open it in the browser.

Invoices show your billing email, address and tax ID. To change what appears on future invoices, edit them under **Billing → Billing details** before the next invoice is issued.`,
	},
	{
		slug: "change-your-plan",
		title: "Upgrade or downgrade your plan",
		category: "Billing",
		related: ["download-an-invoice", "cancel-your-subscription"],
		body: `Owners can change the plan at any time from **Billing → Change plan**.

- **Upgrades** take effect at once. The exact prorated amount is shown before you confirm, and charged on your next invoice.
- **Downgrades** take effect at the end of the current period, so you keep what you paid for. You can cancel a scheduled downgrade until then.

If a downgrade would leave you with more members than the new plan allows, remove members or pending invitations first.`,
	},
	{
		slug: "cancel-your-subscription",
		title: "Cancel your subscription",
		category: "Billing",
		related: ["change-your-plan"],
		body: `Owners cancel from **Billing → Cancel subscription**. The plan stays active until the end of the period you paid for; you can resume it until then.

Your data is kept. To delete the organization itself, see **Settings → Danger zone**.`,
	},
	{
		slug: "update-your-payment-method",
		title: "Update your card or payment method",
		category: "Billing",
		related: ["download-an-invoice"],
		body: `Go to **Billing → Payment method → Update**. You are taken to a secure page to enter the new card; it is used for the next invoice.

If a payment failed, updating the card retries the open invoice automatically.`,
	},
	{
		slug: "invite-a-teammate",
		title: "Invite a teammate",
		category: "Team",
		related: ["roles-and-permissions"],
		body: `Owners and Admins invite people from **Team → Invite**.

1. Enter one or more email addresses and choose a role.
2. Each person gets an email with a link valid for 7 days.
3. Pending invitations can be resent or revoked from the same page.

Your plan limits the number of seats; pending invitations count toward it.`,
	},
	{
		slug: "roles-and-permissions",
		title: "Roles and permissions",
		category: "Team",
		related: ["invite-a-teammate"],
		body: `Every member has one role. **Owner** can do everything, **Admin** everything except billing changes and deleting the organization, **Member** sees the portal, usage and support.

Admins can create **custom roles** under **Team → Roles** with exactly the permissions you choose.`,
	},
	{
		slug: "create-and-rotate-api-keys",
		title: "Create, rotate and revoke API keys",
		category: "API keys",
		related: ["usage-limits-and-alerts"],
		body: `Open **API keys → New key**, name it and choose its scopes. The key is shown **once** — copy it then.

To **rotate** a key without downtime, choose *Rotate*: the new key works at once and the old one keeps working for the overlap you choose. **Revoke** stops a key immediately.`,
	},
	{
		slug: "usage-limits-and-alerts",
		title: "Usage limits and alerts",
		category: "Usage",
		related: ["change-your-plan", "create-and-rotate-api-keys"],
		body: `The **Usage** page shows each metric against your plan's limit for the current period, per day and per API key.

You get an alert at **80 %** and **100 %** of a limit. To raise a limit, upgrade the plan from **Billing**.`,
	},
	{
		slug: "reset-your-password",
		title: "Reset your password or sign in without it",
		category: "Account",
		related: ["set-up-two-step-verification"],
		body: `On the sign-in page choose **Forgot your password?** and enter your email: a reset link valid for one hour is sent.

You can also choose **Sign in without a password** to get a one-time sign-in link by email.`,
	},
	{
		slug: "set-up-two-step-verification",
		title: "Set up two-step verification",
		category: "Security",
		related: ["reset-your-password"],
		body: `Go to **Account → Two-step verification**, scan the QR code with an authenticator app and enter the code it shows.

Save the ten **recovery codes**: each signs you in once if you lose your phone.`,
	},
	{
		slug: "export-your-data",
		title: "Export your organization's data",
		category: "Account",
		related: [],
		body: `Owners and Admins export everything under **Settings → Data export**; any member can export their own data from **Account**.

The export is built in the background; you get a notification with a download link valid for 7 days.`,
	},
];
