// Browser journeys in Debian's Chromium against a real local stack (libSQL server, migrations, demo
// seed, wrangler dev) started on free ports with a scratch data directory.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { seriousViolations, useE2E } from "./harness.ts";

const e2e = useE2E("portal");

async function newPage(viewport = { width: 1280, height: 800 }) {
	const context = await e2e.browser.newContext({ viewport });
	const page = await context.newPage();
	const problems: string[] = [];
	page.on("console", (msg) => {
		if (msg.type() === "error") problems.push(msg.text());
	});
	page.on("pageerror", (error) => problems.push(error.message));
	return { page, problems, close: () => context.close() };
}

describe("Acme's portal in a browser", () => {
	it("shows the Acme-branded sign-in page, accessible and without console errors", async () => {
		const { page, problems, close } = await newPage();
		await page.goto(`${e2e.stack.portalOrigin("acme")}/`);
		assert.equal(await page.title(), "Sign in · Acme");
		assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Sign in to Acme");
		const primary = await page.evaluate(() =>
			getComputedStyle(document.documentElement).getPropertyValue("--brand-primary"),
		);
		assert.equal(primary.trim(), "#b42318");
		assert.deepEqual(await seriousViolations(page), []);
		assert.deepEqual(problems, []);
		await close();
	});

	it("signs the owner in with the keyboard, shows the overview and the audit log", async () => {
		const { page, problems, close } = await newPage();
		await page.goto(`${e2e.stack.portalOrigin("acme")}/`);
		await page.getByLabel("Email", { exact: true }).fill("owner@acme.test");
		await page.getByLabel("Password").fill(DEMO_PASSWORD);
		await page.getByLabel("Password").press("Enter");
		await page.getByRole("heading", { name: "Welcome, Ada Owner" }).waitFor();
		assert.match(String(await page.locator(".home-context").textContent()), /Pro/);
		assert.deepEqual(await seriousViolations(page), []);

		await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Audit log" }).click();
		await page.getByRole("heading", { name: "Audit log" }).waitFor();
		assert.match(String(await page.locator(".audit-list").textContent()), /auth\.sign_in/);
		assert.deepEqual(problems, []);
		await close();
	});

	it("shows field messages for a wrong password without leaving the page", async () => {
		const { page, close } = await newPage();
		await page.goto(`${e2e.stack.portalOrigin("acme")}/`);
		await page.getByLabel("Email", { exact: true }).fill("owner@acme.test");
		await page.getByLabel("Password").fill("wrong password");
		await page.getByRole("button", { name: "Sign in" }).click();
		await page.getByRole("alert").waitFor();
		assert.match(String(await page.getByRole("alert").textContent()), /do not match/);
		assert.equal(await page.getByLabel("Email", { exact: true }).inputValue(), "owner@acme.test");
		await close();
	});

	it("fits a phone screen without sideways scrolling", async () => {
		const { page, close } = await newPage({ width: 360, height: 740 });
		await page.goto(`${e2e.stack.portalOrigin("globex")}/`);
		assert.equal(await page.title(), "Sign in · Globex");
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
		await close();
	});
});
