#!/usr/bin/env python3
"""A whole k-means fit in PyTorch on the GPU, the reference for rnnclust's end-to-end fit time.

Lloyd from random starts (K distinct rows, as a PyTorch user would write it: no k-means++), the
GEMM formulation of torch_anchors.py's iteration (addmm + argmin + index_add, chunked), run until
the centres move less than scikit-learn's tolerance (1e-4 times the mean per-feature variance,
summed squared shift) or max_iter. The data is on the device before the clock starts, as
rnnclust's fit time counts from data already in memory.

  torch_kmeans_fit.py X.npy K [--n-init R] [--precision fp32|tf32] [--max-iter 300] [--seed 0]
                      [--device cuda|cpu]   (cpu: to try the script without a GPU)

Prints one JSON line: fit_ms (all R starts), iterations (each start), inertia (the best), device.
"""
import argparse, json, time

import numpy as np
import torch


def lloyd(X, K, max_iter, tol, gen):
    N = X.shape[0]
    C = X[torch.randperm(N, device=X.device, generator=gen)[:K]].clone()
    chunk = max(1, int(1e9 // K))
    for it in range(1, max_iter + 1):
        cc = (C * C).sum(1)
        S = torch.zeros_like(C)
        cnt = torch.zeros(K, device=X.device)
        inertia = torch.zeros((), device=X.device, dtype=torch.float64)
        for s in range(0, N, chunk):
            Xb = X[s:s + chunk]
            d = torch.addmm(cc.unsqueeze(0), Xb, C.t(), beta=1, alpha=-2)
            best, lab = d.min(1)
            inertia += (best + (Xb * Xb).sum(1)).clamp_min(0).double().sum()
            S.index_add_(0, lab, Xb)
            cnt.index_add_(0, lab, torch.ones(lab.shape[0], device=X.device))
        # Empty clusters keep their centre (what a plain implementation does).
        new = torch.where(cnt.unsqueeze(1) > 0, S / cnt.clamp_min(1).unsqueeze(1), C)
        shift = ((new - C) ** 2).sum()
        C = new
        if shift.item() <= tol:
            break
    return C, it, inertia.item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('npy')
    ap.add_argument('k', type=int)
    ap.add_argument('--n-init', type=int, default=1)
    ap.add_argument('--precision', choices=['fp32', 'tf32'], default='fp32')
    ap.add_argument('--max-iter', type=int, default=300)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--device', default='cuda')
    a = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = a.precision == 'tf32'
    cuda = a.device == 'cuda'
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    X = torch.from_numpy(np.load(a.npy).astype(np.float32, copy=False)).to(a.device)
    tol = 1e-4 * X.var(0).mean().item()
    gen = torch.Generator(device=a.device)
    gen.manual_seed(a.seed)
    lloyd(X[:min(len(X), 10000)], min(a.k, 100), 2, tol, gen)  # warm-up: kernels loaded, cuBLAS handle made
    sync()
    t0 = time.perf_counter()
    iterations, best = [], float('inf')
    for _ in range(a.n_init):
        _, it, inertia = lloyd(X, a.k, a.max_iter, tol, gen)
        iterations.append(it)
        best = min(best, inertia)
    sync()
    ms = (time.perf_counter() - t0) * 1e3
    print(json.dumps(dict(n=X.shape[0], d=X.shape[1], k=a.k, n_init=a.n_init, precision=a.precision, fit_ms=ms,
                          iterations=iterations, inertia=best, device=torch.cuda.get_device_name(0) if cuda else 'cpu',
                          torch=torch.__version__)))


if __name__ == '__main__':
    main()
