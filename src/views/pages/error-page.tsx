// Error pages: what happened in plain words and where to go next, never internal details.
export const ERROR_COPY = {
	400: { title: "Bad request", text: "The request could not be understood. Please go back and try again." },
	401: { title: "Sign in required", text: "Please sign in to continue." },
	402: { title: "Plan limit reached", text: "Your plan does not include this. An owner can upgrade the plan." },
	403: {
		title: "Not allowed",
		text: "Your role does not allow this. An owner or admin of your organization can help.",
	},
	404: {
		title: "Page not found",
		text: "There is nothing at this address. Check the link, or start from the overview.",
	},
	409: { title: "That cannot be done now", text: "This change conflicts with the current state. Nothing was changed." },
	410: { title: "Gone", text: "This no longer exists." },
	413: { title: "Too large", text: "What you sent is larger than this page accepts. Please send something smaller." },
	422: { title: "Please check your input", text: "Some fields need attention." },
	429: { title: "Slow down", text: "Too many requests in a short time. Please wait a moment and try again." },
	500: {
		title: "Something went wrong",
		text: "We could not complete this request. It has been logged; please try again.",
	},
	503: {
		title: "Temporarily unavailable",
		text: "The portal cannot reach its data right now. Please try again in a minute.",
	},
} as const;

export type ErrorStatus = keyof typeof ERROR_COPY;

export function ErrorPage({
	status,
	requestId,
	message,
}: {
	status: ErrorStatus;
	requestId: string;
	message?: string | undefined;
}) {
	const copy = ERROR_COPY[status];
	return (
		<section class="panel narrow" aria-labelledby="error-title">
			<h1 id="error-title">{copy.title}</h1>
			<p>{message ?? copy.text}</p>
			<p>
				<a class="button" href="/">
					Go to the start page
				</a>
			</p>
			<p class="muted small">Reference: {requestId}</p>
		</section>
	);
}

export function OrganizationUnavailablePage({
	name,
	status,
	restorable = false,
}: {
	name: string;
	status: "suspended" | "deleted";
	restorable?: boolean;
}) {
	return (
		<section class="panel narrow" aria-labelledby="unavailable-title">
			<h1 id="unavailable-title">{status === "deleted" ? "This portal has closed" : "This portal is paused"}</h1>
			<p>
				{status === "deleted"
					? `The organization ${name} has been deleted, and its portal with it.`
					: `The portal of ${name} is suspended for now. Its data is safe.`}
			</p>
			{restorable ? (
				<p>
					An Owner can still restore it: <a href="/settings/danger">sign in and restore the organization</a>.
				</p>
			) : (
				<p>If you think this is a mistake, contact the company that gave you access to this portal.</p>
			)}
		</section>
	);
}
