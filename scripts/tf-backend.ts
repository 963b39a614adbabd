// Prints the TensorFlow.js backend this install trains on: the one packages/tf-backend picks, the
// same that workers pick and that each training evaluation records. `--expect NAME` exits 1 when
// another one was picked (infra/Dockerfile's worker-cpu check, `npm run tf:native`).
//
//   npx tsx scripts/tf-backend.ts                      # {"name":"wasm","threads":1}
//   npx tsx scripts/tf-backend.ts --expect tensorflow  # after `npm run tf:native`
import { describeBackend } from "@nasvae/tf-backend";

const args = process.argv.slice(2);
const at = args.indexOf("--expect");
const expected = at === -1 ? undefined : args[at + 1];
if (at !== -1 && !expected) {
  console.error("usage: tf-backend.ts [--expect tensorflow|wasm|cpu]");
  process.exit(2);
}
const backend = await describeBackend();
console.log(JSON.stringify(backend));
if (expected && backend.name !== expected) {
  console.error(`expected the ${expected} backend, got ${backend.name}`);
  process.exit(1);
}
