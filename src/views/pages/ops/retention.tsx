// The console's retention offers: per cancellation reason, what is offered instead (nothing, a discount
// for some months, or a cheaper plan), and how often offers were shown and accepted.
import { Alert, Notice } from "../../components/flash.tsx";

export interface RetentionRow {
	reason: string;
	label: string;
	kind: "none" | "discount" | "downgrade";
	percentOff: number | null;
	months: number | null;
	planId: string | null;
	shown: number;
	accepted: number;
}

export function OpsRetention({
	rows,
	plans,
	notice,
	error,
}: {
	rows: RetentionRow[];
	plans: { id: string; name: string }[];
	notice?: string | undefined;
	error?: string | undefined;
}) {
	return (
		<section class="stack" aria-labelledby="retention-title">
			<h1 id="retention-title">Retention offers</h1>
			<p class="muted">
				When a customer cancels, the reason they pick decides what they are offered first. A discount goes on their
				Stripe subscription for the months set here; a cheaper plan replaces the move to Free. An organization accepts
				one offer, ever. Figures: the last 90 days.
			</p>
			<Notice text={notice} />
			<Alert text={error} />
			{rows.map((r) => (
				<form method="post" action={`/ops/retention/${r.reason}`} class="panel stack" id={`offer-${r.reason}`}>
					<h2>{r.label}</h2>
					<p class="muted small">
						Shown {r.shown} · accepted {r.accepted}
						{r.shown > 0 ? ` · ${Math.round((r.accepted / r.shown) * 100)} % accepted` : ""}
					</p>
					<div class="field">
						<label for={`kind-${r.reason}`}>Offer</label>
						<select id={`kind-${r.reason}`} name="kind">
							<option value="none" selected={r.kind === "none"}>
								Nothing: cancel straight away
							</option>
							<option value="discount" selected={r.kind === "discount"}>
								A discount
							</option>
							<option value="downgrade" selected={r.kind === "downgrade"}>
								A cheaper plan
							</option>
						</select>
					</div>
					<div class="field">
						<label for={`percent-${r.reason}`}>Discount, percent off</label>
						<input
							id={`percent-${r.reason}`}
							name="percentOff"
							type="number"
							min="1"
							max="100"
							value={r.percentOff ?? ""}
						/>
					</div>
					<div class="field">
						<label for={`months-${r.reason}`}>For how many months</label>
						<input id={`months-${r.reason}`} name="months" type="number" min="1" max="24" value={r.months ?? ""} />
					</div>
					<div class="field">
						<label for={`plan-${r.reason}`}>Cheaper plan</label>
						<select id={`plan-${r.reason}`} name="planId">
							<option value="">—</option>
							{plans.map((p) => (
								<option value={p.id} selected={p.id === r.planId}>
									{p.name}
								</option>
							))}
						</select>
					</div>
					<button class="button" type="submit">
						Save the offer for “{r.label}”
					</button>
				</form>
			))}
		</section>
	);
}
