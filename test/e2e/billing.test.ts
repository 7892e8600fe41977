// Billing journeys in Debian's Chromium against the stack with the Stripe emulator, the CSP on: upgrade
// Acme from Pro to Business through the proration preview; and every cross-origin hand-off followed to
// its destination page — Free → Checkout → back on Pro, the billing portal and back, and the organization
// switcher to an organization on its own custom domain — on a phone and on a desktop.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { describe, it } from "node:test";
import { createClient } from "@libsql/client";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { seriousViolations, useE2E } from "./harness.ts";

const e2e = useE2E("billing");
const PHONE = { width: 390, height: 844 };
const SHOTS = new URL("../../test-results/", import.meta.url).pathname;

async function signedIn(slug: string, email: string, viewport = { width: 1280, height: 800 }) {
	const context = await e2e.browser.newContext({ viewport });
	const page = await context.newPage();
	const blocked: string[] = [];
	// A CSP refusal of a hand-off shows only in the console: collect it, so a test can say so.
	page.on("console", (m) => {
		if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
	});
	await page.goto(`${e2e.stack.portalOrigin(slug)}/sign-in`);
	await page.getByLabel("Email", { exact: true }).fill(email);
	await page.getByLabel("Password").fill(DEMO_PASSWORD);
	await page.getByRole("button", { name: "Sign in", exact: true }).click();
	await page.getByRole("heading", { name: /^Welcome,/ }).waitFor();
	return { page, blocked };
}

async function shot(page: Page, name: string) {
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

/** The page is no wider than its viewport (nothing scrolls sideways). */
async function fitsWidth(page: Page) {
	const { doc, view } = await page.evaluate(() => ({
		doc: document.documentElement.scrollWidth,
		view: window.innerWidth,
	}));
	assert.ok(doc <= view, `the page is ${doc} px wide in a ${view} px viewport`);
}

describe("billing in a browser", () => {
	it("upgrades Acme from Pro to Business through the preview and shows the proration invoice", async () => {
		const page = await (await e2e.browser.newContext()).newPage();
		await page.goto(`${e2e.stack.portalOrigin("acme")}/sign-in`);
		await page.getByLabel("Email", { exact: true }).fill("owner@acme.test");
		await page.getByLabel("Password").fill(DEMO_PASSWORD);
		await page.getByRole("button", { name: "Sign in", exact: true }).click();
		await page.getByRole("heading", { name: /^Welcome,/ }).waitFor();
		await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Billing" }).click();
		await page.getByRole("heading", { name: "Pro plan" }).waitFor();
		assert.deepEqual(await seriousViolations(page), []);

		await page.getByRole("link", { name: "Upgrade to Business" }).click();
		await page.getByRole("heading", { name: "Upgrade from Pro to Business" }).waitFor();
		const dueNow = String(await page.locator("tr", { hasText: "Due now" }).locator("td").textContent()).trim();
		assert.match(dueNow, /^\$\d+\.\d{2}$/);
		await page.getByRole("button", { name: `Confirm and pay ${dueNow}` }).click();
		await page.getByText("Your plan is upgraded.").waitFor();
		await page.getByRole("heading", { name: "Business plan" }).waitFor();
		const invoices = String(
			await page.locator("table", { has: page.locator("caption", { hasText: "Invoices" }) }).textContent(),
		);
		assert.ok(invoices.includes(dueNow), `the proration invoice of ${dueNow} is listed: ${invoices}`);
		await page.context().close();
	});

	it("takes Globex from Free through Stripe Checkout and back to the Pro plan, on a phone", async () => {
		const { page, blocked } = await signedIn("globex", "owner@globex.test", PHONE);
		await page.goto(`${e2e.stack.portalOrigin("globex")}/billing`);
		await page.getByRole("heading", { name: "Free plan" }).waitFor();
		await fitsWidth(page);
		await page.getByRole("button", { name: /Pro/ }).first().click();
		await page.waitForURL((url) => url.origin === e2e.stack.stripeUrl && url.pathname.startsWith("/checkout/"));
		await page.getByRole("heading", { name: "Subscribe" }).waitFor();
		await shot(page, "handoff-checkout-phone");
		await page.getByRole("button", { name: "Subscribe" }).click();
		await page.waitForURL(`${e2e.stack.portalOrigin("globex")}/billing?notice=checkout-complete`);
		// The webhook activates the plan; the page says so first, then shows it.
		await page.getByText("Your subscription is being activated").waitFor();
		for (let i = 0; i < 40; i++) {
			if ((await page.getByRole("heading", { name: "Pro plan" }).count()) > 0) break;
			await page.waitForTimeout(250);
			await page.reload();
		}
		await page.getByRole("heading", { name: "Pro plan" }).waitFor();
		await shot(page, "handoff-checkout-back-phone");
		assert.deepEqual(blocked, []);
		await page.context().close();
	});

	it("opens the Stripe billing portal for the payment method and returns to Billing", async () => {
		const { page, blocked } = await signedIn("acme", "owner@acme.test");
		await page.goto(`${e2e.stack.portalOrigin("acme")}/billing`);
		await page.getByRole("button", { name: "Payment method and tax details" }).click();
		await page.waitForURL((url) => url.origin === e2e.stack.stripeUrl && url.pathname.startsWith("/portal/"));
		await page.getByRole("heading", { name: "Payment method" }).waitFor();
		await page.getByLabel(/Mastercard/i).check();
		await page.getByRole("button", { name: "Update card" }).click();
		await page.getByRole("status").waitFor();
		await shot(page, "handoff-billing-portal");
		await page.getByRole("link", { name: "Return to the portal" }).click();
		await page.waitForURL((url) => url.origin === e2e.stack.portalOrigin("acme"));
		await page.getByRole("heading", { name: /plan$/ }).waitFor();
		assert.deepEqual(blocked, []);
		await page.context().close();
	});

	it("switches to an organization on its own custom domain and lands signed in there", async () => {
		// Grace (Globex's owner) also belongs to Acme, which serves its portal on portal.acme.test.
		const db = createClient({ url: e2e.stack.databaseUrl });
		await db.batch(
			[
				{
					sql: "insert into memberships (id, org_id, user_id, role_id, created_at) select 'mem_e2eswitch0000000000000000', o.id, u.id, 'rol_builtin_member', ? from organizations o, users u where o.slug = 'acme' and u.email = 'owner@globex.test'",
					args: [Date.now()],
				},
				{
					sql: "insert into domains (id, org_id, hostname, verification_token, verified_at, created_at) select 'dom_e2eswitch0000000000000000', id, 'portal.acme.test', 't', ?, ? from organizations where slug = 'acme'",
					args: [Date.now(), Date.now()],
				},
			],
			"write",
		);
		db.close();
		const { page, blocked } = await signedIn("globex", "owner@globex.test");
		await page.locator("header .switcher summary").click();
		await page.locator("header .switcher").getByText("Switch organization").waitFor();
		assert.equal(await page.getByRole("link", { name: "Create an organization" }).count(), 1);
		await page.getByRole("button", { name: "Acme" }).click();
		const port = new URL(e2e.stack.portalOrigin()).port;
		await page.waitForURL(`http://portal.acme.test:${port}/`);
		await page.getByRole("heading", { name: /^Welcome,/ }).waitFor();
		await shot(page, "handoff-switcher-custom-domain");
		assert.deepEqual(blocked, []);
		await page.context().close();
	});
});
