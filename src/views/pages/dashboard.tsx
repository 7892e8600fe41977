// The overview as a dashboard: anything that needs the person first (each with its way out), then the
// plan and next charge, usage against each limit, seats, open tickets and recent activity — each card
// only for those whose role may see it.
import type { Child } from "hono/jsx";

export interface Problem {
	id: string;
	text: string;
	/** The way out: a link, or a form posting to the action (with the billing nonce). */
	action: { kind: "link"; href: string; label: string } | { kind: "post"; href: string; label: string } | null;
}

export interface DashboardProps {
	nonce: string;
	problems: Problem[];
	plan: { name: string; status: string; nextCharge: string | null; billingHref: string | null } | null;
	usage: { label: string; used: string; limit: string; percent: number; level: "ok" | "warn" | "over" }[] | null;
	seats: { used: number; limit: number | null; href: string } | null;
	tickets: { open: number; href: string } | null;
	recent: { action: string; actor: string; when: string }[] | null;
}

function Card({
	title,
	children,
	href,
	linkLabel,
}: {
	title: string;
	children: Child;
	href?: string;
	linkLabel?: string;
}) {
	return (
		<div class="panel card">
			<h2>{title}</h2>
			{children}
			{href ? (
				<p class="card-link">
					<a href={href}>{linkLabel}</a>
				</p>
			) : null}
		</div>
	);
}

function Meter({ label, percent, level }: { label: string; percent: number; level: string }) {
	// An SVG bar: its width is an attribute, so the page needs no inline style (the CSP allows none).
	return (
		<svg
			class={`meter ${level}`}
			viewBox="0 0 100 8"
			preserveAspectRatio="none"
			role="progressbar"
			aria-label={label}
			aria-valuemin={0}
			aria-valuemax={100}
			aria-valuenow={Math.min(100, Math.round(percent))}
		>
			<rect class="track" x="0" y="0" width="100" height="8" />
			<rect class="fill" x="0" y="0" width={String(Math.min(100, percent))} height="8" />
		</svg>
	);
}

export function Dashboard(p: DashboardProps) {
	return (
		<>
			{p.problems.length > 0 ? (
				<section class="attention" aria-labelledby="attention-title">
					<h2 id="attention-title">Needs your attention</h2>
					<ul>
						{p.problems.map((problem) => (
							<li id={`problem-${problem.id}`}>
								<span>{problem.text}</span>{" "}
								{problem.action?.kind === "link" ? (
									<a class="button" href={problem.action.href}>
										{problem.action.label}
									</a>
								) : problem.action?.kind === "post" ? (
									<form method="post" action={problem.action.href} class="inline-form">
										<input type="hidden" name="nonce" value={p.nonce} />
										<button class="button primary" type="submit">
											{problem.action.label}
										</button>
									</form>
								) : null}
							</li>
						))}
					</ul>
				</section>
			) : null}
			<div class="dashboard">
				{p.plan ? (
					<Card title="Plan" href={p.plan.billingHref ?? undefined} linkLabel="Billing and invoices">
						<p class="big">{p.plan.name}</p>
						<p class="muted">{p.plan.status}</p>
						{p.plan.nextCharge ? <p>{p.plan.nextCharge}</p> : null}
					</Card>
				) : null}
				{p.usage ? (
					<Card title="Usage this month" href="/usage" linkLabel="All usage">
						{p.usage.length === 0 ? <p class="muted">Your plan has no limits to watch.</p> : null}
						<ul class="plain-list usage-list">
							{p.usage.map((u) => (
								<li>
									<span>
										{u.label}: <strong>{u.used}</strong> of {u.limit}
									</span>
									<Meter label={`${u.label} used`} percent={u.percent} level={u.level} />
								</li>
							))}
						</ul>
					</Card>
				) : null}
				{p.seats ? (
					<Card title="Seats" href={p.seats.href} linkLabel="Team">
						<p class="big">{p.seats.limit === null ? `${p.seats.used} used` : `${p.seats.used} of ${p.seats.limit}`}</p>
						<p class="muted">Members and pending invitations</p>
					</Card>
				) : null}
				{p.tickets ? (
					<Card title="Support" href={p.tickets.href} linkLabel="Your tickets">
						<p class="big">{p.tickets.open === 0 ? "No open tickets" : `${p.tickets.open} open`}</p>
					</Card>
				) : null}
				{p.recent ? (
					<Card title="Recent activity" href="/audit" linkLabel="Audit log">
						{p.recent.length === 0 ? <p class="muted">Nothing yet.</p> : null}
						<ul class="plain-list recent">
							{p.recent.map((e) => (
								<li>
									<code>{e.action}</code> <span class="muted small">by {e.actor}</span>
									<br />
									<span class="muted small">{e.when}</span>
								</li>
							))}
						</ul>
					</Card>
				) : null}
			</div>
		</>
	);
}
