// A ticket's conversation: the same component for the customer (no internal notes) and the console.
export interface ThreadMessage {
	id: string;
	authorLabel: string;
	fromSupport: boolean;
	internal: boolean;
	body: string;
	when: string;
	attachments: { href: string; filename: string; size: string }[];
}

export const STATUS_LABELS = { open: "Open", waiting: "Waiting on customer", resolved: "Resolved" } as const;

export function StatusBadge({ status }: { status: keyof typeof STATUS_LABELS }) {
	return <span class={`badge status-${status}`}>{STATUS_LABELS[status]}</span>;
}

export function TicketThread({ messages }: { messages: ThreadMessage[] }) {
	return (
		<ol class="thread">
			{messages.map((m) => (
				<li class={m.internal ? "message internal" : m.fromSupport ? "message support" : "message"} id={m.id}>
					<p class="meta">
						<strong>{m.authorLabel}</strong>
						{m.fromSupport && m.authorLabel !== "Support" ? " · Support" : null}
						{m.internal ? " · Internal note" : null} · <time>{m.when}</time>
					</p>
					<div class="body">
						{m.body.split(/\n{2,}/).map((para) => (
							<p>{para}</p>
						))}
					</div>
					{m.attachments.length > 0 ? (
						<ul class="attachments" aria-label="Attachments">
							{m.attachments.map((a) => (
								<li>
									<a href={a.href} download>
										{a.filename}
									</a>{" "}
									<span class="muted small">({a.size})</span>
								</li>
							))}
						</ul>
					) : null}
				</li>
			))}
		</ol>
	);
}

export function formatBytes(n: number): string {
	return n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}
