// The page's one-line messages: a notice after something worked (status), an alert when it did not.
export function Notice({ text }: { text: string | null | undefined }) {
	return text ? (
		<p class="notice" role="status">
			{text}
		</p>
	) : null;
}

export function Alert({ text }: { text: string | null | undefined }) {
	return text ? (
		<p class="alert" role="alert">
			{text}
		</p>
	) : null;
}
