// The retention offer between the cancellation reason and the cancellation: accepted in one click,
// declined in one click (which cancels as asked), or left alone.
export interface RetentionOfferProps {
	headline: string;
	details: string;
	reason: string;
	comment: string;
	nonce: string;
	periodEnd: string;
}

export function RetentionOfferPage(p: RetentionOfferProps) {
	return (
		<section class="panel narrow stack" aria-labelledby="offer-title">
			<h1 id="offer-title">Before you go: {p.headline}</h1>
			<p>{p.details}</p>
			<form method="post" action="/billing/retention/accept">
				<input type="hidden" name="reason" value={p.reason} />
				<input type="hidden" name="nonce" value={p.nonce} />
				<button class="button primary" type="submit">
					Accept the offer
				</button>
			</form>
			<form method="post" action="/billing/cancel">
				<input type="hidden" name="reason" value={p.reason} />
				<input type="hidden" name="comment" value={p.comment} />
				<input type="hidden" name="nonce" value={p.nonce} />
				<button class="button danger" type="submit">
					No thanks, cancel on {p.periodEnd}
				</button>
			</form>
			<p>
				<a href="/billing">Keep my subscription as it is</a>
			</p>
		</section>
	);
}
