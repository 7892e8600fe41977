// The before/after of a settings change, for its audit event: only the fields that changed.
export function changedFields<T extends Record<string, unknown>>(
	before: T,
	after: T,
): Record<string, { before: unknown; after: unknown }> {
	return Object.fromEntries(
		Object.keys(after)
			.filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]))
			.map((k) => [k, { before: before[k], after: after[k] }]),
	);
}
