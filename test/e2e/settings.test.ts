// Settings journeys in Debian's Chromium: change my name and see it in the header, upload a logo and see
// it in the layout, request an export and download it from the link in /dev/mail.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { useE2E } from "./harness.ts";

const e2e = useE2E("settings");

const PNG = Buffer.from(
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/jVYhNAAAAABJRU5ErkJggg==",
	"base64",
);

async function signedInOwner(): Promise<Page> {
	const page = await (await e2e.browser.newContext({ acceptDownloads: true })).newPage();
	await page.goto(`${e2e.stack.portalOrigin("acme")}/sign-in`);
	await page.getByLabel("Email", { exact: true }).fill("owner@acme.test");
	await page.getByLabel("Password").fill(DEMO_PASSWORD);
	await page.getByRole("button", { name: "Sign in", exact: true }).click();
	await page.getByRole("heading", { name: /^Welcome,/ }).waitFor();
	return page;
}

describe("settings in a browser", () => {
	it("changes my name and shows it in the header", async () => {
		const page = await signedInOwner();
		await page.locator("header summary", { hasText: "Ada Owner" }).click();
		await page.locator("header").getByRole("link", { name: "Your account" }).click();
		await page.getByLabel("Name", { exact: true }).fill("Ada Lovelace");
		await page.getByRole("button", { name: "Save profile" }).click();
		await page.getByText("Profile saved.").waitFor();
		assert.equal(await page.locator("header summary", { hasText: "Ada Lovelace" }).count(), 1);
		await page.context().close();
	});

	it("uploads a logo and shows it in the layout", async () => {
		const page = await signedInOwner();
		const file = join(e2e.dataDir, "logo.png");
		writeFileSync(file, PNG);
		await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Settings" }).click();
		await page.getByRole("main").getByRole("link", { name: "Branding" }).click();
		await page.getByLabel("Upload a logo").setInputFiles(file);
		await page.getByRole("button", { name: "Upload logo", exact: true }).click();
		await page.getByText("Logo updated.").waitFor();
		const src = await page.locator("header .brand img").getAttribute("src");
		assert.match(String(src), /^\/files\/logos\/org_[0-9a-z]+\/[A-Za-z0-9_-]+\.png$/);
		const loaded = await page
			.locator("header .brand img")
			.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
		assert.equal(loaded, true);
		await page.context().close();
	});

	it("requests an export and downloads it from the link in /dev/mail", async () => {
		const page = await signedInOwner();
		await page.goto(`${e2e.stack.portalOrigin("acme")}/settings/export`);
		await page.getByRole("button", { name: "Request an export" }).click();
		await page.getByText("Export requested.").waitFor();
		let link: string | null = null;
		for (let attempt = 0; attempt < 60 && !link; attempt++) {
			await page.goto(`http://localhost:${e2e.port}/dev/mail`);
			link = await page
				.locator('a[href*="/download?expires="]')
				.first()
				.getAttribute("href", { timeout: 250 })
				.catch(() => null);
		}
		assert.ok(link, "the export-ready mail arrived in /dev/mail");
		const [download] = await Promise.all([
			page.waitForEvent("download"),
			page.evaluate((href) => {
				window.location.href = href;
			}, link),
		]);
		assert.match(download.suggestedFilename(), /^organization-export-\d{4}-\d{2}-\d{2}\.zip$/);
		const path = await download.path();
		assert.ok(path);
		await page.context().close();
	});
});
