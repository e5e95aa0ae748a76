#!/usr/bin/python3
"""PyTorch CPU reference for rnnclust's recurrent benchmark: one layer, batch_first, full-length
sequences; forward, and a training step = forward + backward of (out * R).sum() with the input
gradient (x.requires_grad_()), the same work `rnnclust bench --rnn` times.

    /usr/bin/python3 bench/torch_cpu_rnn.py CELL B T I H [repeats]

Prints one JSON line with the median ms of each. Threads: TORCH_THREADS, default all cores (this torch build would otherwise use 1).
"""
import json
import os
import statistics
import sys
import time

import torch

cell, b, t, i, h = sys.argv[1], *map(int, sys.argv[2:6])
repeats = int(sys.argv[6]) if len(sys.argv) > 6 else 7
torch.set_num_threads(int(os.environ.get("TORCH_THREADS", os.cpu_count())))
torch.manual_seed(0)
layer = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[cell](i, h, batch_first=True)
x = torch.randn(b, t, i, requires_grad=True)
r = torch.randn(b, t, h)


def forward():
    with torch.no_grad():
        layer(x)


def train_step():
    layer.zero_grad()
    x.grad = None
    out, _ = layer(x)
    (out * r).sum().backward()


def timed(fn):
    for _ in range(3):
        fn()
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(runs)


print(json.dumps({"cell": cell, "shape": [b, t, i, h], "threads": torch.get_num_threads(),
                  "torch": torch.__version__, "forward_ms": timed(forward), "train_step_ms": timed(train_step)}))
