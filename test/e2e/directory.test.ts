// Directory sync in Debian's Chromium against the stack, the CSP on: Acme's Owner opens
// /settings/directory, creates a token (shown once), sees the request the demo's provisioning made with
// the demo token, gives the demo's pushed group a role, and the Team page shows the member the
// directory manages with the role from their group; on a desktop and a phone.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { describe, it } from "node:test";
import { DEMO_PASSWORD } from "../../dev/seed.ts";
import { cspBlocks, overflow, seriousViolations, signInAtAcme, useE2E } from "./harness.ts";

const e2e = useE2E("directory");
const SHOTS = new URL("../../test-results/", import.meta.url).pathname;

for (const [label, viewport] of [
	["desktop", { width: 1280, height: 800 }],
	["phone", { width: 390, height: 844 }],
] as const) {
	describe(`directory sync on a ${label}`, () => {
		it("creates a token shown once, shows the IdP's requests, and badges the managed member", async () => {
			const context = await e2e.browser.newContext({ viewport });
			const page = await context.newPage();
			const blocked = cspBlocks(page);
			await signInAtAcme(e2e, page, "owner@acme.test", DEMO_PASSWORD);
			await page.goto(`${e2e.stack.portalOrigin("acme")}/settings`);
			await page.getByRole("link", { name: "Directory sync" }).click();
			await page.getByRole("heading", { name: "Directory sync", level: 1 }).waitFor();
			// The demo's provisioning through the API is in the log.
			await page.getByRole("cell", { name: "POST /Users" }).waitFor();
			await page.getByLabel("Token name").fill(`Okta ${label}`);
			await page.getByRole("button", { name: "Create token" }).click();
			const shown = (await page.getByRole("status").locator("code").textContent()) ?? "";
			assert.match(shown, /^scim_[A-Za-z0-9_-]{43}$/);
			assert.deepEqual(await seriousViolations(page), []);
			const { doc, view } = await overflow(page);
			assert.ok(doc <= view, `the page is ${doc} px wide in a ${view} px viewport`);
			mkdirSync(SHOTS, { recursive: true });
			await page.screenshot({ path: `${SHOTS}directory-${label}.png`, fullPage: true });
			// Shown once: the page again lists the token by its last four characters only.
			await page.goto(`${e2e.stack.portalOrigin("acme")}/settings/directory`);
			assert.equal(await page.getByText(shown).count(), 0);
			await page.getByText(`…${shown.slice(-4)}`).waitFor();
			// The demo's pushed group gets a role (desktop), or none again (phone): Dana's role follows.
			const role = label === "desktop" ? "Admin" : "No role";
			await page.getByLabel("Role of the group Support agents").selectOption({ label: role });
			await page.getByRole("button", { name: "Save the role of Support agents" }).click();
			await page.getByText("Group role saved").waitFor();
			assert.deepEqual(await seriousViolations(page), []);
			await page.screenshot({ path: `${SHOTS}directory-groups-${label}.png`, fullPage: true });
			await page.goto(`${e2e.stack.portalOrigin("acme")}/team`);
			await page.getByText("Managed by your directory").first().waitFor();
			const fromGroup = page.getByText("Role from the directory group “Support agents”");
			if (label === "desktop") await fromGroup.waitFor();
			else assert.equal(await fromGroup.count(), 0);
			assert.deepEqual(blocked, [], "nothing blocked by the CSP");
			await context.close();
		});
	});
}
