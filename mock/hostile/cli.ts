// `node out/mock/hostile/cli.js [--host 127.0.0.1] [--port 8099] [--away URL]`: serves every
// hostile scenario under its own path prefix, so that api_url = http://HOST:PORT/<scenario> and
// object 'events' reach it (GET /<scenario>/events). Prints the list and runs until killed.
import { parseArgs } from "node:util";
import { deepJson, echoAuth, endlessPages, eventsJson, hugeMessage, invalidUtf8, linkTo, notModified, numbersPage, selfLink, withBom } from "./scenarios.js";
import { type HostileRoute, startHostileServer } from "./server.js";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "8099" },
    away: { type: "string", default: "http://127.0.0.2:8099/events" },
  },
});

const routes: Record<string, HostileRoute> = {
  "/ok": { body: eventsJson(3) },
  "/hang": { hang: true },
  "/hang-after-headers": { hangAfterHeaders: true, body: eventsJson(3) },
  "/self-link": selfLink(),
  "/link-away": linkTo(values.away as string),
  "/endless": endlessPages(),
  "/huge-message": hugeMessage(10 * 1024 * 1024),
  "/deep": deepJson(5000),
  "/deep-error": deepJson(5000, 500),
  "/bom": withBom(eventsJson(3)),
  "/invalid-utf8": invalidUtf8(),
  "/not-modified": notModified(),
  "/truncated": { body: eventsJson(3).slice(0, 200) },
  "/echo-auth": echoAuth("json-message"),
  "/echo-auth-field": echoAuth("field"),
  "/numbers": numbersPage(["90.28571428571429", "1.10", "1E+2", "-0.0", "12345678901234567890", "9007199254740993", "5e-324"]),
  "/gzip": { gzip: true, body: eventsJson(3) },
};

const server = await startHostileServer({ host: values.host, port: Number(values.port), routes });
process.stdout.write(`hostile API listening on ${server.url}; scenarios (api_url = ${server.url}/<scenario>, object 'events'):\n`);
for (const path of Object.keys(routes)) process.stdout.write(`  ${path}\n`);
const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
