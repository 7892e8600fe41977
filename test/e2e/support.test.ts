// Support journey in Debian's Chromium: a member types "download invoice", opens the suggested article
// and leaves; later files a ticket; an operator signs in to /ops (enrolling TOTP), answers it; the
// member sees the answer in the portal.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { TOTP_STEP_MS, totpCode } from "../../src/auth/mfa.ts";
import { seriousViolations, useE2E } from "./harness.ts";

const e2e = useE2E("support");

describe("support in a browser", () => {
	it("suggests an answer while typing, then carries a ticket to the console and the reply back", async () => {
		const acme = e2e.stack.portalOrigin("acme");
		const member = await (await e2e.browser.newContext()).newPage();
		await member.goto(`${acme}/sign-in`);
		await member.getByLabel("Email", { exact: true }).fill("member@acme.test");
		await member.getByLabel("Password").fill(DEMO_PASSWORD);
		await member.getByRole("button", { name: "Sign in", exact: true }).click();
		await member.getByRole("heading", { name: /^Welcome,/ }).waitFor();

		await member.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Support" }).click();
		await member.getByRole("link", { name: "New ticket" }).click();
		await member.getByLabel("Subject").pressSequentially("download invoice", { delay: 20 });
		const suggestion = member.locator("#suggestions").getByRole("link", { name: "Download an invoice as PDF" });
		await suggestion.waitFor();
		assert.deepEqual(await seriousViolations(member), []);
		await suggestion.click();
		await member.getByRole("heading", { name: "Download an invoice as PDF", level: 1 }).waitFor();
		await member.getByRole("button", { name: "Yes" }).click();
		await member.getByText("Thank you").waitFor();
		// …and leaves without writing to support.
		await member.goto(`${acme}/`);

		await member.goto(`${acme}/support/new`);
		await member.getByLabel("Subject").fill("The March invoice PDF is blank");
		await member.getByLabel("Category").selectOption("billing");
		await member.getByLabel("What happened?").fill("Downloading the March invoice gives an empty PDF.");
		await member.getByRole("button", { name: "Send to support" }).click();
		await member.getByText("Your ticket is with support.").waitFor();
		assert.deepEqual(await seriousViolations(member), []);

		const ops = await (await e2e.browser.newContext()).newPage();
		await ops.goto(`http://localhost:${e2e.port}/ops`);
		await ops.getByLabel("Email", { exact: true }).fill("ops@portico.test");
		await ops.getByLabel("Password").fill(DEMO_PASSWORD);
		await ops.getByRole("button", { name: "Sign in" }).click();
		const secret = String(await ops.locator("code.secret").textContent());
		await ops.getByLabel("Code from the app").fill(await totpCode(secret, Math.floor(Date.now() / TOTP_STEP_MS)));
		await ops.getByRole("button", { name: "Turn on two-step verification" }).click();
		await ops.getByRole("heading", { name: "Portal metrics" }).waitFor();
		assert.deepEqual(await seriousViolations(ops), []);
		await ops.getByRole("navigation", { name: "Operator console" }).getByRole("link", { name: "Tickets" }).click();
		await ops.getByRole("link", { name: "The March invoice PDF is blank" }).click();
		await ops.getByText("Requester's role").waitFor();
		assert.deepEqual(await seriousViolations(ops), []);
		await ops.getByLabel("Reply or note").fill("We regenerated the PDF — please download it again.");
		await ops.getByRole("button", { name: "Send" }).click();
		await ops.getByText("We regenerated the PDF").waitFor();

		await member.goto(`${acme}/support`);
		await member.getByRole("link", { name: "The March invoice PDF is blank" }).click();
		await member.getByText("We regenerated the PDF — please download it again.").waitFor();
		assert.match(String(await member.locator(".badge").first().textContent()), /Waiting on customer/);
	});
});
