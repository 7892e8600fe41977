// White-label journey in Debian's Chromium: Acme's owner sets a brand colour (the preview follows, the
// contrast check refuses a pale one), uploads a logo, adds portal.acme.test, creates its records in the
// stack's DNS resolver, verifies it, and opens the portal on that host (host-resolver rules map it here).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { seriousViolations, useE2E } from "./harness.ts";

const e2e = useE2E("white-label");
const PNG = Buffer.from(
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
	"base64",
);

async function addRecord(type: string, name: string, value: string) {
	const res = await fetch(`${e2e.stack.dnsUrl}/_records`, {
		method: "POST",
		body: JSON.stringify({ type, name, value }),
	});
	assert.equal(res.status, 201);
}

describe("white-label in a browser", () => {
	it("brands Acme, previews it, and serves it on its own verified domain", async () => {
		const acme = e2e.stack.portalOrigin("acme");
		const page = await (await e2e.browser.newContext()).newPage();
		await page.goto(`${acme}/sign-in`);
		await page.getByLabel("Email", { exact: true }).fill("owner@acme.test");
		await page.getByLabel("Password").fill(DEMO_PASSWORD);
		await page.getByRole("button", { name: "Sign in", exact: true }).click();
		await page.getByRole("heading", { name: /^Welcome,/ }).waitFor();

		await page.goto(`${acme}/settings/branding`);
		const primary = page.getByLabel("Primary (links, buttons)");
		await primary.fill("#aaaaaa");
		await page.locator('#brand-preview rect[fill="#aaaaaa"]').first().waitFor();
		await page.getByText(/Links and buttons on the background: 2\.32:1 is below/).waitFor();
		await primary.fill("#1d4ed8");
		await page.locator('#brand-preview rect[fill="#1d4ed8"]').first().waitFor();
		assert.deepEqual(await seriousViolations(page), []);
		await page.getByRole("button", { name: "Save branding" }).click();
		await page.getByText("Branding saved.").waitFor();
		await page.getByLabel("Upload a logo").setInputFiles({ name: "acme.png", mimeType: "image/png", buffer: PNG });
		await page.getByRole("button", { name: "Upload logo", exact: true }).click();
		await page.getByText("Logo updated.").waitFor();

		await page.goto(`${acme}/settings/domains`);
		await page.getByLabel("Add a domain").fill("portal.acme.test");
		await page.getByRole("button", { name: "Add domain" }).click();
		await page.getByText("Domain added.").waitFor();
		assert.deepEqual(await seriousViolations(page), []);
		const txt = String(await page.locator("td code", { hasText: "portico-verify=" }).textContent());
		await addRecord("TXT", "_portico.portal.acme.test", txt);
		await addRecord("CNAME", "portal.acme.test", "domains.localhost");
		await page.getByRole("button", { name: "Check now" }).click();
		await page.getByText("Verified: the portal now answers on this domain.").waitFor();

		const custom = `http://portal.acme.test:${e2e.port}`;
		await page.goto(`${custom}/sign-in`);
		await page.getByRole("heading", { name: "Sign in to Acme" }).waitFor();
		const brand = await page.evaluate(() =>
			getComputedStyle(document.documentElement).getPropertyValue("--brand-primary").trim(),
		);
		assert.equal(brand, "#1d4ed8");
		assert.equal(await page.locator("header .brand img").count(), 1);
		assert.deepEqual(await seriousViolations(page), []);
	});
});
