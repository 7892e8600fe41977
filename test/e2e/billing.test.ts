// Billing journey in Debian's Chromium against the stack with the Stripe emulator: upgrade Acme from Pro
// to Business through the proration preview, and see the new plan and the proration invoice.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { seriousViolations, useE2E } from "./harness.ts";

const e2e = useE2E("billing");

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
});
