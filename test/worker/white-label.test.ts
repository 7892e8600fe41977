// White-label: branding with its contrast check, custom domains checked over DNS-over-HTTPS (answered
// here at the fetch boundary), dangling domains disabled, and emails in the organization's brand and
// sender — all through the Worker against the real database.
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkBrandContrast, contrastRatio } from "../../src/branding/contrast.ts";
import { domains, notifications, organizations } from "../../src/db/schema.ts";
import { checkHostname } from "../../src/domains/hostname.ts";
import { runJob } from "../../src/jobs/scheduled.ts";
import { mockDns as dnsFor } from "../support/dns.ts";
import {
	auditActions,
	createOrg,
	createUser,
	lastMailTo,
	linkIn,
	request,
	signIn,
	type TestOrg,
	testDb,
} from "../support/worker.ts";

afterEach(() => vi.restoreAllMocks());

/** This file's names (under acme.example and mail-….example). */
const OURS = (name: string) =>
	/(\.acme\.example|^(portico\._domainkey\.|_portico-mail\.)?mail-[0-9a-f]{8}\.example)$/.test(name);
const mockDns = () => dnsFor(OURS);

const unique = () => crypto.randomUUID().slice(0, 8);

async function owner(org: TestOrg) {
	const user = await createUser(org, "owner");
	return { user, cookie: await signIn(org, user.email) };
}

const BRAND = {
	primary: "#1d4ed8",
	secondary: "#0f766e",
	surface: "#ffffff",
	text: "#111827",
	supportEmail: "",
	mailFromName: "",
	mailFromAddress: "",
};

async function domainOf(hostname: string) {
	const [row] = await testDb().select().from(domains).where(eq(domains.hostname, hostname));
	return row;
}

async function addAndVerify(org: TestOrg, cookie: string, dns: ReturnType<typeof mockDns>, hostname: string) {
	expect((await request(`${org.origin}/settings/domains`, { cookie, form: { hostname } })).status).toBe(303);
	const domain = await domainOf(hostname);
	dns.set("TXT", `_portico.${hostname}`, [`portico-verify=${domain?.verificationToken}`]);
	dns.set("CNAME", hostname, ["domains.localhost"]);
	const check = await request(`${org.origin}/settings/domains/${domain?.id}/check`, { cookie, form: {} });
	expect(check.headers.get("location")).toBe("/settings/domains?notice=verified");
	return domain;
}

describe("contrast", () => {
	it("measures WCAG ratios and refuses pairs just below AA", () => {
		expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
		expect(contrastRatio("#767676", "#ffffff")).toBeGreaterThanOrEqual(4.5);
		expect(contrastRatio("#777777", "#ffffff")).toBeLessThan(4.5);
		const failing = (c: Partial<typeof BRAND>) =>
			checkBrandContrast({ ...BRAND, ...c })
				.filter((x) => !x.ok)
				.map((x) => x.field);
		expect(failing({})).toEqual([]);
		expect(failing({ primary: "#777777" })).toEqual(["primary"]);
		expect(failing({ primary: "#767676" })).toEqual([]);
		expect(failing({ secondary: "#959595" })).toEqual(["secondary"]);
		expect(failing({ secondary: "#949494" })).toEqual([]);
		// Secondary text is a blend: a text colour that passes alone can fail blended into the background.
		expect(failing({ text: "#5a5a5a" })).toEqual(["text"]);
		// Dark themes work when the pairs hold.
		expect(failing({ surface: "#111827", text: "#f9fafb", primary: "#93c5fd", secondary: "#5eead4" })).toEqual([]);
	});
});

describe("branding", () => {
	it("renders each organization's colours and logo on its own host and in its emails", async () => {
		const acme = await createOrg();
		const globex = await createOrg();
		const a = await owner(acme);
		const g = await owner(globex);
		const save = await request(`${acme.origin}/settings/branding`, {
			cookie: a.cookie,
			form: {
				...BRAND,
				primary: "#b42318",
				supportEmail: "help@acme-corp.example",
				linkLabel0: "Status",
				linkUrl0: "https://status.acme-corp.example",
			},
		});
		expect(save.status, save.text.slice(0, 500)).toBe(303);
		await request(`${globex.origin}/settings/branding`, { cookie: g.cookie, form: { ...BRAND, primary: "#166534" } });
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
		const form = new FormData();
		form.set("logo", new File([png], "logo.png", { type: "image/png" }));
		expect(
			(await request(`${acme.origin}/settings/logo`, { method: "POST", cookie: a.cookie, body: form })).status,
		).toBe(303);

		const acmePage = await request(`${acme.origin}/sign-in`);
		const globexPage = await request(`${globex.origin}/sign-in`);
		expect(acmePage.text).toContain("--brand-primary:#b42318");
		expect(globexPage.text).toContain("--brand-primary:#166534");
		expect(acmePage.text).toMatch(/<img src="\/files\/logos\/org_[^"]+\.png"/);
		expect(globexPage.text).not.toContain("/files/logos/");
		expect(acmePage.text).toContain('href="mailto:help@acme-corp.example"');
		expect(acmePage.text).toContain('href="https://status.acme-corp.example"');

		await request(`${acme.origin}/forgot-password`, { form: { email: a.user.email } });
		await request(`${globex.origin}/forgot-password`, { form: { email: g.user.email } });
		const acmeMail = await lastMailTo(a.user.email);
		const globexMail = await lastMailTo(g.user.email);
		expect(acmeMail?.html).toContain("border-top:4px solid #b42318");
		expect(acmeMail?.html).toMatch(new RegExp(`<img src="${acme.origin}/files/logos/org_`));
		expect(acmeMail?.text).toContain("Questions? Write to help@acme-corp.example.");
		expect(globexMail?.html).toContain("border-top:4px solid #166534");
		expect(acmeMail?.from).toBe(`"${acme.name}" <no-reply@portico.localhost>`);
		expect([acmeMail?.replyTo, globexMail?.replyTo]).toEqual(["help@acme-corp.example", null]);
		expect(globexMail?.from).toBe(`"${globex.name}" <no-reply@portico.localhost>`);
	});

	it.each([
		[{ primary: "red" }, "as #rrggbb"],
		[{ text: "#cccccc" }, "below the 4.5:1 WCAG AA minimum"],
		[{ secondary: "#f0f0f0" }, "below the 3:1 WCAG AA minimum"],
		[{ supportEmail: "not-an-email" }, "Enter a valid email address"],
		[{ linkLabel0: "Docs", linkUrl0: "javascript:alert(1)" }, "must start with https://"],
		[{ linkLabel0: "", linkUrl0: "https://docs.example.com" }, "both a text and an address"],
		[{ mailFromAddress: "hello@acme-corp.example" }, "Verify your email domain"],
		[{ mailFromName: "x".repeat(65) }, "under 64 characters"],
	])("refuses %j with a clear message and saves nothing", async (change, message) => {
		const org = await createOrg();
		const { cookie } = await owner(org);
		const res = await request(`${org.origin}/settings/branding`, { cookie, form: { ...BRAND, ...change } });
		expect(res.status).toBe(422);
		expect(res.text).toContain(message);
		const [row] = await testDb().select().from(organizations).where(eq(organizations.id, org.id));
		expect(row?.brandPrimary).toBe("#4f46e5");
		expect(row?.supportEmail).toBeNull();
		expect(row?.helpLinks).toEqual([]);
	});

	it("previews colours without saving them, with the contrast of each pair", async () => {
		const org = await createOrg();
		const { cookie } = await owner(org);
		const query = new URLSearchParams({ ...BRAND, primary: "#aaaaaa" }).toString();
		const res = await request(`${org.origin}/settings/branding/preview?${query}`, {
			cookie,
			headers: { "hx-request": "true" },
		});
		expect(res.status).toBe(200);
		expect(res.text).toContain('fill="#aaaaaa"');
		expect(res.text).toContain("Links and buttons on the background: 2.32:1 is below");
		const [row] = await testDb().select().from(organizations).where(eq(organizations.id, org.id));
		expect(row?.brandPrimary).toBe("#4f46e5");
	});

	it("refuses oversized or disguised favicons", async () => {
		const org = await createOrg();
		const { cookie } = await owner(org);
		const upload = (file: File) => {
			const form = new FormData();
			form.set("favicon", file);
			return request(`${org.origin}/settings/favicon`, { method: "POST", cookie, body: form });
		};
		const big = new Uint8Array(65 * 1024);
		big.set([0x89, 0x50, 0x4e, 0x47]);
		expect((await upload(new File([big], "f.png"))).text).toContain("larger than 64 KB");
		expect((await upload(new File(["<svg onload=alert(1)>"], "f.png"))).status).toBe(422);
		const [row] = await testDb().select().from(organizations).where(eq(organizations.id, org.id));
		expect(row?.faviconUrl).toBeNull();
	});
});

describe("custom domains", () => {
	it("keeps the vendor's own domain and its subdomains for the vendor", () => {
		expect(checkHostname("portal.example", "portal.example")).toMatchObject({ ok: false });
		expect(checkHostname("acme.portal.example", "portal.example")).toEqual({
			ok: false,
			message: "Addresses under portal.example are the portal's own; use a domain of yours.",
		});
		expect(checkHostname("Portal.Acme.COM.", "portal.example")).toEqual({ ok: true, hostname: "portal.acme.com" });
		expect(checkHostname("xn--portl-gra.example.com", "portal.example")).toMatchObject({ ok: true });
		expect(checkHostname(`${"a.".repeat(126)}com`, "portal.example")).toMatchObject({ ok: false });
	});

	it.each([
		["", "Enter a hostname"],
		["192.168.1.10", "IP address"],
		["localhost", "localhost cannot"],
		["portal.localhost", "localhost cannot"],
		["*.acme.example", "Wildcards"],
		["acme.localhost", "localhost cannot"],
		[`${"a".repeat(64)}.example.com`, "at most 63 characters"],
		["portäl.example.com", "punycode"],
		["https://portal.example.com/x", "without https://"],
		["-bad-.example.com", "not starting or ending with a hyphen"],
		["portal", "full hostname"],
	])("refuses %j as a hostname and saves nothing", async (hostname, message) => {
		const org = await createOrg();
		const { cookie } = await owner(org);
		const res = await request(`${org.origin}/settings/domains`, { cookie, form: { hostname } });
		expect(res.status).toBe(422);
		expect(res.text).toContain(message);
		expect(await testDb().select().from(domains).where(eq(domains.orgId, org.id))).toEqual([]);
	});

	it("lets one organization only claim a hostname, and resolves it only once verified", async () => {
		const dns = mockDns();
		const acme = await createOrg();
		const other = await createOrg();
		const a = await owner(acme);
		const o = await owner(other);
		const hostname = `portal-${unique()}.acme.example`;
		expect((await request(`${acme.origin}/settings/domains`, { cookie: a.cookie, form: { hostname } })).status).toBe(
			303,
		);
		const taken = await request(`${other.origin}/settings/domains`, {
			cookie: o.cookie,
			form: { hostname: hostname.toUpperCase() },
		});
		expect(taken.status).toBe(409);
		expect(taken.text).toContain("already used by a portal");
		expect(await testDb().select().from(domains).where(eq(domains.orgId, other.id))).toEqual([]);

		expect((await request(`http://${hostname}/sign-in`)).status).toBe(404);
		const domain = await domainOf(hostname);
		// Only the TXT record: not enough.
		dns.set("TXT", `_portico.${hostname}`, [`portico-verify=${domain?.verificationToken}`]);
		await request(`${acme.origin}/settings/domains/${domain?.id}/check`, { cookie: a.cookie, form: {} });
		expect((await domainOf(hostname))?.lastCheckProblem).toContain("CNAME");
		expect((await request(`http://${hostname}/sign-in`)).status).toBe(404);
		dns.set("CNAME", hostname, ["domains.localhost"]);
		await request(`${acme.origin}/settings/domains/${domain?.id}/check`, { cookie: a.cookie, form: {} });
		const verified = await domainOf(hostname);
		expect(verified?.verifiedAt).not.toBeNull();
		expect(verified?.providerId).toBe(`local:${hostname}`);
		const page = await request(`http://${hostname}/sign-in`);
		expect(page.status).toBe(200);
		expect(page.text).toContain(`Sign in to ${acme.name}`);
		// Another organization cannot touch it by id.
		expect(
			(await request(`${other.origin}/settings/domains/${domain?.id}/remove`, { cookie: o.cookie, form: {} })).status,
		).toBe(404);

		expect(
			(await request(`${acme.origin}/settings/domains/${domain?.id}/remove`, { cookie: a.cookie, form: {} })).status,
		).toBe(303);
		expect((await request(`http://${hostname}/sign-in`)).status).toBe(404);
		expect(await auditActions(acme.id)).toEqual(
			expect.arrayContaining(["domain.added", "domain.check_failed", "domain.verified", "domain.removed"]),
		);
	});

	it("sends links for the portal's custom domain once it is verified", async () => {
		const dns = mockDns();
		const org = await createOrg();
		const { user, cookie } = await owner(org);
		const hostname = `help-${unique()}.acme.example`;
		await addAndVerify(org, cookie, dns, hostname);
		await request(`${org.origin}/sign-in/link`, { form: { email: user.email } });
		const link = linkIn((await lastMailTo(user.email))?.text, "/sign-in/link");
		expect(new URL(link).hostname).toBe(hostname);
		const opened = await request(link);
		expect(opened.status, opened.text.slice(0, 300)).toBe(200);
	});

	it("disables a verified domain whose records disappeared, and tells its managers", async () => {
		const dns = mockDns();
		const org = await createOrg();
		const { user, cookie } = await owner(org);
		const hostname = `old-${unique()}.acme.example`;
		await addAndVerify(org, cookie, dns, hostname);
		expect((await request(`http://${hostname}/sign-in`)).status).toBe(200);
		// DNS that cannot be reached says nothing: the domain stays.
		vi.restoreAllMocks();
		await runJob("stripeReconciliation", env, Date.now(), [org.id]);
		expect((await domainOf(hostname))?.verifiedAt).not.toBeNull();
		const dangling = mockDns();
		dangling.set("TXT", `_portico.${hostname}`, [`portico-verify=${(await domainOf(hostname))?.verificationToken}`]);
		await runJob("stripeReconciliation", env, Date.now(), [org.id]);
		const row = await domainOf(hostname);
		expect(row?.verifiedAt).toBeNull();
		expect(row?.disabledAt).not.toBeNull();
		expect((await request(`http://${hostname}/sign-in`)).status).toBe(404);
		expect(await auditActions(org.id)).toContain("domain.disabled");
		const inbox = await testDb()
			.select()
			.from(notifications)
			.where(and(eq(notifications.orgId, org.id), eq(notifications.userId, user.id)));
		expect(inbox.map((n) => n.title)).toContain(`${hostname} was disabled`);
	});
});

async function mailToken(orgId: string) {
	const [row] = await testDb()
		.select({ token: organizations.mailDomainToken })
		.from(organizations)
		.where(eq(organizations.id, orgId));
	return String(row?.token);
}

describe("email sender", () => {
	it("binds a verified email domain to one organization: another proves nothing with the first one's records", async () => {
		const dns = mockDns();
		const acme = await createOrg();
		const globex = await createOrg();
		const a = await owner(acme);
		const g = await owner(globex);
		const mailDomain = `mail-${unique()}.example`;
		for (const [org, cookie] of [
			[acme, a.cookie],
			[globex, g.cookie],
		] as const)
			expect((await request(`${org.origin}/settings/domains/email`, { cookie, form: { mailDomain } })).status).toBe(
				303,
			);
		// Each organization is told its own token.
		expect(await mailToken(acme.id)).not.toBe(await mailToken(globex.id));
		dns.set("TXT", `_portico-mail.${mailDomain}`, [`portico-verify=${await mailToken(acme.id)}`]);
		dns.set("TXT", mailDomain, ["v=spf1 include:_spf.localhost ~all"]);
		dns.set("CNAME", `portico._domainkey.${mailDomain}`, ["portico._domainkey.localhost"]);
		const stolen = await request(`${globex.origin}/settings/domains/email/check`, { cookie: g.cookie, form: {} });
		expect(stolen.status).toBe(422);
		expect(stolen.text).toContain("missing or has another value");
		expect((await request(`${acme.origin}/settings/domains/email/check`, { cookie: a.cookie, form: {} })).status).toBe(
			303,
		);
		// Even with its own token published too, the second organization cannot verify a domain that is taken.
		dns.set("TXT", `_portico-mail.${mailDomain}`, [
			`portico-verify=${await mailToken(acme.id)}`,
			`portico-verify=${await mailToken(globex.id)}`,
		]);
		const taken = await request(`${globex.origin}/settings/domains/email/check`, { cookie: g.cookie, form: {} });
		expect(taken.status).toBe(422);
		expect(taken.text).toContain("already verified for email by another organization");
		const [row] = await testDb().select().from(organizations).where(eq(organizations.id, globex.id));
		expect(row?.mailDomainVerifiedAt).toBeNull();
	});

	it("sends from the organization's own address once its domain passes SPF and DKIM", async () => {
		const dns = mockDns();
		const org = await createOrg();
		const { user, cookie } = await owner(org);
		const mailDomain = `mail-${unique()}.example`;
		expect((await request(`${org.origin}/settings/domains/email`, { cookie, form: { mailDomain } })).status).toBe(303);
		const early = await request(`${org.origin}/settings/domains/email/check`, { cookie, form: {} });
		expect(early.status).toBe(422);
		expect(early.text).toContain(`_portico-mail.${mailDomain}`);
		const token = await mailToken(org.id);
		expect((await request(`${org.origin}/settings/domains`, { cookie })).text).toContain(`portico-verify=${token}`);
		dns.set("TXT", `_portico-mail.${mailDomain}`, [`portico-verify=${token}`]);
		const noSpf = await request(`${org.origin}/settings/domains/email/check`, { cookie, form: {} });
		expect(noSpf.text).toContain("SPF");
		dns.set("TXT", mailDomain, ["v=spf1 include:_spf.localhost ~all"]);
		dns.set("CNAME", `portico._domainkey.${mailDomain}`, ["portico._domainkey.localhost"]);
		expect((await request(`${org.origin}/settings/domains/email/check`, { cookie, form: {} })).status).toBe(303);
		const wrongDomain = await request(`${org.origin}/settings/branding`, {
			cookie,
			form: { ...BRAND, mailFromName: "Acme Support", mailFromAddress: "help@elsewhere.example" },
		});
		expect(wrongDomain.status).toBe(422);
		// A line break in the sender name is refused where it is typed…
		const injected = await request(`${org.origin}/settings/branding`, {
			cookie,
			form: { ...BRAND, mailFromName: 'Acme "Support"\r\nBcc: x@y.z', mailFromAddress: `help@${mailDomain}` },
		});
		expect(injected.status).toBe(422);
		expect(injected.text).toContain("cannot contain control characters");
		const saved = await request(`${org.origin}/settings/branding`, {
			cookie,
			form: { ...BRAND, mailFromName: 'Acme "Support"', mailFromAddress: `help@${mailDomain}` },
		});
		expect(saved.status, saved.text.slice(0, 400)).toBe(303);
		await request(`${org.origin}/forgot-password`, { form: { email: user.email } });
		expect((await lastMailTo(user.email))?.from).toBe(`"Acme \\"Support\\"" <help@${mailDomain}>`);
		// …and one stored before the rule (written directly here) still cannot reach a header.
		await testDb()
			.update(organizations)
			.set({ mailFromName: "Old\r\nBcc: x@y.z", name: "Org\r\nSubject: x" })
			.where(eq(organizations.id, org.id));
		await request(`${org.origin}/forgot-password`, { form: { email: user.email } });
		const mail = await lastMailTo(user.email);
		expect(mail?.from).toBe(`"Old Bcc: x@y.z" <help@${mailDomain}>`);
		expect(mail?.subject).not.toMatch(/[\r\n]/);
	});
});
