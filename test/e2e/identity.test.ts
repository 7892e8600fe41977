// Identity journeys in Debian's Chromium against a real local stack: sign up a new organization (its
// link taken from /dev/mail, the hand-off to the new host bound to this browser),
// sign in with a magic link taken from /dev/mail (delivered through the local mail queue), and enrol
// TOTP then sign in with it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { TOTP_STEP_MS, totpCode } from "../../src/auth/mfa.ts";
import { seriousViolations, useE2E } from "./harness.ts";

const e2e = useE2E("identity");

/** Mail goes through the local queue: look in /dev/mail until the link has arrived. */
async function mailLink(page: Page, hrefPart: string): Promise<string> {
	for (let attempt = 0; attempt < 40; attempt++) {
		await page.goto(`http://localhost:${e2e.port}/dev/mail`);
		const href = await page
			.locator(`a[href*="${hrefPart}"]`)
			.first()
			.getAttribute("href", { timeout: 250 })
			.catch(() => null);
		if (href) return href;
	}
	throw new Error(`no mail with a link containing ${hrefPart} arrived in /dev/mail`);
}

async function newPage() {
	const context = await e2e.browser.newContext();
	return { page: await context.newPage(), close: () => context.close() };
}

describe("identity in a browser", () => {
	it("signs up a new organization and lands on its own host, signed in", async () => {
		const { page, close } = await newPage();
		await page.goto(`http://localhost:${e2e.port}/`);
		await page.getByRole("link", { name: "Create your organization's portal" }).click();
		assert.deepEqual(await seriousViolations(page), []);
		await page.getByLabel("Organization name").fill("Initech");
		await page.getByLabel("Portal address").fill("initech");
		await page.locator("#slug-status", { hasText: "is available" }).waitFor();
		await page.getByLabel("Your name").fill("Peter Gibbons");
		await page.getByLabel("Work email").fill("peter@initech.test");
		await page.getByLabel("Password").fill("no more tps reports please");
		await page.getByRole("button", { name: "Create the portal" }).click();
		// Nothing is created yet: the link in the email confirms the address and creates the portal.
		await page.getByRole("heading", { name: "Check your email" }).waitFor();
		await page.goto(await mailLink(page, `localhost:${e2e.port}/sign-up/confirm?token=`));
		await page.getByRole("button", { name: "Create the portal" }).click();
		await page.getByRole("heading", { name: "Welcome, Peter Gibbons" }).waitFor();
		assert.equal(new URL(page.url()).host, `initech.localhost:${e2e.port}`);
		assert.match(String(await page.locator(".home-context").textContent()), /Free/);

		// The first-run guide: a tour (one step at a time with the script), skipped; then the checklist.
		await page.getByRole("heading", { name: "A quick tour" }).waitFor();
		// The script is deferred: wait for it to take the tour over before reading its counter.
		await page.locator(".tour-js [data-tour-counter]").waitFor();
		assert.match(String(await page.locator("[data-tour-counter]").textContent()), /Step 1 of/);
		await page.getByRole("button", { name: "Next" }).click();
		assert.match(String(await page.locator("[data-tour-counter]").textContent()), /Step 2 of/);
		assert.deepEqual(await seriousViolations(page), []);
		await page.getByRole("button", { name: "Skip the tour" }).click();
		await page.getByRole("heading", { name: "Getting started" }).waitFor();
		assert.equal(await page.getByRole("heading", { name: "A quick tour" }).count(), 0);
		// The emailed link verified the address: team actions are open at once.
		assert.match(String(await page.locator(".checklist").textContent()), /4 of 5 left/);
		await page.getByRole("link", { name: "Invite a teammate" }).click();
		await page.getByLabel("Email addresses").fill("michael@initech.test");
		await page.getByRole("button", { name: "Send invitations" }).click();
		await page.getByText("Invitations sent.").waitFor();
		await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Overview" }).click();
		assert.match(String(await page.locator(".checklist").textContent()), /3 of 5 left/);
		assert.equal(await page.locator(".checklist .done").count(), 2);
		await close();
	});

	it("signs in with a magic link opened from the development mailbox", async () => {
		const { page, close } = await newPage();
		await page.goto(`${e2e.stack.portalOrigin("acme")}/sign-in`);
		await page.getByText("Sign in without a password").click();
		await page.getByLabel("Email me a sign-in link").fill("member@acme.test");
		await page.getByRole("button", { name: "Send the link" }).click();
		await page.getByRole("status").waitFor();
		const link = await mailLink(page, `acme.localhost:${e2e.port}/sign-in/link?token=`);
		await page.goto(link);
		await page.getByRole("button", { name: "Sign in" }).click();
		await page.getByRole("heading", { name: "Welcome, Mia Member" }).waitFor();
		await close();
	});

	it("enrols TOTP and signs in with a code", async () => {
		const { page, close } = await newPage();
		const acme = e2e.stack.portalOrigin("acme");
		await page.goto(`${acme}/sign-in`);
		await page.getByLabel("Email", { exact: true }).fill("admin@acme.test");
		await page.getByLabel("Password").fill(DEMO_PASSWORD);
		await page.getByRole("button", { name: "Sign in", exact: true }).click();
		await page.getByRole("heading", { name: "Welcome, Alan Admin" }).waitFor();
		await page.goto(`${acme}/account`);
		await page.getByRole("link", { name: "Set up two-step verification" }).click();
		assert.deepEqual(await seriousViolations(page), []);
		const secret = String(await page.locator("code.secret").textContent());
		const step = Math.floor(Date.now() / TOTP_STEP_MS);
		await page.getByLabel("Code from the app").fill(await totpCode(secret, step));
		await page.getByRole("button", { name: "Turn on two-step verification" }).click();
		await page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
		assert.equal(await page.locator(".codes li").count(), 10);

		await page.locator("header .user-menu summary").click();
		await page.getByRole("button", { name: "Sign out" }).click();
		await page.getByLabel("Email", { exact: true }).fill("admin@acme.test");
		await page.getByLabel("Password").fill(DEMO_PASSWORD);
		await page.getByRole("button", { name: "Sign in", exact: true }).click();
		await page.getByRole("heading", { name: "Two-step verification" }).waitFor();
		await page.getByLabel("Code or recovery code").fill(await totpCode(secret, step + 1));
		await page.getByRole("button", { name: "Verify" }).click();
		await page.getByRole("heading", { name: "Welcome, Alan Admin" }).waitFor();
		await close();
	});
});
