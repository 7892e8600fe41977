// `npm run db:serve -- --port P --data DIR [--auth-token T]`: the local libSQL server.
import { parseArgs } from "node:util";
import { createLibsqlServer } from "./server.ts";

const { values } = parseArgs({
	options: {
		port: { type: "string", default: process.env.LIBSQL_PORT ?? "8080" },
		host: { type: "string", default: "127.0.0.1" },
		data: { type: "string", default: ".data" },
		"auth-token": { type: "string" },
	},
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
	console.error(`Invalid --port ${values.port}`);
	process.exit(2);
}

const { server, databases } = createLibsqlServer({ dataDir: values.data, authToken: values["auth-token"] });
server.listen(port, values.host, () => {
	const address = server.address();
	const actual = typeof address === "object" && address ? address.port : port;
	console.log(`libsql-server listening on http://${values.host}:${actual}/ (data in ${values.data})`);
});

function shutdown(): void {
	server.close();
	server.closeAllConnections();
	databases.closeAll();
	process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
