// The billing page: current plan and status, plans side by side, invoices. Change controls appear only
// for `billing:manage`.

import type { Child } from "hono/jsx";
import { Alert, Notice } from "../../components/flash.tsx";

export interface PlanView {
	key: string;
	name: string;
	price: string;
	features: string[];
	limits: { label: string; value: string }[];
	current: boolean;
	action: { kind: "checkout" | "upgrade" | "downgrade" | "cancel"; label: string } | null;
}

export interface InvoiceView {
	number: string;
	date: string;
	amount: string;
	status: string;
	pdfUrl: string | null;
	hostedUrl: string | null;
}

export interface BillingProps {
	planName: string;
	status: string;
	statusLabel: string;
	nextBilling: string | null;
	paymentMethod: string | null;
	pastDue: boolean;
	cancelling: string | null;
	scheduled: { planName: string; date: string } | null;
	plans: PlanView[];
	invoices: InvoiceView[];
	olderInvoices: string | null;
	canManage: boolean;
	hasCustomer: boolean;
	hasSubscription: boolean;
	/** Who invoices are made out to: the legal name, address and tax ID from the organization's settings. */
	billedTo: string[];
	canEditBilledTo: boolean;
	notice?: string | undefined;
	error?: string | undefined;
}

const INVOICE_STATUS: Record<string, string> = {
	paid: "Paid",
	open: "Due",
	draft: "Draft",
	void: "Void",
	uncollectible: "Uncollectible",
};

function Post({
	action,
	label,
	primary,
	nonce,
	extra,
}: {
	action: string;
	label: string;
	primary?: boolean;
	nonce: string;
	extra?: Child;
}) {
	return (
		<form method="post" action={action} class="inline-form">
			<input type="hidden" name="nonce" value={nonce} />
			{extra}
			<button class={primary ? "button primary" : "button"} type="submit">
				{label}
			</button>
		</form>
	);
}

export function BillingPage(p: BillingProps & { nonce: string }) {
	return (
		<section aria-labelledby="billing-title" class="stack">
			<h1 id="billing-title">Billing</h1>
			<Notice text={p.notice} />
			<Alert text={p.error} />
			{p.pastDue ? (
				<div class="alert" role="alert">
					<p>
						<strong>Your last payment failed.</strong> Update the payment method and we will retry it at once, so the
						subscription stays active.
					</p>
					{p.canManage ? (
						<Post action="/billing/portal" label="Update payment method" primary nonce={p.nonce} />
					) : (
						<p>Ask an Owner to update the payment method.</p>
					)}
				</div>
			) : null}
			<div class="panel">
				<h2>{p.planName} plan</h2>
				<dl class="facts">
					<div>
						<dt>Status</dt>
						<dd>{p.statusLabel}</dd>
					</div>
					<div>
						<dt>Next billing</dt>
						<dd>{p.nextBilling ?? "—"}</dd>
					</div>
					<div>
						<dt>Payment method</dt>
						<dd>{p.paymentMethod ?? "None on file"}</dd>
					</div>
				</dl>
				{p.cancelling ? (
					<p>
						Cancels on {p.cancelling}; you keep the plan until then.{" "}
						{p.canManage ? (
							<Post action="/billing/resume" label="Keep my subscription" primary nonce={p.nonce} />
						) : null}
					</p>
				) : null}
				{p.scheduled ? (
					<p>
						Changes to {p.scheduled.planName} on {p.scheduled.date}.{" "}
						{p.canManage ? (
							<Post action="/billing/downgrade/cancel" label="Keep the current plan" nonce={p.nonce} />
						) : null}
					</p>
				) : null}
				{p.canManage && p.hasCustomer ? (
					<Post action="/billing/portal" label="Payment method and tax details" nonce={p.nonce} />
				) : null}
				{p.canManage && p.hasSubscription && !p.cancelling ? (
					<a class="inline-link" href="/billing/cancel">
						Cancel the subscription
					</a>
				) : null}
			</div>
			<div class="panel">
				<h2>Plans</h2>
				<div class="table-wrap">
					<table class="plans stacked">
						<caption class="visually-hidden">Plans compared</caption>
						<thead>
							<tr>
								<th scope="col">Plan</th>
								<th scope="col">Price</th>
								<th scope="col">Limits</th>
								<th scope="col">Features</th>
								{p.canManage ? <th scope="col">Change</th> : null}
							</tr>
						</thead>
						<tbody>
							{p.plans.map((plan) => (
								<tr class={plan.current ? "current" : undefined}>
									<th scope="row">
										{plan.name} {plan.current ? <span class="badge ok">current</span> : null}
									</th>
									<td data-label="Price">{plan.price}</td>
									<td data-label="Limits">
										{plan.limits.map((l) => (
											<div>
												{l.label}: {l.value}
											</div>
										))}
									</td>
									<td data-label="Features">{plan.features.join(", ")}</td>
									{p.canManage ? (
										<td data-label="Change">
											{plan.action?.kind === "checkout" ? (
												<Post
													action="/billing/checkout"
													label={plan.action.label}
													primary
													nonce={p.nonce}
													extra={<input type="hidden" name="plan" value={plan.key} />}
												/>
											) : plan.action ? (
												<a
													class="button"
													href={plan.action.kind === "cancel" ? "/billing/cancel" : `/billing/change?plan=${plan.key}`}
												>
													{plan.action.label}
												</a>
											) : null}
										</td>
									) : null}
								</tr>
							))}
						</tbody>
					</table>
				</div>
			</div>
			<div class="panel">
				<h2>Invoices</h2>
				<div class="billed-to">
					<h3>Billed to</h3>
					<p>
						{p.billedTo.map((line, i) => (
							<>
								{i > 0 ? <br /> : null}
								{line}
							</>
						))}
					</p>
					{p.canEditBilledTo ? (
						<p class="small">
							<a href="/settings">Change the legal name, address or tax ID</a> (new invoices carry them)
						</p>
					) : null}
				</div>
				{p.invoices.length === 0 ? <p>No invoices yet.</p> : null}
				{p.invoices.length > 0 ? (
					<div class="table-wrap">
						<table class="stacked">
							<caption class="visually-hidden">Invoices</caption>
							<thead>
								<tr>
									<th scope="col">Number</th>
									<th scope="col">Date</th>
									<th scope="col">Amount</th>
									<th scope="col">Status</th>
									<th scope="col">Documents</th>
								</tr>
							</thead>
							<tbody>
								{p.invoices.map((i) => (
									<tr>
										<td data-label="Number">{i.number}</td>
										<td data-label="Date">{i.date}</td>
										<td data-label="Amount">{i.amount}</td>
										<td data-label="Status">
											<span class={`badge invoice-${i.status}`}>{INVOICE_STATUS[i.status] ?? i.status}</span>
										</td>
										<td data-label="Documents">
											{i.pdfUrl ? <a href={i.pdfUrl}>PDF</a> : null}{" "}
											{i.hostedUrl ? <a href={i.hostedUrl}>View</a> : null}
										</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				) : null}
				{p.olderInvoices ? <a href={`/billing?before=${p.olderInvoices}`}>Older invoices</a> : null}
			</div>
		</section>
	);
}

export function ChangePreviewPage(p: {
	fromPlan: string;
	toPlan: string;
	kind: "upgrade" | "downgrade";
	lines: { description: string; amount: string }[];
	credit: string;
	charge: string;
	dueNow: string;
	effective: string;
	planKey: string;
	prorationDate: number;
	nonce: string;
}) {
	return (
		<section class="panel narrow" aria-labelledby="change-title">
			<h1 id="change-title">
				{p.kind === "upgrade" ? "Upgrade" : "Downgrade"} from {p.fromPlan} to {p.toPlan}
			</h1>
			{p.kind === "upgrade" ? (
				<>
					<table>
						<caption class="visually-hidden">What you pay now</caption>
						<tbody>
							{p.lines.map((l) => (
								<tr>
									<td>{l.description}</td>
									<td class="num">{l.amount}</td>
								</tr>
							))}
							<tr>
								<th scope="row">Credit for unused time</th>
								<td class="num">{p.credit}</td>
							</tr>
							<tr>
								<th scope="row">Charge for the rest of the period</th>
								<td class="num">{p.charge}</td>
							</tr>
							<tr>
								<th scope="row">Due now</th>
								<td class="num">
									<strong>{p.dueNow}</strong>
								</td>
							</tr>
						</tbody>
					</table>
					<p>The new plan applies at once ({p.effective}); this amount is charged to the card on file.</p>
				</>
			) : (
				<p>
					You keep {p.fromPlan} until {p.effective}; then {p.toPlan} starts at its price. Nothing is charged now.
				</p>
			)}
			<form method="post" action="/billing/change">
				<input type="hidden" name="plan" value={p.planKey} />
				<input type="hidden" name="prorationDate" value={String(p.prorationDate)} />
				<input type="hidden" name="nonce" value={p.nonce} />
				<button class="button primary" type="submit">
					{p.kind === "upgrade" ? `Confirm and pay ${p.dueNow}` : `Schedule the change to ${p.toPlan}`}
				</button>
				<a class="inline-link" href="/billing">
					Go back
				</a>
			</form>
		</section>
	);
}

export function CancelPage({
	reasons,
	periodEnd,
	nonce,
	error,
}: {
	reasons: Record<string, string>;
	periodEnd: string;
	nonce: string;
	error?: string | undefined;
}) {
	return (
		<section class="panel narrow" aria-labelledby="cancel-title">
			<h1 id="cancel-title">Cancel the subscription</h1>
			<p>
				You keep your plan until {periodEnd}; then the organization moves to the Free plan. You can change your mind
				until then.
			</p>
			<Alert text={error} />
			<form method="post" action="/billing/cancel/reason">
				<fieldset>
					<legend>Why are you cancelling?</legend>
					{Object.entries(reasons).map(([key, label], i) => (
						<div class="check">
							<input type="radio" id={`reason-${key}`} name="reason" value={key} checked={i === 0} />
							<label for={`reason-${key}`}>{label}</label>
						</div>
					))}
				</fieldset>
				<div class="field">
					<label for="cancel-comment">Anything else we should know? (optional)</label>
					<textarea id="cancel-comment" name="comment" rows={3} />
				</div>
				<input type="hidden" name="nonce" value={nonce} />
				<button class="button danger" type="submit">
					Continue to cancel
				</button>
				<a class="inline-link" href="/billing">
					Keep my subscription
				</a>
			</form>
		</section>
	);
}
