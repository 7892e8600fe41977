// Asking before a destructive action: what will happen, the action's own button and a way back. The same
// component is the confirmation page (without JavaScript) and the body of the modal dialog that
// src/client/confirm.js opens from a link marked `data-dialog`.
export interface ConfirmActionProps {
	title: string;
	/** What will happen, in the order it happens. */
	consequences: string[];
	action: string;
	submit: string;
	cancelHref: string;
	/** Fields the action posts along (a choice made on the page that opened the confirmation). */
	hidden?: Record<string, string>;
}

export function ConfirmAction(p: ConfirmActionProps) {
	return (
		<section aria-labelledby="confirm-title" class="stack confirm-action">
			<h1 id="confirm-title">{p.title}</h1>
			<ul>
				{p.consequences.map((line) => (
					<li>{line}</li>
				))}
			</ul>
			<form method="post" action={p.action} class="inline-form">
				{Object.entries(p.hidden ?? {}).map(([name, value]) => (
					<input type="hidden" name={name} value={value} />
				))}
				<button class="button danger" type="submit">
					{p.submit}
				</button>{" "}
				<a class="button" href={p.cancelHref} data-dialog-close>
					Cancel
				</a>
			</form>
		</section>
	);
}

/** The link that opens a confirmation: a page without JavaScript, a dialog with it. */
export function ConfirmLink({ href, label, danger }: { href: string; label: string; danger?: boolean }) {
	return (
		<a class={danger ? "button danger" : "link-button"} href={href} data-dialog>
			{label}
		</a>
	);
}
