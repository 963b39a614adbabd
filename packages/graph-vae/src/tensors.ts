import { tf } from "@nasvae/tf-backend";
import { classCount, type GraphSpace, type PaddedGraph, padClass } from "./graph-space.ts";
import type { GraphTensors } from "./model.ts";

/** Builds the model's input tensors for a batch of padded graphs. The caller disposes them. */
export function graphTensors(space: GraphSpace, graphs: readonly PaddedGraph[]): GraphTensors {
  const n = space.maxNodes;
  const c = classCount(space);
  const pad = padClass(space);
  const nodes = new Float32Array(graphs.length * n * c);
  const adjacency = new Float32Array(graphs.length * n * n);
  const mask = new Float32Array(graphs.length * n);
  graphs.forEach((graph, b) => {
    graph.classes.forEach((cls, i) => {
      nodes[(b * n + i) * c + cls] = 1;
      mask[b * n + i] = cls === pad ? 0 : 1;
    });
    graph.adjacency.forEach((row, i) => {
      row.forEach((value, j) => {
        if (value) adjacency[(b * n + i) * n + j] = 1;
      });
    });
  });
  return {
    nodes: tf.tensor3d(nodes, [graphs.length, n, c]),
    adjacency: tf.tensor3d(adjacency, [graphs.length, n, n]),
    mask: tf.tensor2d(mask, [graphs.length, n]),
  };
}

export function disposeGraphTensors(tensors: GraphTensors): void {
  tf.dispose([tensors.nodes, tensors.adjacency, tensors.mask]);
}
