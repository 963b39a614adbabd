export { ensureBackend, tf } from "./backend.ts";
