// Usage journey in Debian's Chromium: send usage for Acme through the API, run the aggregation cron
// (`/__scheduled` under wrangler dev), and see the bar and the chart move.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { VENDOR_API_SECRET } from "../../dev/stripe-credentials.ts";
import { useE2E } from "./harness.ts";

const e2e = useE2E("usage");

describe("usage in a browser", () => {
	it("shows usage sent through the API after the aggregation cron runs", async () => {
		const page = await (await e2e.browser.newContext()).newPage();
		await page.goto(`${e2e.stack.portalOrigin("acme")}/sign-in`);
		await page.getByLabel("Email", { exact: true }).fill("member@acme.test");
		await page.getByLabel("Password").fill(DEMO_PASSWORD);
		await page.getByRole("button", { name: "Sign in", exact: true }).click();
		await page.getByRole("heading", { name: /^Welcome,/ }).waitFor();
		await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Usage" }).click();
		await page.getByRole("heading", { name: "Usage", exact: true }).waitFor();
		const before = String(await page.locator(".metric", { hasText: "API calls" }).textContent());

		const sent = await fetch(`http://localhost:${e2e.port}/api/v1/usage`, {
			method: "POST",
			headers: { authorization: `Bearer ${VENDOR_API_SECRET}`, "content-type": "application/json" },
			body: JSON.stringify({
				organization: "acme",
				events: [{ metric: "api_calls", quantity: 850_000, timestamp: Date.now(), idempotency_key: "e2e-usage-1" }],
			}),
		});
		assert.deepEqual(await sent.json(), { accepted: 1, duplicates: 0, rejected: [] });
		const cron = await fetch(`http://localhost:${e2e.port}/__scheduled?cron=*/5+*+*+*+*`);
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
