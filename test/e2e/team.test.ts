// Team journeys in Debian's Chromium: invite a teammate, read the invitation in /dev/mail, accept it in
// a second browser context, see them on the team page; a Member sees no admin sections and gets 403.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { useE2E } from "./harness.ts";

const e2e = useE2E("team");

async function signInAs(page: Page, email: string) {
	await page.goto(`${e2e.stack.portalOrigin("acme")}/sign-in`);
	await page.getByLabel("Email", { exact: true }).fill(email);
	await page.getByLabel("Password").fill(DEMO_PASSWORD);
	await page.getByRole("button", { name: "Sign in", exact: true }).click();
	await page.getByRole("heading", { name: /^Welcome,/ }).waitFor();
}

describe("team in a browser", () => {
	it("invites a teammate who accepts from the development mailbox in another browser", async () => {
		const ownerContext = await e2e.browser.newContext();
		const owner = await ownerContext.newPage();
		await signInAs(owner, "owner@acme.test");
		await owner.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Team" }).click();
		await owner.getByLabel("Email addresses").fill("newhire@acme.test");
		await owner.getByLabel("Role", { exact: true }).selectOption({ label: "Member" });
		await owner.getByRole("button", { name: "Send invitations" }).click();
		await owner.getByText("Invitations sent.").waitFor();

		let link: string | null = null;
		for (let attempt = 0; attempt < 40 && !link; attempt++) {
			await owner.goto(`http://localhost:${e2e.port}/dev/mail`);
			link = await owner
				.locator('a[href*="/invitation?token="]')
				.first()
				.getAttribute("href", { timeout: 250 })
				.catch(() => null);
		}
		assert.ok(link, "the invitation arrived in /dev/mail");

		const newcomerContext = await e2e.browser.newContext();
		const newcomer = await newcomerContext.newPage();
		await newcomer.goto(link);
		await newcomer.getByLabel("Your name").fill("Nina Newhire");
		await newcomer.getByLabel("Choose a password").fill("first day at acme");
		await newcomer.getByRole("button", { name: "Join Acme" }).click();
		await newcomer.getByRole("heading", { name: "Welcome, Nina Newhire" }).waitFor();

		await owner.goto(`${e2e.stack.portalOrigin("acme")}/team`);
		assert.match(String(await owner.locator("table").textContent()), /Nina Newhire/);
		await ownerContext.close();
		await newcomerContext.close();
	});

	it("shows a Member no admin sections and refuses their URLs", async () => {
		const context = await e2e.browser.newContext();
		const page = await context.newPage();
		await signInAs(page, "member@acme.test");
		const nav = page.getByRole("navigation", { name: "Portal" });
		assert.equal(await nav.getByRole("link", { name: "Roles" }).count(), 0);
		assert.equal(await nav.getByRole("link", { name: "Audit log" }).count(), 0);
		const res = await page.goto(`${e2e.stack.portalOrigin("acme")}/team/roles`);
		assert.equal(res?.status(), 403);
		await context.close();
	});

	it("changes a member's role, finds the event by filtering on the actor, and exports it", async () => {
		const context = await e2e.browser.newContext({ acceptDownloads: true });
		const page = await context.newPage();
		await signInAs(page, "owner@acme.test");
		await page.goto(`${e2e.stack.portalOrigin("acme")}/team`);
		const row = page.locator("tr", { hasText: "member@acme.test" });
		await row.getByLabel(/Role of/).selectOption({ label: "Admin" });
		await row.getByRole("button", { name: "Change role" }).click();
		await page.getByText("Role changed.").waitFor();

		await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Audit log" }).click();
		await page.getByLabel("Actor").fill("Ada Owner");
		await page.getByLabel("Area").selectOption("team");
		await page.getByRole("button", { name: "Filter" }).click();
		await page.waitForURL(/actor=Ada\+Owner/);
		assert.match(String(await page.locator(".audit-list").textContent()), /team\.role_changed/);
		const [download] = await Promise.all([
			page.waitForEvent("download"),
			page.getByRole("link", { name: "Export CSV" }).click(),
		]);
		const path = await download.path();
		const { readFileSync } = await import("node:fs");
		const csv = readFileSync(String(path), "utf8");
		assert.match(csv, /team\.role_changed/);
		assert.doesNotMatch(csv, /auth\.sign_in_failed/);
		await context.close();
	});

	it("asks before removing a member: a dialog with JavaScript, a page without, Cancel keeping everything", async () => {
		const context = await e2e.browser.newContext({ viewport: { width: 390, height: 844 } });
		const owner = await context.newPage();
		await signInAs(owner, "owner@acme.test");
		await owner.goto(`${e2e.stack.portalOrigin("acme")}/team`);
		const remove = owner.getByRole("link", { name: "Remove Mia Member…" });
		await remove.click();
		const dialog = owner.getByRole("dialog", { name: "Remove Mia Member from Acme?" });
		await dialog.waitFor();
		await owner.screenshot({ path: new URL("../../test-results/confirm-dialog-phone.png", import.meta.url).pathname });
		assert.equal(
			await dialog.getByRole("link", { name: "Cancel" }).evaluate((el) => el === document.activeElement),
			true,
		);
		await owner.keyboard.press("Escape");
		await dialog.waitFor({ state: "hidden" });
		assert.equal(await remove.evaluate((el) => el === document.activeElement), true, "focus returns to the link");
		await remove.click();
		await dialog.getByRole("link", { name: "Cancel" }).click();
		await dialog.waitFor({ state: "hidden" });
		assert.equal(await owner.locator("tr", { hasText: "member@acme.test" }).count(), 1, "nothing was removed");
		await context.close();

		// Without JavaScript the same link is a confirmation page, and its button does it.
		const plain = await e2e.browser.newContext({ javaScriptEnabled: false });
		const page = await plain.newPage();
		await signInAs(page, "owner@acme.test");
		await page.goto(`${e2e.stack.portalOrigin("acme")}/team`);
		await page.getByRole("link", { name: "Remove Mia Member…" }).click();
		await page.getByRole("heading", { name: "Remove Mia Member from Acme?" }).waitFor();
		await page.getByRole("button", { name: "Remove Mia Member" }).click();
		await page.getByText("Member removed.").waitFor();
		assert.equal(await page.locator("tr", { hasText: "member@acme.test" }).count(), 0);
		await plain.close();
	});
});
