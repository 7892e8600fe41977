// Reading the audit viewer's filters from the query string. Anything malformed is dropped with a message,
// and the page shows what remains — never an error page.
import type { AuditFilter } from "../db/audit-search.ts";

export const AREAS = [
	"auth",
	"team",
	"role",
	"organization",
	"billing",
	"keys",
	"export",
	"user",
	"notifications",
] as const;

export interface ParsedFilters {
	filter: AuditFilter;
	cursor: { createdAt: number; id: string } | null;
	problems: string[];
	/** The filters as they will be echoed into links (without the cursor). */
	query: Record<string, string>;
}

export function parseAuditFilters(params: Record<string, string | undefined>): ParsedFilters {
	const problems: string[] = [];
	const query: Record<string, string> = {};
	const filter: AuditFilter = {};
	const text = (name: string, max: number) => {
		const v = params[name]?.trim();
		if (!v) return undefined;
		if (v.length > max) {
			problems.push(`The ${name} filter is longer than ${max} characters and was ignored.`);
			return undefined;
		}
		query[name] = v;
		return v;
	};
	filter.actor = text("actor", 100);
	filter.q = text("q", 200);
	filter.targetType = text("targetType", 40);
	filter.targetId = text("targetId", 80);
	const area = params.area?.trim();
	if (area) {
		if ((AREAS as readonly string[]).includes(area)) {
			filter.area = area;
			query.area = area;
		} else problems.push("Unknown area; showing all areas.");
	}
	const day = (name: "from" | "to") => {
		const v = params[name]?.trim();
		if (!v) return undefined;
		if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
			problems.push(`The ${name} date is not a date (use YYYY-MM-DD) and was ignored.`);
			return undefined;
		}
		query[name] = v;
		return Date.parse(`${v}T00:00:00Z`) + (name === "to" ? 86_399_999 : 0);
	};
	filter.fromMs = day("from");
	filter.toMs = day("to");
	if (filter.fromMs !== undefined && filter.toMs !== undefined && filter.fromMs > filter.toMs) {
		problems.push("The date range was reversed; showing it the right way round.");
		[filter.fromMs, filter.toMs] = [filter.toMs - 86_399_999, filter.fromMs + 86_399_999];
	}
	let cursor: ParsedFilters["cursor"] = null;
	const before = params.before;
	if (before) {
		const m = /^(\d{1,15})\.(evt_[0-9a-z]{26})$/.exec(before);
		if (m) cursor = { createdAt: Number(m[1]), id: m[2] ?? "" };
		else problems.push("That page link is not valid; showing the newest events.");
	}
	return { filter, cursor, problems, query };
}
