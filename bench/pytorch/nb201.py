"""Training throughput of the NAS-Bench-201 macro network in PyTorch: the reference for
bench/train.ts (never part of the product).

The network is NAS-Bench-201's (and packages/search-space's networkCost):
  stem: conv3x3 (3 -> C, no bias) + BN
  3 stages of N cells at C, 2C, 4C channels; between stages a residual block:
    ReLU-conv3x3 stride 2 + BN, ReLU-conv3x3 + BN, shortcut AvgPool2d(2) + conv1x1 (no BN)
  head: BN + ReLU + global average pool + linear 4C -> classes
Cell edges: nor_conv_kxk = ReLU-conv kxk (no bias)-BN, avg_pool_3x3 (count_include_pad=False),
skip_connect, none (zero). Node j = sum of op(i -> j)(node i) over i < j; node 3 is the output.
Training: SGD with Nesterov momentum 0.9, weight decay 5e-4, cross-entropy, random input.

  python3 bench/pytorch/nb201.py --arch '|nor_conv_3x3~0|+|...|' --cells 5 --threads 1

Prints one JSON object on stdout: params, samples/s of every repeat, their median.
"""

import argparse
import json
import statistics
import sys
import time

import torch
from torch import nn


class ReLUConvBN(nn.Sequential):
    def __init__(self, cin, cout, kernel, stride=1):
        super().__init__(
            nn.ReLU(inplace=False),
            nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2, bias=False),
            nn.BatchNorm2d(cout),
        )


class Zero(nn.Module):
    def forward(self, x):
        return x.mul(0.0)


def operation(name, channels):
    if name == "none":
        return Zero()
    if name == "skip_connect":
        return nn.Identity()
    if name == "nor_conv_1x1":
        return ReLUConvBN(channels, channels, 1)
    if name == "nor_conv_3x3":
        return ReLUConvBN(channels, channels, 3)
    if name == "avg_pool_3x3":
        return nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)
    raise ValueError(f"unknown NAS-Bench-201 operation {name!r}")


def parse_arch(arch):
    """'|a~0|+|b~0|c~1|+|d~0|e~1|f~2|' -> [[(a, 0)], [(b, 0), (c, 1)], [(d, 0), (e, 1), (f, 2)]]"""
    nodes = []
    for part in arch.split("+"):
        inputs = []
        for token in part.strip("|").split("|"):
            op, source = token.split("~")
            inputs.append((op, int(source)))
        nodes.append(inputs)
    if [len(n) for n in nodes] != [1, 2, 3]:
        raise ValueError(f"not a NAS-Bench-201 architecture string: {arch}")
    return nodes


class Cell(nn.Module):
    def __init__(self, nodes, channels):
        super().__init__()
        self.sources = [[source for _, source in inputs] for inputs in nodes]
        self.edges = nn.ModuleList(
            nn.ModuleList(operation(op, channels) for op, _ in inputs) for inputs in nodes
        )

    def forward(self, x):
        states = [x]
        for sources, ops in zip(self.sources, self.edges):
            states.append(sum(op(states[s]) for s, op in zip(sources, ops)))
        return states[-1]


class ResidualBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv_a = ReLUConvBN(cin, cout, 3, stride=2)
        self.conv_b = ReLUConvBN(cout, cout, 3)
        self.shortcut = nn.Sequential(
            nn.AvgPool2d(2, stride=2, padding=0),
            nn.Conv2d(cin, cout, 1, bias=False),
        )

    def forward(self, x):
        return self.shortcut(x) + self.conv_b(self.conv_a(x))


class Network(nn.Module):
    def __init__(self, arch, cells, channels, classes):
        super().__init__()
        nodes = parse_arch(arch)
        layers = [nn.Conv2d(3, channels, 3, padding=1, bias=False), nn.BatchNorm2d(channels)]
        for stage in range(3):
            c = channels * 2**stage
            if stage > 0:
                layers.append(ResidualBlock(c // 2, c))
            layers.extend(Cell(nodes, c) for _ in range(cells))
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.BatchNorm2d(4 * channels), nn.ReLU(inplace=True))
        self.classifier = nn.Linear(4 * channels, classes)

    def forward(self, x):
        x = self.head(self.features(x))
        return self.classifier(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arch", required=True)
    parser.add_argument("--cells", type=int, default=5, help="N, cells per stage")
    parser.add_argument("--channels", type=int, default=16, help="C")
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--image-size", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=2, help="untimed batches first")
    parser.add_argument("--batches", type=int, default=10, help="timed batches per repeat")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    model = Network(args.arch, args.cells, args.channels, args.classes).to(device)
    model.train()
    params = sum(p.numel() for p in model.parameters())
    optimizer = torch.optim.SGD(
        model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4
    )
    loss_fn = nn.CrossEntropyLoss()
    # A few distinct random batches, made up front so that input generation is not timed.
    shape = (args.batch_size, 3, args.image_size, args.image_size)
    batches = [
        (torch.randn(shape, device=device), torch.randint(0, args.classes, (args.batch_size,), device=device))
        for _ in range(4)
    ]

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize()

    def step(i):
        x, y = batches[i % len(batches)]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    for i in range(args.warmup):
        step(i)
    sync()
    rates = []
    cpu_rates = []
    loss = None
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        c0 = time.process_time()
        for i in range(args.batches):
            loss = step(i)
        sync()
        elapsed = time.perf_counter() - t0
        rates.append(args.batches * args.batch_size / elapsed)
        cpu_rates.append(args.batches * args.batch_size / (time.process_time() - c0))
    json.dump(
        {
            "framework": f"pytorch {torch.__version__}",
            "device": args.device,
            "threads": torch.get_num_threads(),
            "params": params,
            "batchSize": args.batch_size,
            "warmup": args.warmup,
            "batches": args.batches,
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
