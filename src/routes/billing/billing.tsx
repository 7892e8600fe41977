// Billing (`billing:read` to view, `billing:manage` to change, with a verified email). Prices and
// amounts come from Stripe; the form only ever names a plan and the proration date Stripe previewed.
import { type Context, Hono } from "hono";
import { every } from "hono/combine";
import * as z from "zod";
import { can } from "../../auth/permissions.ts";
import { formatMoney, type PlanRow, transition } from "../../billing/plans.ts";
import { previewUpgrade } from "../../billing/service.ts";
import { stripeClient } from "../../billing/stripe.ts";
import { changePlan, keepCurrentPlan, refuseWhilePending, startPlanCheckout } from "../../billing/verbs.ts";
import type { AppEnv } from "../../context.ts";
import { INVOICE_PAGE, listPlans, loadBillingReads } from "../../db/billing.ts";
import { randomToken } from "../../lib/crypto.ts";
import { dateFormats } from "../../lib/dates.ts";
import { AppError } from "../../lib/errors.ts";
import { validate } from "../../lib/validate.ts";
import { me, redirectTo, requirePermission, requireVerifiedEmail, tenantWithDetails } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { TAX_ID_SCHEMES, type TaxIdScheme } from "../../settings/tax-ids.ts";
import { BillingPage, ChangePreviewPage } from "../../views/pages/billing/billing.tsx";
import { renderPage } from "../../views/render.tsx";
import { billingRetentionRoutes } from "./retention.tsx";
import { billingOrg, nonceField, stripeCall } from "./shared.ts";
import { billingSubscriptionRoutes } from "./subscription.tsx";

export const billingRoutes = new Hono<AppEnv>();
billingRoutes.use("/", requirePermission("billing:read"));
// "/billing/*" also matches "/billing" itself, which only needs billing:read.
const manage = every(requirePermission("billing:manage"), requireVerifiedEmail);
billingRoutes.use("/*", async (c, next) => (new URL(c.req.url).pathname === "/billing" ? next() : manage(c, next)));

const STATUS_LABELS: Record<string, string> = {
	active: "Active",
	trialing: "Trial",
	past_due: "Payment failed",
	canceled: "Cancelled",
	incomplete: "Waiting for payment",
	unpaid: "Unpaid",
};

/** The invoice's addressee as the settings have it (Stripe snapshots the same on each new invoice). */
function billedTo(org: ReturnType<typeof tenantWithDetails>["org"]): string[] {
	const a = org.billingAddress;
	const scheme = org.taxIdType ? TAX_ID_SCHEMES[org.taxIdType as TaxIdScheme]?.label : null;
	return [
		org.legalName ?? org.name,
		...(a ? [a.line1, a.line2, [a.postalCode, a.city, a.state].filter(Boolean).join(" "), a.country] : []),
		org.billingEmail ?? "",
		org.taxIdValue ? `${scheme ?? "Tax ID"}: ${org.taxIdValue}` : "",
	].filter(Boolean);
}

function limitLabel(key: string): string {
	return (
		({ api_calls: "API calls / month", seats: "Seats", storage_gb: "Storage (GB)" } as Record<string, string>)[key] ??
		key
	);
}

const NOTICES: Record<string, string> = {
	upgraded: "Your plan is upgraded.",
	scheduled: "The change is scheduled for the end of the period.",
	"downgrade-cancelled": "You keep your current plan.",
	cancelled: "Your subscription will end at the end of the period.",
	resumed: "Your subscription continues.",
	"offer-discount": "Thank you for staying. The discount applies to your next invoices.",
	"offer-downgrade": "Thank you for staying. The cheaper plan starts at the end of the period.",
	"checkout-complete": "Thank you! Your subscription is being activated; this page updates within a few seconds.",
};

const NOTICE_ERRORS: Record<string, string> = { "checkout-cancelled": "Checkout was cancelled; nothing was charged." };

billingRoutes.get("/", async (c) => {
	const viewer = me(c);
	const { org, tenant } = tenantWithDetails(c);
	const db = c.get("db");
	const before = Number(c.req.query("before"));
	const preloaded = c.get("pageMain")?.[0] as Awaited<ReturnType<typeof listPlans>> | undefined;
	const { plans, invoices } = await loadBillingReads(
		db,
		tenant,
		Number.isFinite(before) && before > 0 ? before : null,
		preloaded ?? null,
	);
	const current = plans.find((p) => p.id === org.planId) ?? plans[0];
	if (!current) throw new Error("no plans in the catalogue");
	const date = { format: dateFormats(viewer).date };
	const hasSubscription = Boolean(org.stripeSubscriptionId);
	const scheduledPlan = plans.find((p) => p.id === org.scheduledPlanId);
	return renderPage(c, {
		title: "Billing",
		body: (
			<BillingPage
				nonce={randomToken(12)}
				planName={current.name}
				status={org.subscriptionStatus ?? "free"}
				statusLabel={
					org.subscriptionStatus ? (STATUS_LABELS[org.subscriptionStatus] ?? org.subscriptionStatus) : "Free"
				}
				nextBilling={
					org.currentPeriodEndMs && org.nextAmountMinor !== null && !org.cancelAtPeriodEnd
						? `${date.format(org.currentPeriodEndMs)} · ${formatMoney(org.nextAmountMinor, current.currency, viewer.locale)}`
						: null
				}
				paymentMethod={org.paymentMethodSummary}
				pastDue={org.subscriptionStatus === "past_due"}
				cancelling={org.cancelAtPeriodEnd && org.currentPeriodEndMs ? date.format(org.currentPeriodEndMs) : null}
				scheduled={
					scheduledPlan && org.currentPeriodEndMs
						? { planName: scheduledPlan.name, date: date.format(org.currentPeriodEndMs) }
						: null
				}
				plans={plans.map((plan) => {
					const t = transition(current, plan, hasSubscription);
					const labels = {
						checkout: `Choose ${plan.name}`,
						upgrade: `Upgrade to ${plan.name}`,
						downgrade: `Switch to ${plan.name}`,
						cancel: "Move to Free",
					};
					return {
						key: plan.key,
						name: plan.name,
						price:
							plan.priceMinor === 0
								? "Free"
								: `${formatMoney(plan.priceMinor, plan.currency, viewer.locale)} / ${plan.interval}`,
						features: plan.features,
						limits: Object.entries(plan.limits).map(([k, v]) => ({
							label: limitLabel(k),
							value: v === null ? "Unlimited" : v.toLocaleString(viewer.locale),
						})),
						current: plan.id === current.id,
						action:
							t.kind === "none" || org.cancelAtPeriodEnd || scheduledPlan
								? null
								: { kind: t.kind, label: labels[t.kind] },
					};
				})}
				invoices={invoices.slice(0, INVOICE_PAGE).map((i) => ({
					number: i.number ?? i.id,
					date: date.format(i.createdMs),
					amount: formatMoney(i.totalMinor, i.currency, viewer.locale),
					status: i.status,
					pdfUrl: i.pdfUrl,
					hostedUrl: i.hostedUrl,
				}))}
				olderInvoices={invoices.length > INVOICE_PAGE ? String(invoices[INVOICE_PAGE - 1]?.createdMs) : null}
				canManage={can(viewer.membership, "billing:manage")}
				hasCustomer={Boolean(org.stripeCustomerId)}
				hasSubscription={hasSubscription}
				billedTo={billedTo(org)}
				canEditBilledTo={can(viewer.membership, "settings:manage")}
				notice={NOTICES[c.req.query("notice") ?? ""]}
				error={NOTICE_ERRORS[c.req.query("notice") ?? ""]}
			/>
		),
	});
});

async function planByKey(c: Context<AppEnv>, key: string): Promise<{ plan: PlanRow; current: PlanRow }> {
	const { org } = tenantWithDetails(c);
	const plans = await listPlans(c.get("db"));
	const plan = plans.find((p) => p.key === key);
	const current = plans.find((p) => p.id === org.planId);
	if (!plan || !current) throw new AppError("validation", "That plan does not exist.");
	return { plan, current };
}

billingRoutes.get("/change", validate("query", z.object({ plan: z.string().max(40) })), async (c) => {
	const { org } = tenantWithDetails(c);
	refuseWhilePending(org);
	const viewer = me(c);
	const { plan, current } = await planByKey(c, c.req.valid("query").plan);
	const t = transition(current, plan, Boolean(org.stripeSubscriptionId));
	if (t.kind === "none") throw new AppError("conflict", t.reason);
	if (t.kind === "checkout" || t.kind === "cancel")
		return redirectTo(c, t.kind === "cancel" ? "/billing/cancel" : "/billing");
	const date = { format: dateFormats(viewer).date };
	const stripe = stripeClient(c.env);
	const money = (minor: number, currency: string) => formatMoney(minor, currency, viewer.locale);
	if (t.kind === "downgrade") {
		return renderPage(c, {
			title: "Change plan",
			body: (
				<ChangePreviewPage
					kind="downgrade"
					fromPlan={current.name}
					toPlan={plan.name}
					lines={[]}
					credit=""
					charge=""
					dueNow={money(0, plan.currency)}
					effective={org.currentPeriodEndMs ? date.format(org.currentPeriodEndMs) : "the end of the period"}
					planKey={plan.key}
					prorationDate={0}
					nonce={randomToken(12)}
				/>
			),
		});
	}
	const clock = Math.floor(Date.now() / 1000);
	const preview = await stripeCall(c, () =>
		previewUpgrade(stripe, billingOrg(c), plan, Math.max(clock, org.stripeSyncedAt ?? 0)),
	);
	return renderPage(c, {
		title: "Change plan",
		body: (
			<ChangePreviewPage
				kind="upgrade"
				fromPlan={current.name}
				toPlan={plan.name}
				lines={preview.lines.map((l) => ({
					description: l.description,
					amount: money(l.amountMinor, preview.currency),
				}))}
				credit={money(preview.creditMinor, preview.currency)}
				charge={money(preview.chargeMinor, preview.currency)}
				dueNow={money(preview.amountDueMinor, preview.currency)}
				effective="today"
				planKey={plan.key}
				prorationDate={preview.prorationDate}
				nonce={randomToken(12)}
			/>
		),
	});
});

billingRoutes.post(
	"/change",
	validate(
		"form",
		z.strictObject({ plan: z.string().max(40), prorationDate: z.coerce.number().int().min(0), nonce: nonceField }),
	),
	async (c) => {
		const { org } = tenantWithDetails(c);
		const { plan: key, prorationDate, nonce } = c.req.valid("form");
		const plans = await planByKey(c, key);
		const done = await changePlan(unitOf(c), { ...org }, plans, prorationDate, nonce, Date.now());
		return redirectTo(c, done === "upgraded" ? "/billing?notice=upgraded" : "/billing?notice=scheduled");
	},
);

billingRoutes.post("/downgrade/cancel", validate("form", z.strictObject({ nonce: nonceField })), async (c) => {
	const { org } = tenantWithDetails(c);
	if (!org.scheduledPlanId) return redirectTo(c, "/billing");
	const plans = await listPlans(c.get("db"));
	const current = plans.find((p) => p.id === org.planId);
	if (!current) throw new AppError("conflict", "The current plan is unknown.");
	await keepCurrentPlan(unitOf(c), billingOrg(c), current, c.req.valid("form").nonce);
	return redirectTo(c, "/billing?notice=downgrade-cancelled");
});

billingRoutes.post(
	"/checkout",
	validate("form", z.strictObject({ plan: z.string().max(40), nonce: nonceField })),
	async (c) => {
		const { plan: key, nonce } = c.req.valid("form");
		const origin = new URL(c.req.url).origin;
		const url = await startPlanCheckout(
			unitOf(c),
			billingOrg(c),
			await planByKey(c, key),
			{ success: `${origin}/billing?notice=checkout-complete`, cancel: `${origin}/billing?notice=checkout-cancelled` },
			nonce,
		);
		return c.redirect(url, 303);
	},
);

// Cancel, resume and the Stripe customer portal; registered after the guards above so they apply.
billingRoutes.route("/", billingSubscriptionRoutes);
billingRoutes.route("/", billingRetentionRoutes);
