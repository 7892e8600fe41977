// API key journey in Debian's Chromium: create a key, copy it, rotate it with a 1-hour grace, revoke the
// old one by typing its name.
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
	dataDir = mkdtempSync(join(tmpdir(), "portico-e2e-keys-"));
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

async function verify(key: string) {
	const res = await fetch(`http://localhost:${port}/api/v1/keys/verify`, {
		method: "POST",
		headers: { authorization: `Bearer ${VENDOR_API_SECRET}`, "content-type": "application/json" },
		body: JSON.stringify({ key }),
	});
	return (await res.json()) as { valid: boolean; code?: string };
}

describe("API keys in a browser", () => {
	it("creates, copies, rotates with a 1-hour grace and revokes the old key by typing its name", async () => {
		const context = await browser.newContext();
		await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.portalOrigin("acme") });
		const page = await context.newPage();
		await page.goto(`${stack.portalOrigin("acme")}/sign-in`);
		await page.getByLabel("Email", { exact: true }).fill("admin@acme.test");
		await page.getByLabel("Password").fill(DEMO_PASSWORD);
		await page.getByRole("button", { name: "Sign in", exact: true }).click();
		await page.getByRole("heading", { name: /^Welcome,/ }).waitFor();
		await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "API keys" }).click();
		await page.getByLabel("Name").fill("Production server");
		await page.getByLabel(/data:read/).check();
		await page.getByRole("button", { name: "Create key" }).click();
		await page.getByRole("heading", { name: "Your new key: Production server" }).waitFor();
		const secret = String(await page.locator("[data-secret]").textContent()).trim();
		await page.getByRole("button", { name: "Copy the key" }).click();
		await page.getByText("Copied to the clipboard.").waitFor();
		assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
		assert.equal((await verify(secret)).valid, true);
		await page.getByRole("link", { name: "I have stored the key" }).click();

		await page.getByLabel("Old key keeps working").selectOption("1h");
		await page.getByRole("button", { name: "Rotate Production server" }).click();
		await page.getByRole("heading", { name: "New secret for Production server" }).waitFor();
		const rotated = String(await page.locator("[data-secret]").textContent()).trim();
		assert.notEqual(rotated, secret);
		assert.equal((await verify(secret)).valid, true, "the old key works during the grace period");
		await page.getByRole("button", { name: "Copy the key" }).click();
		await page.getByRole("link", { name: "I have stored the key" }).click();

		// The old key was used, so revoking it asks for its name — once its use has been counted
		// (verifications are counted through the usage queue, in batches).
		const oldRow = () => page.locator("tr", { hasText: `…${secret.slice(-4)}` });
		for (let attempt = 0; attempt < 40; attempt++) {
			await page.goto(`${stack.portalOrigin("acme")}/keys`);
			if ((await oldRow().getByLabel("Type the key's name to revoke it").count()) > 0) break;
			await page.waitForTimeout(250);
		}
		assert.match(String(await oldRow().textContent()), /Rotated — works until/);
		await oldRow().getByLabel("Type the key's name to revoke it").fill("Production server");
		await oldRow().getByRole("button", { name: "Revoke Production server" }).click();
		await page.getByText("Key revoked.").waitFor();
		assert.deepEqual(await verify(secret), { valid: false, code: "revoked", message: "This key was revoked." });
		assert.equal((await verify(rotated)).valid, true);
		await context.close();
	});
});
