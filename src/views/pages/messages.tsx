// Small one-message pages: "check your email", a link that no longer works, a confirmation step.

export function MessagePage({
	title,
	children,
	action,
}: {
	title: string;
	children: unknown;
	action?: { href: string; label: string };
}) {
	return (
		<section class="panel narrow" aria-labelledby="message-title">
			<h1 id="message-title">{title}</h1>
			<div>{children}</div>
			{action ? (
				<p>
					<a class="button primary" href={action.href}>
						{action.label}
					</a>
				</p>
			) : null}
		</section>
	);
}

/** A confirmation button for links opened from email, so link scanners that fetch pages do not use them up. */
export function ConfirmLinkPage({
	title,
	text,
	action,
	token,
	button,
}: {
	title: string;
	text: string;
	action: string;
	token: string;
	button: string;
}) {
	return (
		<section class="panel narrow" aria-labelledby="confirm-title">
			<h1 id="confirm-title">{title}</h1>
			<p>{text}</p>
			<form method="post" action={action}>
				<input type="hidden" name="token" value={token} />
				<button class="button primary" type="submit">
					{button}
				</button>
			</form>
		</section>
	);
}
