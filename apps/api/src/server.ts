// Entry point of the API process: parse the environment, build, listen, shut down gracefully.
import { onShutdown } from "@nasvae/config";
import { buildServer } from "./build.ts";
import { loadApiConfig } from "./config.ts";
import { DASHBOARD_PATH } from "./plugins/bull-board.ts";

const config = loadApiConfig();
const server = await buildServer(config);
await server.listen({ port: config.PORT, host: config.HOST });
server.log.info({ dashboard: DASHBOARD_PATH }, "api ready");

onShutdown({ log: server.log as never, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, () =>
  server.close(),
);
