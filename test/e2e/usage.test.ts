// Usage journey in Debian's Chromium: send usage for Acme through the API, run the aggregation cron
// (`/__scheduled` under wrangler dev), and see the bar and the chart move.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Browser, chromium } from "playwright-core";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { freePort, type Stack, startStack } from "../../dev/stack.ts";
import { VENDOR_API_SECRET } from "../../dev/stripe-credentials.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
let stack: Stack;
let browser: Browser;
let dataDir: string;
let port: number;

before(async () => {
	dataDir = mkdtempSync(join(tmpdir(), "portico-e2e-usage-"));
	port = await freePort();
	stack = await startStack({ port, dbPort: await freePort(), stripePort: await freePort(), dataDir });
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

describe("usage in a browser", () => {
	it("shows usage sent through the API after the aggregation cron runs", async () => {
		const page = await (await browser.newContext()).newPage();
		await page.goto(`${stack.portalOrigin("acme")}/sign-in`);
		await page.getByLabel("Email", { exact: true }).fill("member@acme.test");
		await page.getByLabel("Password").fill(DEMO_PASSWORD);
		await page.getByRole("button", { name: "Sign in", exact: true }).click();
		await page.getByRole("heading", { name: /^Welcome,/ }).waitFor();
		await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Usage" }).click();
		await page.getByRole("heading", { name: "Usage", exact: true }).waitFor();
		const before = String(await page.locator(".metric", { hasText: "API calls" }).textContent());

		const sent = await fetch(`http://localhost:${port}/api/v1/usage`, {
			method: "POST",
			headers: { authorization: `Bearer ${VENDOR_API_SECRET}`, "content-type": "application/json" },
			body: JSON.stringify({
				organization: "acme",
				events: [{ metric: "api_calls", quantity: 850_000, timestamp: Date.now(), idempotency_key: "e2e-usage-1" }],
			}),
		});
		assert.deepEqual(await sent.json(), { accepted: 1, duplicates: 0, rejected: [] });
		const cron = await fetch(`http://localhost:${port}/__scheduled?cron=*/5+*+*+*+*`);
		assert.equal(cron.status, 200);

		// The cron's work runs after its response: look until the dashboard shows it.
		let text = "";
		for (let attempt = 0; attempt < 40 && !text.includes("850,000"); attempt++) {
			await page.reload();
			text = String(await page.locator("main").textContent());
		}
		assert.match(before, /0 of 1,000,000 calls · 0 %/);
		const card = page.locator(".metric", { hasText: "API calls" });
		assert.match(String(await card.textContent()), /850,000\s*of 1,000,000 calls · 85 %/);
		assert.equal(await card.locator('[role="progressbar"]').getAttribute("aria-valuenow"), "85");
		assert.equal(await card.locator(".meter.warn").count(), 1);
		assert.ok((await card.locator(".chart rect").count()) >= 28);
		await page.context().close();
	});
});
