"""Training throughput of the graph VAE and its two predictors in PyTorch: the reference for
bench/train.ts (never part of the product).

Mirrors packages/graph-vae (model.ts, loss.ts, graph-vae-session.ts) layer for layer:
  encoder: embed Dense(classes -> h) + ReLU, masked; `gnn-layers` rounds of
    h <- (h + ReLU(Dense(3h -> h)([h, A^T h, A h]))) * mask;
    readout [mean over real nodes, output node state] -> mu, logvar: Dense(2h -> z)
  decoder: Dense(z -> 2h) + ReLU, Dense(2h -> 2h) + ReLU, then Dense(2h -> nodes * classes)
    (node logits) and Dense(2h -> nodes * nodes) (edge logits)
  predictors on mu: Dense(z -> h) + ReLU + Dense(h -> 1), for accuracy and for FLOPs
  loss: node cross-entropy (mean) + edge binary cross-entropy over the pairs i < j + beta * KL
    + MSE of both predictors on the labelled graphs (the first `labelled-batch` of the batch);
    the decoder reads a reparameterised sample, the predictors read mu
  step: `labelled-batch` graphs drawn from the labelled set and `unlabelled-batch` from the
    whole space, gathered from tensors that hold them all, one Adam (lr 1e-3) step.
Glorot-uniform weights, zero biases, as the TF.js model. The graphs are random one-hot node
classes and random forward edges (the values do not change the work done).

  python3 bench/pytorch/graph_vae.py --threads 1

Prints one JSON object on stdout: params, graphs/s (samples/s) of every repeat, their median.
"""

import argparse
import json
import statistics
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F


def dense(inputs, outputs):
    layer = nn.Linear(inputs, outputs)
    nn.init.xavier_uniform_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


class GraphVae(nn.Module):
    def __init__(self, classes, nodes, hidden, latent, gnn_layers):
        super().__init__()
        self.classes, self.nodes = classes, nodes
        h, z = hidden, latent
        self.embed = dense(classes, h)
        self.gnn = nn.ModuleList(dense(3 * h, h) for _ in range(gnn_layers))
        self.mu = dense(2 * h, z)
        self.logvar = dense(2 * h, z)
        self.dec1 = dense(z, 2 * h)
        self.dec2 = dense(2 * h, 2 * h)
        self.dec_nodes = dense(2 * h, nodes * classes)
        self.dec_edges = dense(2 * h, nodes * nodes)
        self.acc1, self.acc2 = dense(z, h), dense(h, 1)
        self.flops1, self.flops2 = dense(z, h), dense(h, 1)

    def encode(self, nodes, adjacency, mask):
        mask3 = mask.unsqueeze(2)
        h = F.relu(self.embed(nodes)) * mask3
        incoming = adjacency.transpose(1, 2)
        for layer in self.gnn:
            update = layer(torch.cat([h, incoming @ h, adjacency @ h], 2))
            h = (h + F.relu(update)) * mask3
        mean = h.sum(1) / mask.sum(1, keepdim=True)
        graph = torch.cat([mean, h[:, -1, :]], 1)
        return self.mu(graph), self.logvar(graph)

    def decode(self, z):
        hidden = F.relu(self.dec2(F.relu(self.dec1(z))))
        b = z.shape[0]
        return (
            self.dec_nodes(hidden).reshape(b, self.nodes, self.classes),
            self.dec_edges(hidden).reshape(b, self.nodes, self.nodes),
        )

    def predict_accuracy(self, mu):
        return self.acc2(F.relu(self.acc1(mu))).reshape(-1)

    def predict_flops(self, mu):
        return self.flops2(F.relu(self.flops1(mu))).reshape(-1)


def joint_loss(model, nodes, adjacency, mask, acc_targets, flops_targets, pairs, beta):
    mu, logvar = model.encode(nodes, adjacency, mask)
    z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
    node_logits, edge_logits = model.decode(z)
    node_loss = -(nodes * F.log_softmax(node_logits, 2)).sum(2).mean()
    edge_bce = F.binary_cross_entropy_with_logits(edge_logits, adjacency, reduction="none")
    edge_loss = (edge_bce * pairs).sum() / (pairs.sum() * adjacency.shape[0])
    kl = (-0.5 * (1 + logvar - mu.square() - logvar.exp()).sum(1)).mean()
    labelled = mu[: acc_targets.shape[0]]
    acc_loss = F.mse_loss(model.predict_accuracy(labelled), acc_targets)
    flops_loss = F.mse_loss(model.predict_flops(labelled), flops_targets)
    return node_loss + edge_loss + beta * kl + acc_loss + flops_loss


def random_graphs(count, classes, nodes, generator):
    labels = torch.randint(1, classes - 1, (count, nodes), generator=generator)
    labels[:, 0] = 0
    labels[:, -1] = classes - 1
    one_hot = F.one_hot(labels, classes).float()
    adjacency = torch.triu((torch.rand(count, nodes, nodes, generator=generator) < 0.4).float(), 1)
    return one_hot, adjacency, torch.ones(count, nodes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # Defaults: packages/graph-vae's defaultGraphVaeConfig on the NAS-Bench-201 space
    # (7 node classes: input, 5 operations, output; 8 nodes).
    parser.add_argument("--classes", type=int, default=7)
    parser.add_argument("--nodes", type=int, default=8)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--latent", type=int, default=56)
    parser.add_argument("--gnn-layers", type=int, default=3)
    parser.add_argument("--beta", type=float, default=0.005)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--unlabelled-batch", type=int, default=64)
    parser.add_argument("--labelled-batch", type=int, default=32)
    parser.add_argument("--space-size", type=int, default=15625, help="unlabelled graphs held")
    parser.add_argument("--labelled", type=int, default=100, help="labelled graphs held")
    parser.add_argument("--warmup", type=int, default=20, help="untimed steps first")
    parser.add_argument("--steps", type=int, default=100, help="timed steps per repeat")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    device = torch.device(args.device)
    model = GraphVae(args.classes, args.nodes, args.hidden, args.latent, args.gnn_layers).to(device)
    params = sum(p.numel() for p in model.parameters())
    optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
    space = [t.to(device) for t in random_graphs(args.space_size, args.classes, args.nodes, generator)]
    labelled = [t.to(device) for t in random_graphs(args.labelled, args.classes, args.nodes, generator)]
    acc_all = torch.randn(args.labelled, generator=generator).to(device)
    flops_all = torch.randn(args.labelled, generator=generator).to(device)
    pairs = torch.triu(torch.ones(args.nodes, args.nodes), 1).to(device)
    labelled_batch = min(args.labelled_batch, 2 * args.labelled)
    per_step = labelled_batch + args.unlabelled_batch

    def step():
        li = torch.randint(0, args.labelled, (labelled_batch,), generator=generator).to(device)
        ui = torch.randint(0, args.space_size, (args.unlabelled_batch,), generator=generator).to(device)
        nodes, adjacency, mask = (
            torch.cat([l.index_select(0, li), s.index_select(0, ui)])
            for l, s in zip(labelled, space)
        )
        optimizer.zero_grad(set_to_none=True)
        loss = joint_loss(
            model,
            nodes,
            adjacency,
            mask,
            acc_all.index_select(0, li),
            flops_all.index_select(0, li),
            pairs,
            args.beta,
        )
        loss.backward()
        optimizer.step()
        return loss

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize()

    for _ in range(args.warmup):
        step()
    sync()
    rates = []
    cpu_rates = []
    loss = None
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        c0 = time.process_time()
        for _ in range(args.steps):
            loss = step()
        sync()
        elapsed = time.perf_counter() - t0
        rates.append(args.steps * per_step / elapsed)
        cpu_rates.append(args.steps * per_step / (time.process_time() - c0))
    json.dump(
        {
            "framework": f"pytorch {torch.__version__}",
            "device": args.device,
            "threads": torch.get_num_threads(),
            "params": params,
            "graphsPerStep": per_step,
            "warmup": args.warmup,
            "steps": args.steps,
            "samplesPerSecond": rates,
            "median": statistics.median(rates),
            # The same samples over the process's CPU time (user + system, all threads).
            "samplesPerCpuSecond": cpu_rates,
            "lastLoss": float(loss) if loss is not None else None,
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
