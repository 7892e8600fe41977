// Single sign-on in Debian's Chromium against the stack, the CSP on: a new person at Acme's verified
// domain signs in through the local OpenID provider (a real one, oidc-provider) — the portal's hand-off
// page, the provider's own sign-in form, the apex callback, the login ticket — and lands on the portal
// as an Admin, through the group mapping; on a phone and on a desktop.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { describe, it } from "node:test";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { seriousViolations, useE2E } from "./harness.ts";

const e2e = useE2E("sso");
const SHOTS = new URL("../../test-results/", import.meta.url).pathname;

for (const [label, viewport] of [
	["desktop", { width: 1280, height: 800 }],
	["phone", { width: 390, height: 844 }],
] as const) {
	describe(`single sign-on on a ${label}`, () => {
		it("signs a new @acme.test person in through the identity provider, as an Admin by group", async () => {
			const context = await e2e.browser.newContext({ viewport });
			const page = await context.newPage();
			const blocked: string[] = [];
			page.on("console", (m) => {
				if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
			});
			const who = `sso-${label}-${crypto.randomUUID().slice(0, 6)}`;
			await page.goto(`${e2e.stack.portalOrigin("acme")}/sign-in`);
			await page.getByText("Sign in with SSO").click();
			await page.getByLabel("Your work email").fill(`${who}@acme.test`);
			assert.deepEqual(await seriousViolations(page), []);
			await page.getByRole("button", { name: "Continue with your identity provider" }).click();
			// The provider's own sign-in page (any login, any password in the local one).
			await page.locator('input[name="login"]').waitFor();
			assert.ok(page.url().startsWith(e2e.stack.oidcIssuer), `at the provider: ${page.url()}`);
			await page.locator('input[name="login"]').fill(`${who}+admins@acme.test`);
			await page.locator('input[name="password"]').fill("anything");
			await page.getByRole("button", { name: "Sign-in" }).click();
			await page.getByRole("heading", { name: /^Welcome,/ }).waitFor();
			assert.ok(page.url().startsWith(e2e.stack.portalOrigin("acme")), `back on the portal: ${page.url()}`);
			assert.deepEqual(blocked, [], "no hand-off blocked by the CSP");
			// Admins manage settings; a Member would not see the link.
			if (label === "desktop")
				await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Settings" }).waitFor();
			mkdirSync(SHOTS, { recursive: true });
			await page.screenshot({ path: `${SHOTS}sso-${label}.png`, fullPage: true });
			await context.close();
		});

		it("shows the Owner the setup page: redirect URI, verified domain, the connection, tested and on", async () => {
			const context = await e2e.browser.newContext({ viewport });
			const page = await context.newPage();
			await page.goto(`${e2e.stack.portalOrigin("acme")}/sign-in`);
			await page.getByLabel("Email", { exact: true }).fill("owner@acme.test");
			await page.getByLabel("Password").fill(DEMO_PASSWORD);
			await page.getByRole("button", { name: "Sign in", exact: true }).click();
			await page.getByRole("heading", { name: /^Welcome,/ }).waitFor();
			await page.goto(`${e2e.stack.portalOrigin("acme")}/settings/sso`);
			await page.getByRole("heading", { name: "Single sign-on", level: 1 }).waitFor();
			await page.locator("li strong", { hasText: /^acme\.test$/ }).waitFor();
			await page.getByRole("button", { name: "Switch SSO off" }).waitFor();
			assert.deepEqual(await seriousViolations(page), []);
			const { doc, view } = await page.evaluate(() => ({
				doc: document.documentElement.scrollWidth,
				view: window.innerWidth,
			}));
			assert.ok(doc <= view, `the page is ${doc} px wide in a ${view} px viewport`);
			mkdirSync(SHOTS, { recursive: true });
			await page.screenshot({ path: `${SHOTS}sso-settings-${label}.png`, fullPage: true });
			await context.close();
		});
	});
}
