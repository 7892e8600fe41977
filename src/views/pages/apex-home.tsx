export function ApexHome() {
	return (
		<section class="hero" aria-labelledby="apex-title">
			<h1 id="apex-title">Your customers, serving themselves</h1>
			<p class="lead">
				Portico is the self-service portal a SaaS company gives its customers: team and roles, plans and invoices,
				usage, API keys, the audit log and support — each organization on its own branded address.
			</p>
			<p>
				<a class="button primary" href="/sign-up">
					Create your organization's portal
				</a>
			</p>
			<p>
				Already a customer? Open your organization's portal at its own address, for example acme.your-portal-domain.
			</p>
		</section>
	);
}
