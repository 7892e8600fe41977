// Seeds the demo on an empty database: organizations acme (Pro) and globex (Free), their people, the
// operator, the knowledge base, a support ticket and eight weeks of portal activity. `npm start` runs
// it; it does nothing when organizations already exist.
import { and, eq, isNotNull, sql } from "drizzle-orm";
import Stripe from "stripe";
import { hashPassword } from "../src/auth/password.ts";
import { BUILT_IN_ROLES } from "../src/auth/permissions.ts";
import { openDatabase } from "../src/db/client.ts";
import { auditEvents, invoiceCache, memberships, organizations, retentionOffers, users } from "../src/db/schema.ts";
import { newId } from "../src/lib/ids.ts";
import { seedSupport } from "./seed-support.ts";
import { STRIPE_SECRET_KEY } from "./stripe-credentials.ts";

export const DEMO_PASSWORD = "portico-demo-password";

/** What Acme's invoices are made out to, in the portal's settings and on the Stripe customer alike. */
const ACME_LEGAL = {
	name: "Acme Corporation",
	address: {
		line1: "100 Market Street",
		line2: "",
		city: "San Francisco",
		postalCode: "94105",
		state: "CA",
		country: "US",
	},
	taxId: { type: "us_ein" as const, value: "12-3456789" },
};

export async function seedDemo(url: string, authToken?: string, stripeUrl?: string): Promise<boolean> {
	const db = openDatabase({ url, authToken });
	const [existing] = await db.select({ n: sql<number>`count(*)` }).from(organizations);
	if ((existing?.n ?? 0) > 0) return false;

	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const verified = Date.now();
	const acme = {
		id: newId("org"),
		slug: "acme",
		name: "Acme",
		planId: "pln_pro",
		brandPrimary: "#b42318",
		brandSecondary: "#1d4ed8",
		billingEmail: "billing@acme.test",
		legalName: ACME_LEGAL.name,
		billingAddress: ACME_LEGAL.address,
		taxIdType: ACME_LEGAL.taxId.type,
		taxIdValue: ACME_LEGAL.taxId.value,
		...(stripeUrl ? await acmeSubscription(stripeUrl) : {}),
	};
	const globex = {
		id: newId("org"),
		slug: "globex",
		name: "Globex",
		planId: "pln_free",
		brandPrimary: "#166534",
		brandSecondary: "#7c2d12",
	};
	const person = (email: string, name: string) => ({
		id: newId("usr"),
		email,
		name,
		passwordHash,
		emailVerifiedAt: verified,
	});
	const people = {
		acmeOwner: person("owner@acme.test", "Ada Owner"),
		acmeAdmin: person("admin@acme.test", "Alan Admin"),
		acmeMember: person("member@acme.test", "Mia Member"),
		globexOwner: person("owner@globex.test", "Grace Owner"),
	};
	const member = (orgId: string, userId: string, roleId: string) => ({ id: newId("mem"), orgId, userId, roleId });
	const seeded = (orgId: string, actorId: string, actorLabel: string, action: string) => ({
		id: newId("evt"),
		orgId,
		actorType: "system" as const,
		actorId,
		actorLabel,
		action,
		metadata: { source: "demo seed" },
	});
	await db.batch([
		db.insert(organizations).values([acme, globex]),
		db.insert(users).values(Object.values(people)),
		db
			.insert(memberships)
			.values([
				member(acme.id, people.acmeOwner.id, BUILT_IN_ROLES.owner.id),
				member(acme.id, people.acmeAdmin.id, BUILT_IN_ROLES.admin.id),
				member(acme.id, people.acmeMember.id, BUILT_IN_ROLES.member.id),
				member(globex.id, people.globexOwner.id, BUILT_IN_ROLES.owner.id),
			]),
		// The vendor's retention offers: a discount for "too expensive", Pro instead of Free for "unused" (Business only).
		db.insert(retentionOffers).values([
			{
				reason: "too_expensive",
				kind: "discount",
				percentOff: 25,
				months: 3,
				updatedAt: verified,
				updatedBy: "Demo seed",
			},
			{ reason: "unused", kind: "downgrade", planId: "pln_pro", updatedAt: verified, updatedBy: "Demo seed" },
		]),
		db
			.insert(auditEvents)
			.values([
				seeded(acme.id, people.acmeOwner.id, "Demo seed", "organization.created"),
				seeded(globex.id, people.globexOwner.id, "Demo seed", "organization.created"),
			]),
	]);
	await seedSupport(db, {
		passwordHash,
		orgs: [
			{ ...acme, people: [people.acmeOwner, people.acmeAdmin, people.acmeMember] },
			{ ...globex, people: [people.globexOwner] },
		],
	});
	return true;
}

/**
 * What the demo promises but the database does not hold yet, in words (empty when complete). Acme's
 * invoices reach the cache through the Worker (webhooks or reconciliation), so `npm start` waits on this.
 */
export async function missingDemoData(url: string, authToken?: string): Promise<string[]> {
	const db = openDatabase({ url, authToken });
	const [acme] = await db
		.select({
			id: organizations.id,
			customer: organizations.stripeCustomerId,
			status: organizations.subscriptionStatus,
		})
		.from(organizations)
		.where(eq(organizations.slug, "acme"));
	if (!acme) return ["the organization acme"];
	// A demo started without the Stripe emulator (db:seed alone) promises no billing data.
	if (!acme.customer) return [];
	const missing: string[] = [];
	if (acme.status !== "active") missing.push(`Acme's subscription is ${acme.status ?? "unknown"}, not active`);
	const [paid] = await db
		.select({ n: sql<number>`count(*)` })
		.from(invoiceCache)
		.where(
			and(
				eq(invoiceCache.orgId, acme.id),
				eq(invoiceCache.status, "paid"),
				isNotNull(invoiceCache.hostedUrl),
				isNotNull(invoiceCache.pdfUrl),
			),
		);
	if ((paid?.n ?? 0) === 0) missing.push("Acme's paid invoice (with its PDF and hosted page) in the invoice cache");
	return missing;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const url = process.env.DATABASE_URL ?? "http://127.0.0.1:8080/";
	const created = await seedDemo(url, process.env.DATABASE_AUTH_TOKEN);
	console.log(created ? "seeded the demo (acme, globex)" : "demo already present: nothing seeded");
}

/** Acme pays for Pro: a Stripe customer with a card and a subscription in the local emulator. */
async function acmeSubscription(stripeUrl: string) {
	const base = new URL(stripeUrl);
	const stripe = new Stripe(STRIPE_SECRET_KEY, {
		host: base.hostname,
		port: Number(base.port),
		protocol: "http",
		maxNetworkRetries: 2,
	});
	const a = ACME_LEGAL.address;
	const customer = await stripe.customers.create({
		name: ACME_LEGAL.name,
		email: "billing@acme.test",
		address: { line1: a.line1, city: a.city, postal_code: a.postalCode, state: a.state, country: a.country },
		metadata: { demo: "acme" },
	});
	await stripe.customers.createTaxId(customer.id, ACME_LEGAL.taxId);
	const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
	await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
	const subscription = await stripe.subscriptions.create({
		customer: customer.id,
		items: [{ price: "price_pro_monthly" }],
	});
	const item = subscription.items.data[0];
	return {
		stripeCustomerId: customer.id,
		stripeSubscriptionId: subscription.id,
		subscriptionStatus: subscription.status,
		currentPeriodEndMs: item ? item.current_period_end * 1000 : null,
		nextAmountMinor: 4900,
		paymentMethodSummary: "visa 4242",
	};
}
