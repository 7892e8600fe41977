import { Alert } from "../../components/flash.tsx";
export function SecuritySettingsPage({
	requireMfa,
	viewerHasMfa,
	error,
}: {
	requireMfa: boolean;
	viewerHasMfa: boolean;
	error?: string | undefined;
}) {
	return (
		<section aria-labelledby="security-title" class="stack">
			<h1 id="security-title">Security</h1>
			<div class="panel">
				<h2>Two-step verification for everyone</h2>
				<p>
					{requireMfa
						? "Required: every member must set up two-step verification before using the portal."
						: "Optional: members may set up two-step verification from their account page."}
				</p>
				<Alert text={error} />
				{!requireMfa && !viewerHasMfa ? (
					<p class="hint">Set up two-step verification for yourself first, so requiring it cannot lock you out.</p>
				) : null}
				<form method="post" action="/settings/security">
					<input type="hidden" name="requireMfa" value={requireMfa ? "false" : "true"} />
					<button class={requireMfa ? "button" : "button primary"} type="submit">
						{requireMfa ? "Stop requiring two-step verification" : "Require two-step verification"}
					</button>
				</form>
			</div>
		</section>
	);
}
