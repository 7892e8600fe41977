// The vendor's apex host: landing page and the JSON API (which grows with later features).
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { AppError } from "../lib/errors.ts";
import { ApexHome } from "../views/pages/apex-home.tsx";
import { renderPage } from "../views/render.tsx";

export const apexRoutes = new Hono<AppEnv>();

apexRoutes.get("/", (c) => renderPage(c, { title: "Self-service customer portal", body: <ApexHome /> }));

apexRoutes.all("/api/*", () => {
	throw new AppError("not_found", "No such API endpoint.");
});
