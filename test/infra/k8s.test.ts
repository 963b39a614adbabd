// infra/k8s, checked without a cluster: every object against the Kubernetes OpenAPI schema of its
// kind (kubernetes-models, and @kubernetes-models/keda for KEDA's CRDs), then for what the stack
// needs: selectors that match, probes on the endpoints the apps serve, the GPU, one coordinator,
// the autoscaler measuring the right Redis key. (Those schemas do not reject unknown fields, as
// Kubernetes' own OpenAPI does not: the fields that matter are asserted by name below.)
import assert from "node:assert/strict";
import { test } from "node:test";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication";
import { queueNames } from "@nasvae/jobs";
import { QueueKeys } from "bullmq";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Job } from "kubernetes-models/batch/v1/Job";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { parse as parseYaml } from "yaml";
import { type K8sObject, loadK8sFiles, parseDockerfile, readText } from "./support.ts";

// biome-ignore lint/suspicious/noExplicitAny: each model takes its own kind's data
const models: Record<string, new (data: any) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "batch/v1/Job": Job,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "keda.sh/v1alpha1/ScaledObject": ScaledObject,
  "keda.sh/v1alpha1/TriggerAuthentication": TriggerAuthentication,
};

const files = loadK8sFiles();
const kustomization = files.find((f) => f.file === "kustomization.yaml")?.objects[0];
const manifests = files.filter((f) => f.file !== "kustomization.yaml");
const objects = manifests.flatMap((f) => f.objects);
const deployed = files
  .filter((f) => (kustomization?.resources as string[] | undefined)?.includes(f.file))
  .flatMap((f) => f.objects);
const find = (kind: string, name: string): K8sObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(found, `no ${kind} ${name} in infra/k8s`);
  return found;
};
const podSpec = (name: string) => find("Deployment", name).spec.template.spec;
const container = (name: string) => podSpec(name).containers[0];

test("every object is valid against its kind's schema", () => {
  assert.ok(objects.length >= 12, `only ${objects.length} objects`);
  for (const object of objects) {
    const Model = models[`${object.apiVersion}/${object.kind}`];
    assert.ok(Model, `${object.apiVersion} ${object.kind}: a kind these tests do not know`);
    assert.doesNotThrow(
      () => new Model(object).validate(),
      `${object.kind} ${object.metadata.name} is invalid`,
    );
  }
});

test("the schema check is live: it rejects a broken Deployment and a broken ScaledObject", () => {
  const deployment = structuredClone(find("Deployment", "nasvae-worker"));
  deployment.spec.template.spec.containers[0].ports[0].containerPort = "nine";
  assert.throws(() => new Deployment(deployment as never).validate());
  const scaled = structuredClone(find("ScaledObject", "nasvae-worker"));
  delete scaled.spec.scaleTargetRef;
  assert.throws(() => new ScaledObject(scaled as never).validate());
});

test("kustomization.yaml applies every manifest but the example Secret, in namespace nasvae", () => {
  assert.ok(kustomization, "no infra/k8s/kustomization.yaml");
  assert.equal(kustomization.kind, "Kustomization");
  assert.equal(kustomization.namespace, "nasvae");
  const listed = [...(kustomization.resources as string[])].sort();
  const present = manifests.map((f) => f.file).filter((f) => f !== "secret.example.yaml");
  assert.deepEqual(listed, present.sort());
  for (const object of objects) {
    if (object.kind === "Namespace") assert.equal(object.metadata.name, "nasvae");
    else
      assert.equal(object.metadata.namespace, "nasvae", `${object.kind} ${object.metadata.name}`);
  }
  // Every image a workload names is one kustomize rewrites, and one target of infra/Dockerfile.
  const stages = new Set(parseDockerfile(readText("infra/Dockerfile")).stages.map((s) => s.name));
  const images = new Set((kustomization.images as { name: string }[]).map((i) => i.name));
  for (const workload of deployed.filter((o) => o.kind === "Deployment" || o.kind === "Job")) {
    const image = workload.spec.template.spec.containers[0].image as string;
    assert.ok(images.has(image), `${workload.metadata.name}: image ${image} not in kustomization`);
    assert.ok(stages.has(image.replace(/^nasvae-/, "")), `${image}: no such Dockerfile target`);
  }
});

test("selectors match their pod templates, and the Service and PDB select API pods", () => {
  for (const deployment of objects.filter((o) => o.kind === "Deployment")) {
    const selector = deployment.spec.selector.matchLabels as Record<string, string>;
    const labels = deployment.spec.template.metadata.labels as Record<string, string>;
    for (const [key, value] of Object.entries(selector)) {
      assert.equal(labels[key], value, `${deployment.metadata.name}: template lacks ${key}`);
    }
  }
  const apiLabels = find("Deployment", "nasvae-api").spec.template.metadata.labels;
  const service = find("Service", "nasvae-api");
  for (const [key, value] of Object.entries(service.spec.selector as Record<string, string>)) {
    assert.equal(apiLabels[key], value);
  }
  const portNames = container("nasvae-api").ports.map((p: { name: string }) => p.name);
  assert.ok(portNames.includes(service.spec.ports[0].targetPort));
  const pdb = find("PodDisruptionBudget", "nasvae-api");
  assert.deepEqual(
    pdb.spec.selector.matchLabels,
    find("Deployment", "nasvae-api").spec.selector.matchLabels,
  );
  assert.ok(find("Deployment", "nasvae-api").spec.replicas > pdb.spec.minAvailable);
});

/** The port a probe's named port stands for in its container. */
function probePort(
  containerSpec: { ports: { name: string; containerPort: number }[] },
  port: string,
) {
  const found = containerSpec.ports.find((p) => p.name === port);
  assert.ok(found, `probe on unknown port ${port}`);
  return found.containerPort;
}

const envValue = (containerSpec: { env: { name: string; value?: string }[] }, name: string) =>
  containerSpec.env.find((e) => e.name === name)?.value;

test("probes ask the endpoints each app serves, on the port it listens on", () => {
  const api = container("nasvae-api");
  assert.equal(envValue(api, "PORT"), String(probePort(api, "http")));
  assert.equal(envValue(api, "HOST"), "0.0.0.0");
  assert.equal(api.livenessProbe.httpGet.path, "/livez");
  assert.equal(api.readinessProbe.httpGet.path, "/readyz");
  assert.equal(api.startupProbe.httpGet.path, "/livez");
  for (const name of ["nasvae-coordinator", "nasvae-worker"]) {
    const app = container(name);
    assert.equal(envValue(app, "METRICS_PORT"), String(probePort(app, "metrics")), name);
    assert.equal(envValue(app, "METRICS_HOST"), "0.0.0.0", name);
    assert.equal(app.livenessProbe.httpGet.path, "/livez", name);
    assert.equal(app.livenessProbe.httpGet.port, "metrics", name);
  }
  // A worker whose backend ran out of memory says so until it exits.
  assert.equal(container("nasvae-worker").readinessProbe.httpGet.path, "/readyz");
  // The endpoints exist: docs/metrics.md documents them, the apps' code serves them.
  const metricsDoc = readText("docs/metrics.md");
  for (const path of ["/livez", "/readyz", "/metrics"]) assert.ok(metricsDoc.includes(path));
  // The scrape annotations point at the same ports.
  for (const [name, port] of [
    ["nasvae-api", "http"],
    ["nasvae-coordinator", "metrics"],
    ["nasvae-worker", "metrics"],
  ] as const) {
    const annotations = find("Deployment", name).spec.template.metadata.annotations;
    assert.equal(annotations["prometheus.io/port"], String(probePort(container(name), port)));
    assert.equal(annotations["prometheus.io/path"], "/metrics");
  }
});

test("pods run as uid 1000, non-root, read-only, with /tmp writable (tsx's cache)", () => {
  for (const workload of objects.filter((o) => o.kind === "Deployment" || o.kind === "Job")) {
    const spec = workload.spec.template.spec;
    const name = workload.metadata.name;
    assert.equal(spec.securityContext.runAsNonRoot, true, name);
    // A numeric user: the images say `USER node`, which the kubelet cannot check for non-root.
    assert.equal(spec.securityContext.runAsUser, 1000, name);
    const [app] = spec.containers;
    assert.equal(app.securityContext.allowPrivilegeEscalation, false, name);
    assert.equal(app.securityContext.readOnlyRootFilesystem, true, name);
    assert.deepEqual(app.securityContext.capabilities.drop, ["ALL"], name);
    assert.ok(
      app.volumeMounts.some((m: { mountPath: string }) => m.mountPath === "/tmp"),
      `${name}: no writable /tmp`,
    );
    for (const mount of app.volumeMounts) {
      assert.ok(
        spec.volumes.some((v: { name: string }) => v.name === mount.name),
        `${name}: mount of unknown volume ${mount.name}`,
      );
    }
  }
});

test("secrets come from the Secret by keys it has; the example Secret is not applied", () => {
  const secret = find("Secret", "nasvae-secrets");
  assert.ok(!deployed.includes(secret));
  const keys = new Set(Object.keys(secret.stringData ?? {}));
  for (const workload of objects.filter((o) => o.kind === "Deployment" || o.kind === "Job")) {
    for (const entry of workload.spec.template.spec.containers[0].env ?? []) {
      const ref = entry.valueFrom?.secretKeyRef;
      if (!ref) continue;
      assert.equal(ref.name, "nasvae-secrets");
      assert.ok(keys.has(ref.key), `${workload.metadata.name}: Secret has no key ${ref.key}`);
    }
  }
  for (const ref of find("TriggerAuthentication", "nasvae-redis").spec.secretTargetRef) {
    assert.equal(ref.name, "nasvae-secrets");
    assert.ok(keys.has(ref.key), `TriggerAuthentication: Secret has no key ${ref.key}`);
  }
});

test("the coordinator: one replica, replaced with Recreate", () => {
  const coordinator = find("Deployment", "nasvae-coordinator");
  assert.equal(coordinator.spec.replicas, 1);
  assert.deepEqual(coordinator.spec.strategy, { type: "Recreate" });
});

test("the worker: the GPU image, one nvidia.com/gpu each, replicas left to KEDA", () => {
  const worker = find("Deployment", "nasvae-worker");
  assert.equal(worker.spec.replicas, undefined);
  assert.equal(container("nasvae-worker").image, "nasvae-worker-gpu");
  assert.equal(container("nasvae-worker").resources.limits["nvidia.com/gpu"], 1);
  // Stopping workers get to finish their running evaluations (SHUTDOWN_TIMEOUT_MS) first.
  const config = find("ConfigMap", "nasvae-worker").data ?? {};
  const shutdownMs = Number(config.SHUTDOWN_TIMEOUT_MS);
  assert.ok(shutdownMs / 1000 + 10 <= worker.spec.template.spec.terminationGracePeriodSeconds);
  for (const name of ["nasvae-api", "nasvae-coordinator"]) {
    const grace = podSpec(name).terminationGracePeriodSeconds;
    const map = find("ConfigMap", name).data ?? {};
    assert.ok(Number(map.SHUTDOWN_TIMEOUT_MS) / 1000 + 10 <= grace, name);
  }
});

/** Applies the `replace` and `remove` operations of a JSON patch (RFC 6902) to a copy. */
function applyJsonPatch<T>(document: T, ops: { op: string; path: string; value?: unknown }[]): T {
  const copy = structuredClone(document);
  for (const { op, path, value } of ops) {
    const keys = path
      .split("/")
      .slice(1)
      .map((key) => key.replaceAll("~1", "/").replaceAll("~0", "~"));
    const last = keys.pop() as string;
    // biome-ignore lint/suspicious/noExplicitAny: walks any document
    let parent: any = copy;
    for (const key of keys) parent = parent?.[key];
    assert.ok(parent && last in parent, `${op} ${path}: no such path`);
    if (op === "replace") parent[last] = value;
    else if (op === "remove") delete parent[last];
    else assert.fail(`op ${op}: not used here`);
  }
  return copy;
}

test("the cpu overlay runs the worker on the native-TensorFlow CPU image, without a GPU", () => {
  const overlay = parseYaml(readText("infra/k8s/cpu/kustomization.yaml"));
  assert.equal(overlay.kind, "Kustomization");
  assert.deepEqual(overlay.resources, [".."]);
  assert.equal(overlay.patches.length, 1);
  const [{ target, patch }] = overlay.patches;
  assert.deepEqual(target, { kind: "Deployment", name: "nasvae-worker" });
  const worker = applyJsonPatch(find("Deployment", "nasvae-worker"), parseYaml(patch));
  assert.doesNotThrow(() => new Deployment(worker as never).validate());
  const image = worker.spec.template.spec.containers[0].image as string;
  assert.equal(image, "nasvae-worker-cpu");
  const stages = new Set(parseDockerfile(readText("infra/Dockerfile")).stages.map((s) => s.name));
  assert.ok(stages.has(image.replace(/^nasvae-/, "")), `${image}: no such Dockerfile target`);
  // The overlay rewrites the name it introduces (the base's images ran before its patch).
  assert.deepEqual(
    (overlay.images as { name: string }[]).map((i) => i.name),
    ["nasvae-worker-cpu"],
  );
  // Nothing asks for or tolerates a GPU any more; the rest of the Deployment is the base's.
  assert.doesNotMatch(JSON.stringify(worker), /nvidia/);
  assert.equal(worker.spec.template.spec.tolerations, undefined);
  assert.deepEqual(
    worker.spec.template.spec.containers[0].readinessProbe,
    container("nasvae-worker").readinessProbe,
  );
});

test("the migrate Job runs the migrator once, and the upgrade recipe can select it", () => {
  const job = find("Job", "nasvae-migrate");
  assert.equal(job.metadata.labels?.["app.kubernetes.io/component"], "migrate");
  assert.equal(job.spec.template.spec.restartPolicy, "Never");
  assert.equal(job.spec.template.spec.containers[0].image, "nasvae-migrate");
  // `kubectl apply -k infra/k8s -l app.kubernetes.io/component=migrate` selects the Job alone.
  const selected = deployed.filter(
    (o) => o.metadata.labels?.["app.kubernetes.io/component"] === "migrate",
  );
  assert.deepEqual(selected, [job]);
});

test("KEDA scales the worker Deployment on BullMQ's lists of the evaluations queue", () => {
  const scaled = find("ScaledObject", "nasvae-worker");
  assert.equal(scaled.spec.scaleTargetRef.name, "nasvae-worker");
  const prefix = find("ConfigMap", "nasvae-common").data?.QUEUE_PREFIX ?? "";
  // The keys as BullMQ itself names them.
  const keys = new QueueKeys(prefix).getKeys(queueNames.evaluations);
  const triggers = scaled.spec.triggers as {
    type: string;
    metadata: Record<string, string>;
    authenticationRef: { name: string };
  }[];
  assert.deepEqual(
    triggers.map((t) => [t.type, t.metadata.listName]),
    [
      ["redis", keys.wait],
      ["redis", keys.active],
    ],
  );
  assert.equal(keys.wait, "nasvae:evaluations:wait");
  for (const trigger of triggers) {
    assert.equal(trigger.authenticationRef.name, "nasvae-redis");
    assert.ok(Number(trigger.metadata.listLength) >= 1);
  }
  // The `active` trigger keeps one pod per WORKER_CONCURRENCY running jobs.
  const concurrency = find("ConfigMap", "nasvae-worker").data?.WORKER_CONCURRENCY;
  assert.equal(triggers[1]?.metadata.listLength, concurrency);
  assert.ok(scaled.spec.maxReplicaCount >= 1);
});

test("the api and the workers mount the datasets claim read-only where DATASETS_DIR says", () => {
  const claim = find("PersistentVolumeClaim", "nasvae-datasets");
  assert.ok(deployed.includes(claim), "datasets.yaml is applied");
  // Shared by pods on several nodes, and written by whoever loads the files.
  assert.deepEqual(claim.spec.accessModes, ["ReadWriteMany"]);
  for (const name of ["nasvae-api", "nasvae-worker"]) {
    const volume = podSpec(name).volumes.find(
      (v: { persistentVolumeClaim?: { claimName: string } }) =>
        v.persistentVolumeClaim?.claimName === "nasvae-datasets",
    );
    assert.ok(volume, `${name}: no volume of the datasets claim`);
    assert.equal(volume.persistentVolumeClaim.readOnly, true, name);
    const mount = container(name).volumeMounts.find(
      (m: { name: string }) => m.name === volume.name,
    );
    assert.ok(mount, `${name}: the datasets volume is not mounted`);
    assert.equal(mount.readOnly, true, name);
    assert.equal(envValue(container(name), "DATASETS_DIR"), mount.mountPath, name);
  }
  // The coordinator trains nothing.
  assert.ok(
    !podSpec("nasvae-coordinator").volumes.some(
      (v: { persistentVolumeClaim?: unknown }) => v.persistentVolumeClaim,
    ),
  );
});

test("the workers mount the checkpoints claim read-write where CHECKPOINT_DIR says", () => {
  const claim = find("PersistentVolumeClaim", "nasvae-checkpoints");
  assert.ok(deployed.includes(claim), "checkpoints.yaml is applied");
  // A job re-delivered after a crash resumes on whichever pod, on whichever node, takes it.
  assert.deepEqual(claim.spec.accessModes, ["ReadWriteMany"]);
  const volume = podSpec("nasvae-worker").volumes.find(
    (v: { persistentVolumeClaim?: { claimName: string } }) =>
      v.persistentVolumeClaim?.claimName === "nasvae-checkpoints",
  );
  assert.ok(volume, "no volume of the checkpoints claim");
  assert.notEqual(volume.persistentVolumeClaim.readOnly, true);
  const mount = container("nasvae-worker").volumeMounts.find(
    (m: { name: string }) => m.name === volume.name,
  );
  assert.ok(mount && mount.readOnly !== true, "the checkpoints volume is not mounted read-write");
  assert.equal(envValue(container("nasvae-worker"), "CHECKPOINT_DIR"), mount.mountPath);
});
