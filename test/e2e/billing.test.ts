// Billing journey in Debian's Chromium against the stack with the Stripe emulator: upgrade Acme from Pro
// to Business through the proration preview, and see the new plan and the proration invoice.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Browser, chromium } from "playwright-core";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { freePort, type Stack, startStack } from "../../dev/stack.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const axeSource = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
let stack: Stack;
let browser: Browser;
let dataDir: string;

before(async () => {
	dataDir = mkdtempSync(join(tmpdir(), "portico-e2e-billing-"));
	stack = await startStack({ port: await freePort(), dbPort: await freePort(), stripePort: await freePort(), dataDir });
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: [
			"--no-sandbox",
			"--disable-gpu",
			"--disable-quic",
			"--no-first-run",
			"--disable-background-networking",
			"--disable-component-update",
			"--disable-sync",
		],
	});
});

after(async () => {
	await browser?.close();
	await stack?.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

describe("billing in a browser", () => {
	it("upgrades Acme from Pro to Business through the preview and shows the proration invoice", async () => {
		const page = await (await browser.newContext()).newPage();
		await page.goto(`${stack.portalOrigin("acme")}/sign-in`);
		await page.getByLabel("Email", { exact: true }).fill("owner@acme.test");
		await page.getByLabel("Password").fill(DEMO_PASSWORD);
		await page.getByRole("button", { name: "Sign in", exact: true }).click();
		await page.getByRole("heading", { name: /^Welcome,/ }).waitFor();
		await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Billing" }).click();
		await page.getByRole("heading", { name: "Pro plan" }).waitFor();
		await page.evaluate(axeSource);
		const violations: { impact: string; id: string }[] = await page.evaluate(async () => {
			// biome-ignore lint/suspicious/noExplicitAny: axe is injected at run time.
			const result = await (window as any).axe.run(document, { resultTypes: ["violations"] });
			return result.violations.map((v: { id: string; impact: string }) => ({ id: v.id, impact: v.impact }));
		});
		assert.deepEqual(
			violations.filter((v) => v.impact === "serious" || v.impact === "critical"),
			[],
		);

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
