#!/usr/bin/env python3
"""Writes DIR/block.npy, one block of 1,024 float32 series of 1,024 steps in three shapes (sine,
square, ramp; a phase per series), and DIR/big.npy, that block repeated to about MB megabytes.
The standard library only (no numpy). Used by ci/streaming-embed.sh and bench/compare-streaming.sh.

    python3 ci/npy_blocks.py DIR MB
"""
import array
import math
import struct
import sys

work, mb = sys.argv[1], int(sys.argv[2])
n, t = 1024, 1024
block = array.array('f')
for i in range(n):
    shape, phase = i % 3, (i * 0.61803) % 1.0
    for s in range(t):
        x = (s / t + phase) % 1.0
        block.append(math.sin(2 * math.pi * 3 * x) if shape == 0 else (1.0 if x < 0.5 else -1.0) if shape == 1 else 2 * x - 1)
data = block.tobytes()


def write(path, rows):
    head = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (rows, t)
    pad = (10 + len(head) + 1 + 63) // 64 * 64 - 10 - len(head) - 1
    with open(path, 'wb') as f:
        f.write(b'\x93NUMPY\x01\x00' + struct.pack('<H', len(head) + pad + 1) + (head + ' ' * pad + '\n').encode())
        for _ in range(rows // n):
            f.write(data)


write(work + '/block.npy', n)
write(work + '/big.npy', n * max(1, mb * 1000 * 1000 // len(data)))
