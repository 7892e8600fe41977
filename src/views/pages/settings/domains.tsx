// Custom domains (`domains:manage`): the portal's own hostnames with the records to create and their
// state, and the email domain the organization sends from.

import type { DnsRecord } from "../../../domains/records.ts";
import { Field } from "../../components/field.tsx";
import { Notice } from "../../components/flash.tsx";

export interface DomainItem {
	id: string;
	hostname: string;
	state: "verified" | "pending" | "disabled";
	records: DnsRecord[];
	lastChecked: string | null;
	problem: string | null;
	url: string;
}

const STATE_LABELS = {
	verified: { text: "Verified — the portal answers here", badge: "ok" },
	pending: { text: "Waiting for the DNS records", badge: "warn" },
	disabled: { text: "Disabled — its records disappeared", badge: "warn" },
} as const;

function Records({ records }: { records: DnsRecord[] }) {
	return (
		<div class="table-wrap records">
			<table>
				<thead>
					<tr>
						<th scope="col">Type</th>
						<th scope="col">Name</th>
						<th scope="col">Value</th>
					</tr>
				</thead>
				<tbody>
					{records.map((r) => (
						<tr>
							<td>{r.type}</td>
							<td>
								<code>{r.name}</code>
							</td>
							<td>
								<code>{r.value}</code>
							</td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}

export interface DomainsPageProps {
	domains: DomainItem[];
	hostname?: string;
	errors?: Record<string, string>;
	notice?: string | undefined;
	mail: { domain: string | null; verified: boolean; records: DnsRecord[]; value?: string };
	devHint: string | null;
}

export function DomainsPage(p: DomainsPageProps) {
	const errors = p.errors ?? {};
	return (
		<section aria-labelledby="domains-title" class="stack">
			<h1 id="domains-title">Domains</h1>
			<p>
				<a href="/settings">Settings</a> · <a href="/settings/branding">Branding</a>
			</p>
			<Notice text={p.notice} />
			<div class="panel">
				<h2>Portal domains</h2>
				<p>
					Serve this portal on a domain of yours, such as <code>portal.example.com</code>. Create the two records below
					at your DNS provider, then check. A certificate is issued once the domain is verified.
				</p>
				{p.devHint ? <p class="hint">{p.devHint}</p> : null}
				{p.domains.length === 0 ? <p class="muted">No custom domain yet.</p> : null}
				{p.domains.map((d) => (
					<article class="domain" aria-labelledby={`domain-${d.id}`}>
						<h3 id={`domain-${d.id}`}>{d.hostname}</h3>
						<p>
							<span class={`badge ${STATE_LABELS[d.state].badge}`}>{STATE_LABELS[d.state].text}</span>
							{d.state === "verified" ? (
								<>
									{" "}
									<a href={d.url}>Open</a>
								</>
							) : null}
						</p>
						{d.problem ? (
							<p class="alert" role="status">
								{d.problem}
							</p>
						) : null}
						<Records records={d.records} />
						<p class="muted small">{d.lastChecked ? `Last checked ${d.lastChecked}.` : "Not checked yet."}</p>
						<form method="post" action={`/settings/domains/${d.id}/check`} class="inline-form">
							<button class="button" type="submit">
								Check now
							</button>
						</form>
						<form method="post" action={`/settings/domains/${d.id}/remove`} class="inline-form">
							<button class="button danger" type="submit" aria-label={`Remove ${d.hostname}`}>
								Remove
							</button>
						</form>
					</article>
				))}
				<form method="post" action="/settings/domains" novalidate>
					<Field
						name="hostname"
						label="Add a domain"
						value={p.hostname}
						error={errors.hostname}
						hint="A hostname you control, for example portal.example.com."
						required
					/>
					<button class="button primary" type="submit">
						Add domain
					</button>
				</form>
			</div>
			<div class="panel">
				<h2>Email domain</h2>
				<p>
					Send your portal's emails from your own address. Verify the domain with the SPF and DKIM records below; until
					then emails come from the portal's address under your organization's name.
				</p>
				{p.mail.domain ? (
					<>
						<p>
							<span class={`badge ${p.mail.verified ? "ok" : "warn"}`}>
								{p.mail.domain}: {p.mail.verified ? "verified for email" : "waiting for the records"}
							</span>
						</p>
						<Records records={p.mail.records} />
						<form method="post" action="/settings/domains/email/check">
							<button class="button" type="submit">
								Check email records
							</button>
						</form>
					</>
				) : null}
				<form method="post" action="/settings/domains/email" novalidate>
					<Field
						name="mailDomain"
						label="Email domain"
						value={p.mail.value ?? p.mail.domain ?? ""}
						error={errors.mailDomain}
						hint="For example example.com; leave empty to send from the portal's address."
					/>
					<button class="button" type="submit">
						Save email domain
					</button>
				</form>
			</div>
		</section>
	);
}
