// Generates the Prisma client into packages/db/src/generated (run by `npm install`).
// The Prisma CLI wants a native schema engine even for `generate`, and downloads it when it is
// missing; offline that fails. Generation does not use the engine, so pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file lets it run without a download.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

const cli = require.resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [cli, "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
