import * as tf from "@tensorflow/tfjs";
import { avgPoolGrad } from "./avg-pool-grad.ts";
import { patchBatchMatMul } from "./batch-mat-mul.ts";
import {
  BATCH_NORM_TRAIN,
  batchNormTrain,
  hasFusedBatchNormTrain,
  registerBatchNormTrain,
} from "./batch-norm-train.ts";
import { conv2DBackpropFilter } from "./conv2d-backprop-filter.ts";
import { conv2DBackpropInput } from "./conv2d-backprop-input.ts";
import {
  depthwiseConv2dBackpropFilter,
  depthwiseConv2dBackpropInput,
} from "./depthwise-conv2d-backprop.ts";
import { identity } from "./identity.ts";
import { maxPoolGrad } from "./max-pool-grad.ts";
import { tile } from "./tile.ts";
import { unsortedSegmentSum } from "./unsorted-segment-sum.ts";
import { replaceKernel } from "./wasm-backend.ts";

export { BATCH_NORM_TRAIN, batchNormTrain, hasFusedBatchNormTrain, patchBatchMatMul };

/** The tfjs version these patches were written and tested against. */
export const PATCHED_TFJS_VERSION = "4.22.0";

const patched = new Set<string>();

/** Throws unless the loaded tfjs is the version whose backend internals these patches rely on. */
export function assertPatchedVersion(version: string = tf.version_core): void {
  if (version !== PATCHED_TFJS_VERSION)
    throw new Error(
      `@nasvae/tfjs-wasm-kernels relies on internals of @tensorflow/tfjs ${PATCHED_TFJS_VERSION} ` +
        `(its wasm backend's heap and kernel attributes), but ${version} is loaded: pin tfjs to ` +
        `${PATCHED_TFJS_VERSION}, or re-run this package's tests against ${version} and update ` +
        "PATCHED_TFJS_VERSION.",
    );
}

/**
 * Registers the kernels the WASM backend lacks for training and replaces those it gets wrong
 * or slow (idempotent). Call after the backend is registered.
 */
export function patchWasmKernels(backendName = "wasm"): void {
  if (patched.has(backendName)) return;
  assertPatchedVersion();
  const original = (name: string) => {
    const kernel = tf.getKernel(name, backendName);
    if (!kernel) throw new Error(`the ${backendName} backend has no ${name} kernel to wrap`);
    return kernel.kernelFunc;
  };
  patchBatchMatMul(backendName);
  replaceKernel("Conv2DBackpropFilter", backendName, conv2DBackpropFilter(backendName));
  replaceKernel(
    "Conv2DBackpropInput",
    backendName,
    conv2DBackpropInput(original("Conv2DBackpropInput"), backendName),
  );
  replaceKernel(
    "DepthwiseConv2dNativeBackpropFilter",
    backendName,
    depthwiseConv2dBackpropFilter(),
  );
  replaceKernel("DepthwiseConv2dNativeBackpropInput", backendName, depthwiseConv2dBackpropInput());
  replaceKernel("UnsortedSegmentSum", backendName, unsortedSegmentSum());
  replaceKernel("MaxPoolGrad", backendName, maxPoolGrad());
  replaceKernel("AvgPoolGrad", backendName, avgPoolGrad(backendName));
  replaceKernel("Tile", backendName, tile(original("Tile")));
  replaceKernel("Identity", backendName, identity(original("Identity")));
  registerBatchNormTrain(backendName);
  patched.add(backendName);
}
