// Help articles (/help) and support tickets (/support).
export { helpRoutes as help } from "./help.tsx";
export { supportRoutes as support } from "./support.tsx";
