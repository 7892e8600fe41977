// Every portal page on a 390 px phone, as Acme's Owner (who sees every section): nothing scrolls
// sideways — the document is no wider than the viewport and no table is cut off inside its box — and
// the navigation is a menu that opens. Screenshots of each page go to test-results/phone-*.png.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { describe, it } from "node:test";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { useE2E } from "./harness.ts";

const e2e = useE2E("phone");
const PAGES = [
	"/",
	"/team",
	"/team/roles",
	"/usage",
	"/billing",
	"/billing/cancel",
	"/keys",
	"/audit",
	"/support",
	"/support/new",
	"/help",
	"/notifications",
	"/account",
	"/account/notifications",
	"/account/mfa",
	"/settings",
	"/settings/branding",
	"/settings/domains",
	"/settings/security",
	"/settings/danger",
];
const SHOTS = new URL("../../test-results/", import.meta.url).pathname;

describe("the portal on a phone", () => {
	it("fits every page into 390 px, tables included, with the navigation in a menu", async () => {
		mkdirSync(SHOTS, { recursive: true });
		const context = await e2e.browser.newContext({ viewport: { width: 390, height: 844 } });
		const page = await context.newPage();
		const acme = e2e.stack.portalOrigin("acme");
		await page.goto(`${acme}/sign-in`);
		await page.getByLabel("Email", { exact: true }).fill("owner@acme.test");
		await page.getByLabel("Password").fill(DEMO_PASSWORD);
		await page.getByRole("button", { name: "Sign in", exact: true }).click();
		await page.getByRole("heading", { name: /^Welcome,/ }).waitFor();

		const menu = page.locator("summary", { hasText: "Menu" });
		await menu.click();
		await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Billing" }).waitFor();
		await page.screenshot({ path: `${SHOTS}phone-menu.png` });

		const wide: string[] = [];
		for (const path of PAGES) {
			const res = await page.goto(`${acme}${path}`);
			assert.equal(res?.status(), 200, `${path} answers`);
			const found = await page.evaluate(() => {
				const view = window.innerWidth;
				const problems: string[] = [];
				const doc = document.documentElement.scrollWidth;
				if (doc > view) problems.push(`document ${doc} px`);
				for (const box of Array.from(document.querySelectorAll<HTMLElement>(".table-wrap")))
					if (box.scrollWidth > box.clientWidth + 1)
						problems.push(`a table ${box.scrollWidth} px in ${box.clientWidth}`);
				return problems;
			});
			if (found.length > 0) wide.push(`${path}: ${found.join(", ")}`);
			await page.screenshot({ path: `${SHOTS}phone${path.replaceAll("/", "-") || "-overview"}.png`, fullPage: true });
		}
		assert.deepEqual(wide, []);
		await context.close();
	});
});
