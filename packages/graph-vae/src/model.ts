import { tf } from "@nasvae/tf-backend";
import type { GraphVaeConfig } from "./config.ts";
import { classCount, type GraphSpace } from "./graph-space.ts";

export interface GraphTensors {
  /** One-hot node classes [B, N, C]. */
  nodes: tf.Tensor3D;
  /** Forward adjacency [B, N, N] (a[i][j] = 1 for an edge i -> j). */
  adjacency: tf.Tensor3D;
  /** 1 for real nodes, 0 for pad nodes [B, N]. */
  mask: tf.Tensor2D;
}

export interface Encoding {
  mu: tf.Tensor2D;
  logvar: tf.Tensor2D;
}

export interface Decoding {
  /** Node class logits [B, N, C]. */
  nodeLogits: tf.Tensor3D;
  /** Edge logits [B, N, N]; only i < j is meaningful. */
  edgeLogits: tf.Tensor3D;
}

type Dense = { w: tf.Variable; b: tf.Variable };

let nextInstance = 0;

/**
 * The graph VAE of "Neural Architecture Optimization with Graph VAE" (Li et al. 2020), with its
 * two predictors: a GNN encoder to (mu, logvar), a decoder to node classes and edges, and MLPs on
 * mu for accuracy and FLOPs. Plain tfjs-core ops, dense adjacency products (no gather), so that
 * every backend, WASM included, can train it. Owns its variables: call dispose().
 */
export class GraphVaeModel {
  readonly classes: number;
  readonly nodes: number;
  private readonly layers = new Map<string, Dense>();
  private readonly instance = nextInstance++;

  constructor(
    readonly space: GraphSpace,
    readonly config: GraphVaeConfig,
    seed: number,
  ) {
    this.classes = classCount(space);
    this.nodes = space.maxNodes;
    const { hiddenSize: h, latentSize: z, gnnLayers } = config;
    let s = seed;
    const dense = (name: string, inputs: number, outputs: number) => {
      // Glorot-uniform weights, zero biases; seeded so that a campaign's model is reproducible.
      const limit = Math.sqrt(6 / (inputs + outputs));
      s += 1;
      // tidy frees the initial values; variables survive it. Names are unique per instance
      // (TF.js registers them globally), so that several models can live in one process.
      const prefix = `graph-vae-${this.instance}/${name}`;
      this.layers.set(
        name,
        tf.tidy(() => ({
          w: tf.variable(
            tf.randomUniform([inputs, outputs], -limit, limit, "float32", s),
            true,
            `${prefix}/w`,
          ),
          b: tf.variable(tf.zeros([outputs]), true, `${prefix}/b`),
        })),
      );
    };
    dense("embed", this.classes, h);
    for (let l = 0; l < gnnLayers; l++) dense(`gnn${l}`, 3 * h, h);
    dense("mu", 2 * h, z);
    dense("logvar", 2 * h, z);
    dense("dec1", z, 2 * h);
    dense("dec2", 2 * h, 2 * h);
    dense("decNodes", 2 * h, this.nodes * this.classes);
    dense("decEdges", 2 * h, this.nodes * this.nodes);
    // With costFeature, the accuracy head reads the FLOPs head's prediction beside z.
    dense("acc1", config.costFeature ? z + 1 : z, h);
    dense("acc2", h, 1);
    dense("flops1", z, h);
    dense("flops2", h, 1);
  }

  private apply(name: string, x: tf.Tensor2D): tf.Tensor2D {
    const layer = this.layers.get(name);
    if (!layer) throw new Error(`no layer ${name}`);
    return tf.add(tf.matMul(x, layer.w), layer.b);
  }

  /** Applies a dense layer to every node: [B, N, in] -> [B, N, out]. */
  private applyNodes(name: string, x: tf.Tensor3D): tf.Tensor3D {
    const [b, n, d] = x.shape;
    const y = this.apply(name, tf.reshape(x, [b * n, d]));
    return tf.reshape(y, [b, n, y.shape[1]]);
  }

  encode(graphs: GraphTensors): Encoding {
    const mask3 = tf.expandDims(graphs.mask, 2) as tf.Tensor3D;
    let h = tf.mul(tf.relu(this.applyNodes("embed", graphs.nodes)), mask3) as tf.Tensor3D;
    const incoming = tf.transpose(graphs.adjacency, [0, 2, 1]) as tf.Tensor3D;
    for (let l = 0; l < this.config.gnnLayers; l++) {
      // Messages along the edges in both directions: from predecessors and from successors.
      const fromPredecessors = tf.matMul(incoming, h) as tf.Tensor3D;
      const fromSuccessors = tf.matMul(graphs.adjacency, h) as tf.Tensor3D;
      // One matmul for the node's own state and both messages (fewer, larger ops run faster).
      const update = this.applyNodes(
        `gnn${l}`,
        tf.concat([h, fromPredecessors, fromSuccessors], 2),
      );
      h = tf.mul(tf.add(h, tf.relu(update)), mask3) as tf.Tensor3D; // residual keeps depth cheap
    }
    // Readout: mean over real nodes, and the output node's state (it sees the whole cell).
    const count = tf.expandDims(tf.sum(graphs.mask, 1), 1);
    const mean = tf.div(tf.sum(h, 1), count) as tf.Tensor2D;
    const output = tf.reshape(tf.slice(h, [0, this.nodes - 1, 0], [-1, 1, -1]), [
      h.shape[0],
      h.shape[2],
    ]) as tf.Tensor2D;
    const graph = tf.concat([mean, output], 1) as tf.Tensor2D;
    return { mu: this.apply("mu", graph), logvar: this.apply("logvar", graph) };
  }

  decode(z: tf.Tensor2D): Decoding {
    const b = z.shape[0];
    const hidden = tf.relu(this.apply("dec2", tf.relu(this.apply("dec1", z)) as tf.Tensor2D));
    return {
      nodeLogits: tf.reshape(this.apply("decNodes", hidden as tf.Tensor2D), [
        b,
        this.nodes,
        this.classes,
      ]),
      edgeLogits: tf.reshape(this.apply("decEdges", hidden as tf.Tensor2D), [
        b,
        this.nodes,
        this.nodes,
      ]),
    };
  }

  /** Standardised predicted accuracy [B]. */
  predictAccuracy(mu: tf.Tensor2D): tf.Tensor1D {
    const input = this.config.costFeature
      ? (tf.concat([mu, tf.expandDims(this.predictFlops(mu), 1)], 1) as tf.Tensor2D)
      : mu;
    return tf.reshape(this.apply("acc2", tf.relu(this.apply("acc1", input)) as tf.Tensor2D), [-1]);
  }

  /** Standardised predicted FLOPs [B]. */
  predictFlops(mu: tf.Tensor2D): tf.Tensor1D {
    return tf.reshape(this.apply("flops2", tf.relu(this.apply("flops1", mu)) as tf.Tensor2D), [-1]);
  }

  variables(): tf.Variable[] {
    return this.namedVariables().map(({ variable }) => variable);
  }

  /** Every variable with a name that is the same in every instance (snapshots use it). */
  namedVariables(): { key: string; variable: tf.Variable }[] {
    return [...this.layers].flatMap(([name, layer]) => [
      { key: `${name}/w`, variable: layer.w },
      { key: `${name}/b`, variable: layer.b },
    ]);
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
    this.layers.clear();
  }
}
