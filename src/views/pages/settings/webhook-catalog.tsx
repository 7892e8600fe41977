// The webhook event catalog: every type, what it means, an example body and its JSON schema.
import { EVENT_TYPE_LIST, EXAMPLE_DATA, eventSchema, WEBHOOK_EVENT_TYPES } from "../../../webhooks/catalog.ts";

export function WebhookCatalogPage() {
	return (
		<section aria-labelledby="catalog-title" class="stack">
			<p>
				<a href="/settings/webhooks">← Webhooks</a>
			</p>
			<h1 id="catalog-title">Webhook events</h1>
			<p>
				Every event is a POST with a JSON body <code>{'{"type", "timestamp", "data"}'}</code> and the headers{" "}
				<code>webhook-id</code> (the same on every retry: use it to ignore repeats), <code>webhook-timestamp</code> and{" "}
				<code>webhook-signature</code>. Verify them with any Standard Webhooks library and your endpoint's secret.
				Answer with a 2xx within 15 seconds; anything else is retried after 5 seconds, 5 and 30 minutes, 2, 5, 10 and 10
				hours. Answer 410 to unsubscribe the endpoint.
			</p>
			{EVENT_TYPE_LIST.map((type) => (
				<div class="panel" id={type}>
					<h2>
						<code>{type}</code>
					</h2>
					<p>{WEBHOOK_EVENT_TYPES[type]}</p>
					<details>
						<summary>Example</summary>
						<pre class="response">
							<code>
								{JSON.stringify({ type, timestamp: "2026-12-03T10:00:00.000Z", data: EXAMPLE_DATA[type] }, null, 2)}
							</code>
						</pre>
					</details>
					<details>
						<summary>JSON schema</summary>
						<pre class="response">
							<code>{JSON.stringify(eventSchema(type), null, 2)}</code>
						</pre>
					</details>
				</div>
			))}
		</section>
	);
}
