// API key journey in Debian's Chromium: create a key, copy it, rotate it with a 1-hour grace, revoke the
// old one by typing its name.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { VENDOR_API_SECRET } from "../../dev/stripe-credentials.ts";
import { useE2E } from "./harness.ts";

const e2e = useE2E("keys");

async function verify(key: string) {
	const res = await fetch(`http://localhost:${e2e.port}/api/v1/keys/verify`, {
		method: "POST",
		headers: { authorization: `Bearer ${VENDOR_API_SECRET}`, "content-type": "application/json" },
		body: JSON.stringify({ key }),
	});
	return (await res.json()) as { valid: boolean; code?: string };
}

describe("API keys in a browser", () => {
	it("creates, copies, rotates with a 1-hour grace and revokes the old key by typing its name", async () => {
		const context = await e2e.browser.newContext();
		await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: e2e.stack.portalOrigin("acme") });
		const page = await context.newPage();
		await page.goto(`${e2e.stack.portalOrigin("acme")}/sign-in`);
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
			await page.goto(`${e2e.stack.portalOrigin("acme")}/keys`);
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
