// Stripe's request format: application/x-www-form-urlencoded with nested keys (`items[0][price]`,
// `metadata[plan]`, `expand[]`). Objects whose keys are all indexes become arrays.
type Node = Record<string, unknown>;

function normalize(value: unknown): unknown {
	if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
	const obj = value as Node;
	const keys = Object.keys(obj);
	const entries = Object.fromEntries(keys.map((k) => [k, normalize(obj[k])]));
	if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
		return keys.sort((a, b) => Number(a) - Number(b)).map((k) => entries[k]);
	}
	return entries;
}

export function parseForm(body: string): Node {
	const root: Node = {};
	for (const [rawKey, value] of new URLSearchParams(body)) {
		const parts = rawKey.replace(/\]/g, "").split("[");
		let node: Node = root;
		for (let i = 0; i < parts.length; i++) {
			const key = parts[i] ?? "";
			const last = i === parts.length - 1;
			if (key === "") {
				// `expand[]=a&expand[]=b`: append.
				if (!Array.isArray(node.__list)) node.__list = [];
				(node.__list as unknown[]).push(value);
				break;
			}
			if (last) {
				node[key] = value;
			} else {
				const next =
					parts[i + 1] === "" ? ((node[key] as Node | undefined) ?? []) : ((node[key] as Node | undefined) ?? {});
				node[key] = next;
				if (Array.isArray(next) && parts[i + 1] === "") {
					(next as unknown[]).push(value);
					break;
				}
				node = next as Node;
			}
		}
	}
	return normalize(root) as Node;
}
