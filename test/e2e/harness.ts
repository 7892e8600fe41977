// The browser tests' shared harness: a complete local stack on free ports with a scratch data directory,
// and Debian's Chromium (never a downloaded browser), started before a file's tests and stopped after.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { freePort, type Stack, startStack } from "../../dev/stack.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const axeSource = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

export interface E2E {
	stack: Stack;
	browser: Browser;
	port: number;
	dataDir: string;
}

export function useE2E(name: string): E2E {
	const e2e = {} as E2E;
	before(async () => {
		e2e.dataDir = mkdtempSync(join(tmpdir(), `portico-e2e-${name}-`));
		e2e.port = await freePort();
		e2e.stack = await startStack({
			port: e2e.port,
			dbPort: await freePort(),
			stripePort: await freePort(),
			dataDir: e2e.dataDir,
		});
		// The flags keep Chromium from reaching out to a network this machine does not have.
		e2e.browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: [
				"--no-sandbox",
				"--disable-gpu",
				"--disable-quic",
				"--no-first-run",
				"--disable-background-networking",
				"--disable-component-update",
				"--disable-sync",
				// The white-label journey's custom domain: this machine, as a DNS provider would make it.
				"--host-resolver-rules=MAP portal.acme.test 127.0.0.1",
			],
		});
	});
	after(async () => {
		await e2e.browser?.close();
		await e2e.stack?.stop();
		if (e2e.dataDir) rmSync(e2e.dataDir, { recursive: true, force: true });
	});
	return e2e;
}

/** axe-core's serious and critical violations on the page (run through the debugger, so the CSP stays on). */
export async function seriousViolations(page: Page): Promise<string[]> {
	await page.evaluate(axeSource);
	const violations: { id: string; impact: string; targets: string[] }[] = await page.evaluate(async () => {
		// biome-ignore lint/suspicious/noExplicitAny: axe is injected at run time.
		const result = await (window as any).axe.run(document, { resultTypes: ["violations"] });
		return result.violations.map((v: { id: string; impact: string; nodes: { target: string[] }[] }) => ({
			id: v.id,
			impact: v.impact,
			targets: v.nodes.map((n) => n.target.join(" ")),
		}));
	});
	return violations
		.filter((v) => v.impact === "serious" || v.impact === "critical")
		.map((v) => `${v.id}: ${v.targets.join(", ")}`);
}

/** Signs a demo user in at Acme's portal (the demo password) and waits for the overview. */
export async function signInAtAcme(e2e: E2E, page: Page, email: string, password: string): Promise<void> {
	await page.goto(`${e2e.stack.portalOrigin("acme")}/sign-in`);
	await page.getByLabel("Email", { exact: true }).fill(email);
	await page.getByLabel("Password").fill(password);
	await page.getByRole("button", { name: "Sign in", exact: true }).click();
	await page.getByRole("heading", { name: /^Welcome,/ }).waitFor();
}

/** What the page's Content Security Policy blocked, collected from the console as it happens. */
export function cspBlocks(page: Page): string[] {
	const blocked: string[] = [];
	page.on("console", (m) => {
		if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
	});
	return blocked;
}

/** The page's width against the viewport's: nothing may make it scroll sideways. */
export async function overflow(page: Page): Promise<{ doc: number; view: number }> {
	return page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
}
