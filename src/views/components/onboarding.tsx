// The first-run guide: a tour of the places this role can use, then a checklist for Owners and Admins
// that ticks itself off from real state. Both work without script and never block the page.
export interface TourStep {
	title: string;
	text: string;
	/** The navigation link this step is about, highlighted by the script. */
	target?: string;
}

export function Tour({ steps }: { steps: TourStep[] }) {
	return (
		<section class="tour panel" aria-labelledby="tour-title" data-tour>
			<h2 id="tour-title">A quick tour</h2>
			<p class="muted small" data-tour-counter aria-live="polite">
				{steps.length} places to know
			</p>
			<ol class="tour-steps" tabindex={0} aria-label="Tour steps">
				{steps.map((step) => (
					<li data-step data-target={step.target}>
						<h3 tabindex={-1}>{step.title}</h3>
						<p>{step.text}</p>
					</li>
				))}
			</ol>
			<div class="tour-actions">
				<button type="button" class="button" data-tour-back hidden>
					Back
				</button>
				<button type="button" class="button primary" data-tour-next hidden>
					Next
				</button>
				<form method="post" action="/onboarding/tour/done" class="inline-form">
					<button type="submit" class="button primary" data-tour-finish>
						Got it
					</button>
				</form>
				<form method="post" action="/onboarding/tour/done" class="inline-form">
					<button type="submit" class="link-button" data-tour-skip>
						Skip the tour
					</button>
				</form>
			</div>
		</section>
	);
}

export interface ChecklistItem {
	label: string;
	href: string;
	done: boolean;
}

export function Checklist({ items }: { items: ChecklistItem[] }) {
	const left = items.filter((i) => !i.done).length;
	return (
		<section class="checklist panel" aria-labelledby="checklist-title">
			<h2 id="checklist-title">Getting started</h2>
			<p class="muted small">
				{left} of {items.length} left
			</p>
			<ul class="plain-list">
				{items.map((item) => (
					<li class={item.done ? "done" : undefined}>
						<span aria-hidden="true">{item.done ? "✓" : "○"}</span>{" "}
						{item.done ? (
							<>
								<s>{item.label}</s>
								<span class="visually-hidden"> (done)</span>
							</>
						) : (
							<a href={item.href}>{item.label}</a>
						)}
					</li>
				))}
			</ul>
			<form method="post" action="/onboarding/checklist/dismiss">
				<button type="submit" class="link-button">
					Hide this list
				</button>
			</form>
		</section>
	);
}
