import { Checklist, type ChecklistItem, Tour, type TourStep } from "../components/onboarding.tsx";
import { Dashboard, type DashboardProps } from "./dashboard.tsx";

export interface PortalHomeProps {
	orgName: string;
	planName: string | null;
	viewerName: string;
	roleName: string;
	emailVerified: boolean;
	tour: TourStep[] | null;
	checklist: ChecklistItem[] | null;
	dashboard: DashboardProps;
}

export function PortalHome({
	orgName,
	planName,
	viewerName,
	roleName,
	emailVerified,
	tour,
	checklist,
	dashboard,
}: PortalHomeProps) {
	return (
		<section aria-labelledby="home-title" class="stack">
			<h1 id="home-title">Welcome, {viewerName}</h1>
			<p class="muted home-context">
				{roleName} of {orgName}
				{planName ? ` · ${planName} plan` : ""}
			</p>
			{tour ? <Tour steps={tour} /> : null}
			{checklist ? <Checklist items={checklist} /> : null}
			{emailVerified ? null : (
				<div class="notice" role="status">
					<p>Please verify your email address: open the link we sent you. Billing and team actions wait for it.</p>
					<form method="post" action="/account/verify-email">
						<button class="button" type="submit">
							Send the link again
						</button>
					</form>
				</div>
			)}
			<Dashboard {...dashboard} />
		</section>
	);
}

export function NotAMemberPage({ orgName, email }: { orgName: string; email: string }) {
	return (
		<section class="panel narrow" aria-labelledby="not-member-title">
			<h1 id="not-member-title">You are not a member of {orgName}</h1>
			<p>
				You are signed in as {email}, but this account has no access to this organization's portal. Ask an owner or
				admin of {orgName} to invite you.
			</p>
			<form method="post" action="/sign-out">
				<button class="button" type="submit">
					Sign out
				</button>
			</form>
		</section>
	);
}
