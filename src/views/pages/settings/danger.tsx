import { Field } from "../../components/field.tsx";

export function DangerZonePage({
	slug,
	orgName,
	scheduledFor,
	error,
}: {
	slug: string;
	orgName: string;
	scheduledFor: string | null;
	error?: string | undefined;
}) {
	return (
		<section aria-labelledby="danger-title" class="stack">
			<h1 id="danger-title">Danger zone</h1>
			{scheduledFor ? (
				<div class="panel">
					<h2>{orgName} is scheduled for deletion</h2>
					<p>
						Its data will be deleted for good on <strong>{scheduledFor}</strong>. Until then you can restore it, and
						everything comes back as it was (members sign in again).
					</p>
					<form method="post" action="/settings/danger/restore">
						<button class="button primary" type="submit">
							Restore {orgName}
						</button>
					</form>
				</div>
			) : (
				<div class="panel danger-panel">
					<h2>Delete this organization</h2>
					<p>
						Everyone is signed out at once and the portal closes. The subscription is cancelled at the end of its period
						and API keys stop working. For 30 days an Owner can restore it; after that its data is deleted for good.
					</p>
					<form method="post" action="/settings/danger/delete" novalidate>
						<Field name="confirm" label={`Type ${slug} to confirm`} error={error} autocomplete="off" required />
						<button class="button danger" type="submit">
							Delete {orgName}
						</button>
					</form>
				</div>
			)}
		</section>
	);
}
