import { resolve } from "node:path";
import { DEFAULT_DATASETS_DIR, type ImageDataset, loadDataset } from "@nasvae/datasets";

/**
 * Datasets loaded in this process, by directory and name: a CIFAR dataset is 184 MB of bytes, so
 * train evaluators with different recipes on the same data share one copy for the life of the
 * process. A load that fails is forgotten, so files mounted later are found on the next try.
 */
const loaded = new Map<string, Promise<ImageDataset>>();

export function loadDatasetOnce(
  name: string,
  dataDir = DEFAULT_DATASETS_DIR,
): Promise<ImageDataset> {
  const key = `${resolve(dataDir)}\0${name}`;
  const known = loaded.get(key);
  if (known) return known;
  const loading = loadDataset(name, { dataDir });
  loaded.set(key, loading);
  loading.catch(() => {
    if (loaded.get(key) === loading) loaded.delete(key);
  });
  return loading;
}
