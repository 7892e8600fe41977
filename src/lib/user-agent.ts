// A readable device name from a User-Agent header ("Firefox on Windows"): enough to recognise a session.
const BROWSERS: [RegExp, string][] = [
	[/Edg\//, "Edge"],
	[/OPR\//, "Opera"],
	[/Firefox\//, "Firefox"],
	[/Chrome\//, "Chrome"],
	[/Safari\//, "Safari"],
	[/curl\//, "curl"],
];
const SYSTEMS: [RegExp, string][] = [
	[/Android/, "Android"],
	[/iPhone|iPad|iOS/, "iOS"],
	[/Windows/, "Windows"],
	[/Mac OS X|Macintosh/, "macOS"],
	[/CrOS/, "ChromeOS"],
	[/Linux/, "Linux"],
];

export function describeDevice(userAgent: string | null): string {
	if (!userAgent) return "Unknown device";
	const browser = BROWSERS.find(([re]) => re.test(userAgent))?.[1] ?? "Browser";
	const system = SYSTEMS.find(([re]) => re.test(userAgent))?.[1];
	return system ? `${browser} on ${system}` : browser;
}
