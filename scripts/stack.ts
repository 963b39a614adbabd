// `npm start`: the whole stack on this machine until Ctrl-C: the API on PORT (default 3000), the
// coordinator and WORKERS worker processes (default 2). Applies pending migrations first.
import { envSchema, parseEnv } from "@nasvae/config";
import { migrate } from "@nasvae/db";
import { appEnv, LocalStack, localApiKeys, waitForHttp } from "./lib/local-stack.ts";
import { formatLogLine } from "./lib/log-format.ts";
import { exitUnlessServicesUp } from "./lib/preflight.ts";

const env = parseEnv(
  envSchema("DATABASE_URL", "REDIS_URL", "QUEUE_PREFIX", "PORT", "WORKERS", "API_KEYS"),
);
const apiKeys = localApiKeys(env.API_KEYS);
await exitUnlessServicesUp(env.DATABASE_URL, env.REDIS_URL);
await migrate({ databaseUrl: env.DATABASE_URL, log: (message) => console.log(`db: ${message}`) });

const stack = new LocalStack({
  env: appEnv({ ...env, API_KEYS: apiKeys.API_KEYS }),
  workers: env.WORKERS,
  onLine: (name, line) => console.log(formatLogLine(name, line)),
});
stack.start();
const base = `http://127.0.0.1:${env.PORT}`;
await waitForHttp(`${base}/healthz`);
console.log(
  `\nAPI        ${base}   (POST /campaigns, GET /campaigns/:id; reference: ${base}/docs)`,
);
console.log(`Pages      ${base}/ui/campaigns`);
console.log(`Dashboard  ${base}/admin/queues   (user: anything, password: the API key)`);
console.log(
  apiKeys.generated
    ? `API key    ${apiKeys.key}   (made for this run; set API_KEYS to choose your own)`
    : `API key    the first of API_KEYS (${apiKeys.key.slice(0, 12)}...)`,
);
console.log(`CLI        NASVAE_API_KEY=<the key> npx nasvae list`);
console.log(`Workers    ${env.WORKERS}; press Ctrl-C to stop\n`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log("stopping the stack (running jobs finish first)...");
    stack.stop().then(() => process.exit(0));
  });
}
// A process that dies on its own takes the stack down with it, loudly.
for (const p of stack.processes) {
  p.exited.then((code) => {
    if (stopping) return;
    console.error(`${p.name} exited with code ${code}; stopping the stack`);
    stopping = true;
    stack.stop().then(() => process.exit(1));
  });
}
