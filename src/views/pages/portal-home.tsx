import { can, type PermissionHolder } from "../../auth/permissions.ts";
import { Checklist, type ChecklistItem, Tour, type TourStep } from "../components/onboarding.tsx";
import { PORTAL_SECTIONS } from "../nav.ts";

export interface PortalHomeProps {
	orgName: string;
	planName: string | null;
	viewerName: string;
	roleName: string;
	membership: PermissionHolder;
	emailVerified: boolean;
	tour: TourStep[] | null;
	checklist: ChecklistItem[] | null;
}

export function PortalHome({
	orgName,
	planName,
	viewerName,
	roleName,
	membership,
	emailVerified,
	tour,
	checklist,
}: PortalHomeProps) {
	const sections = PORTAL_SECTIONS.filter((s) => s.href !== "/" && can(membership, s.permission));
	return (
		<section aria-labelledby="home-title">
			<h1 id="home-title">Welcome, {viewerName}</h1>
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
			<dl class="facts">
				<div>
					<dt>Organization</dt>
					<dd>{orgName}</dd>
				</div>
				<div>
					<dt>Plan</dt>
					<dd>{planName ?? "No plan"}</dd>
				</div>
				<div>
					<dt>Your role</dt>
					<dd>{roleName}</dd>
				</div>
			</dl>
			{sections.length > 0 ? (
				<>
					<h2>What you can do here</h2>
					<ul class="cards">
						{sections.map((s) => (
							<li>
								<a href={s.href}>{s.label}</a>
							</li>
						))}
					</ul>
				</>
			) : null}
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
