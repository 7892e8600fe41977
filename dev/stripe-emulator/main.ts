// `node dev/stripe-emulator/main.ts --port 12111 --data .data/stripe.json --webhook-url URL --webhook-secret S`
import { parseArgs } from "node:util";
import { BASE } from "./billing.ts";
import { createStripeEmulator } from "./server.ts";

const { values } = parseArgs({
	options: {
		port: { type: "string", default: "12111" },
		data: { type: "string", default: ".data/stripe.json" },
		"webhook-url": { type: "string" },
		"webhook-secret": { type: "string", default: "whsec_portico_development" },
	},
});
const port = Number(values.port);
BASE.url = `http://127.0.0.1:${port}`;
const { server, store } = createStripeEmulator({
	dataFile: values.data,
	webhookSecret: values["webhook-secret"],
	webhookUrl: values["webhook-url"] ?? null,
});
server.listen(port, "127.0.0.1", () =>
	console.log(`stripe-emulator listening on ${BASE.url} (webhooks → ${values["webhook-url"] ?? "none"})`),
);
const stop = () => {
	store.save();
	server.close();
	process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
