// DNS for one test file's own names, answered through the DoH endpoint the Worker tests configure
// (DOH_ENDPOINT, where nothing listens). Names outside `ours` get a resolver failure, which changes
// nothing: another file's domains, met by a cron run, stay as they are. Anything but DNS goes out as usual.
import { vi } from "vitest";

type RecordType = "TXT" | "CNAME" | "A" | "AAAA";
const CODES: Record<RecordType, number> = { TXT: 16, CNAME: 5, A: 1, AAAA: 28 };

export function mockDns(ours: (name: string) => boolean) {
	const realFetch = globalThis.fetch;
	const zone = new Map<string, string[]>();
	const set = (type: RecordType, name: string, values: string[]) => zone.set(`${type} ${name}`, values);
	vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
		const url = new URL(input instanceof Request ? input.url : String(input));
		if (url.origin !== "http://127.0.0.1:9") return realFetch(input as RequestInfo, init);
		const name = url.searchParams.get("name") ?? "";
		if (!ours(name)) return new Response("not this test's zone", { status: 503 });
		const type = url.searchParams.get("type") as RecordType;
		const values = zone.get(`${type} ${name}`) ?? [];
		return Response.json({
			Status: values.length ? 0 : 3,
			Answer: values.map((v) => ({
				type: CODES[type],
				data: type === "TXT" ? `"${v}"` : type === "CNAME" ? `${v}.` : v,
			})),
		});
	});
	return { set, clear: () => zone.clear() };
}
