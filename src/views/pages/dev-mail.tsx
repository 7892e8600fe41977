export interface DevMail {
	id: string;
	to: string;
	from: string;
	replyTo: string | null;
	subject: string;
	text: string;
	sentAt: string;
	links: string[];
}

export function DevMailPage({ mails }: { mails: DevMail[] }) {
	return (
		<section aria-labelledby="mail-title">
			<h1 id="mail-title">Development mailbox</h1>
			<p class="muted">
				Mail the portal would have sent, newest first (development only; production sends through Resend).
			</p>
			{mails.length === 0 ? <p>No mail yet.</p> : null}
			<ul class="mail-list">
				{mails.map((m) => (
					<li class="panel">
						<h2 class="mail-subject">{m.subject}</h2>
						<p class="muted small">
							To {m.to} · from {m.from}
							{m.replyTo ? ` · reply to ${m.replyTo}` : ""} · {m.sentAt} UTC
						</p>
						{m.links.map((href) => (
							<p>
								<a href={href}>{href}</a>
							</p>
						))}
						<details>
							<summary>Show the message</summary>
							<pre class="mail-text">{m.text}</pre>
						</details>
					</li>
				))}
			</ul>
		</section>
	);
}
