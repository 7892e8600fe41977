// The page of a paid-plan feature on the Free plan: what it does, and the way to the plans.
import type { Child } from "hono/jsx";

export function PaidPlanOffer({ id, title, children }: { id: string; title: string; children: Child }) {
	return (
		<section aria-labelledby={id} class="stack">
			<h1 id={id}>{title}</h1>
			<div class="panel">
				<p>{children}</p>
				<p>
					<a class="button primary" href="/billing">
						See the plans
					</a>
				</p>
			</div>
		</section>
	);
}
