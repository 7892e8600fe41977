// Webhooks in Debian's Chromium against the stack, the CSP on, on a desktop and a phone: Acme's Owner
// adds an endpoint pointing at the stack's local receiver (which verifies every signature with the
// `standardwebhooks` package), sends a test event and sees its delivery succeed in the log; makes the
// receiver fail, sees the delivery retrying with the receiver's answer; makes it well and sends it again.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { cspBlocks, overflow, seriousViolations, signInAtAcme, useE2E } from "./harness.ts";

const e2e = useE2E("webhooks");
const SHOTS = new URL("../../test-results/", import.meta.url).pathname;

/** Reloads the endpoint's page until `text` shows (deliveries run in the jobs queue, moments later). */
async function until(page: Page, text: string | RegExp, seconds = 30) {
	const deadline = Date.now() + seconds * 1000;
	for (;;) {
		if ((await page.getByText(text).count()) > 0) return;
		if (Date.now() > deadline)
			throw new Error(
				`"${text}" did not appear on ${page.url()}: ${((await page.locator("#deliveries").textContent()) ?? "").replace(/\s+/g, " ")}`,
			);
		await page.waitForTimeout(500);
		await page.reload();
	}
}

for (const [label, viewport] of [
	["desktop", { width: 1280, height: 800 }],
	["phone", { width: 390, height: 844 }],
] as const) {
	describe(`webhooks on a ${label}`, () => {
		it("adds an endpoint, delivers a signed test event, shows a failing receiver's retries, sends again", async () => {
			const receiver = e2e.stack.webhooks;
			receiver.setStatus(200);
			const context = await e2e.browser.newContext({ viewport });
			const page = await context.newPage();
			const blocked = cspBlocks(page);
			await signInAtAcme(e2e, page, "owner@acme.test", DEMO_PASSWORD);
			await page.goto(`${e2e.stack.portalOrigin("acme")}/settings`);
			await page.getByRole("link", { name: "Webhooks" }).click();
			await page.getByRole("heading", { name: "Webhooks", level: 1 }).waitFor();

			const url = `${receiver.url}/journey-${label}`;
			await page.getByLabel("URL").fill(url);
			await page.getByLabel("Description (optional)").fill(`Journey on a ${label}`);
			await page.getByRole("button", { name: "Add endpoint" }).click();
			const secret = (await page.getByRole("status").locator("code").textContent()) ?? "";
			assert.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/);
			receiver.addSecret(secret);
			assert.deepEqual(await seriousViolations(page), []);
			mkdirSync(SHOTS, { recursive: true });
			await page.screenshot({ path: `${SHOTS}webhooks-${label}.png`, fullPage: true });

			await page.getByRole("link", { name: url }).click();
			await page.getByLabel("Event type", { exact: true }).first().selectOption("member.added");
			await page.getByRole("button", { name: "Send test event" }).click();
			await until(page, "member.added · Succeeded (200)");
			const arrived = receiver.received().filter((r) => r.path === `/journey-${label}`);
			assert.equal(arrived.length, 1);
			assert.equal(arrived[0]?.verified, true, "the receiver verified the signature");

			// The receiver fails: the delivery waits for its next try, with the receiver's answer in the log.
			receiver.setStatus(500);
			await page.getByLabel("Event type", { exact: true }).first().selectOption("invoice.paid");
			await page.getByRole("button", { name: "Send test event" }).click();
			await until(page, "invoice.paid · Retrying (500)");
			await page.getByText("invoice.paid · Retrying (500)").click();
			await page
				.getByText(/next at/)
				.first()
				.waitFor();
			assert.deepEqual(await seriousViolations(page), []);
			const { doc, view } = await overflow(page);
			assert.ok(doc <= view, `the page is ${doc} px wide in a ${view} px viewport`);
			await page.screenshot({ path: `${SHOTS}webhook-log-${label}.png`, fullPage: true });

			// Well again: sent now instead of in 5 seconds, 5 minutes… and it succeeds.
			receiver.setStatus(200);
			await page.getByRole("button", { name: /^Send now the invoice\.paid delivery/ }).click();
			await until(page, "invoice.paid · Succeeded (200)");
			const all = receiver.received().filter((r) => r.path === `/journey-${label}`);
			assert.ok(all.every((r) => r.verified));
			assert.deepEqual(blocked, [], "nothing blocked by the CSP");
			await context.close();
		});
	});
}
