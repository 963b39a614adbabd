#!/usr/bin/env node
// The `nasvae` command. The repository has no build step: register tsx, then run the TypeScript.
import { register } from "tsx/esm/api";

register();
await import("../apps/cli/src/main.ts");
