// Browser journeys in Debian's Chromium against a real local stack (libSQL server, migrations, demo
// seed, wrangler dev) started on free ports with a scratch data directory.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { freePort, type Stack, startStack } from "../../dev/stack.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const axeSource = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

let stack: Stack;
let browser: Browser;
let dataDir: string;

before(async () => {
	dataDir = mkdtempSync(join(tmpdir(), "portico-e2e-"));
	stack = await startStack({ port: await freePort(), dbPort: await freePort(), stripePort: await freePort(), dataDir });
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

/** Runs axe-core in the page (through the debugger, so the page's CSP stays on) and returns the serious and critical violations. */
async function seriousViolations(page: Page): Promise<string[]> {
	await page.evaluate(axeSource);
	const result = await page.evaluate(async () => {
		// biome-ignore lint/suspicious/noExplicitAny: axe is injected at run time.
		const axe = (window as any).axe;
		const { violations } = await axe.run(document, { resultTypes: ["violations"] });
		return violations.map((v: { id: string; impact: string; nodes: { target: string[] }[] }) => ({
			id: v.id,
			impact: v.impact,
			targets: v.nodes.map((n) => n.target.join(" ")),
		}));
	});
	return result
		.filter((v: { impact: string }) => v.impact === "serious" || v.impact === "critical")
		.map((v: { id: string; targets: string[] }) => `${v.id}: ${v.targets.join(", ")}`);
}

async function newPage(viewport = { width: 1280, height: 800 }) {
	const context = await browser.newContext({ viewport });
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
		await page.goto(`${stack.portalOrigin("acme")}/`);
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
		await page.goto(`${stack.portalOrigin("acme")}/`);
		await page.getByLabel("Email", { exact: true }).fill("owner@acme.test");
		await page.getByLabel("Password").fill(DEMO_PASSWORD);
		await page.getByLabel("Password").press("Enter");
		await page.getByRole("heading", { name: "Welcome, Ada Owner" }).waitFor();
		assert.match(String(await page.locator(".facts").textContent()), /Pro/);
		assert.deepEqual(await seriousViolations(page), []);

		await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Audit log" }).click();
		await page.getByRole("heading", { name: "Audit log" }).waitFor();
		assert.match(String(await page.locator(".audit-list").textContent()), /auth\.sign_in/);
		assert.deepEqual(problems, []);
		await close();
	});

	it("shows field messages for a wrong password without leaving the page", async () => {
		const { page, close } = await newPage();
		await page.goto(`${stack.portalOrigin("acme")}/`);
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
		await page.goto(`${stack.portalOrigin("globex")}/`);
		assert.equal(await page.title(), "Sign in · Globex");
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
		await close();
	});
});
