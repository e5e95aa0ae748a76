// Host emulation of a cooperative CUDA launch, for kernels that synchronise the whole grid (the
// persistent recurrent kernels of kernels/rnn_persist.cu): every thread of every block is a
// std::thread and all of them run at once, as a cooperative launch guarantees on the GPU. Each
// block has its own barrier, dynamic shared memory (hostBlockShared(), which check.sh puts in place
// of the kernel's extern __shared__ array) and shuffle slots; atomics are std::atomic_ref, fences
// seq_cst fences. threads_shim.h, which runs blocks one after another, cannot host a grid barrier.
#pragma once
#include <atomic>
#include <barrier>
#include <cmath>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "cuda_keywords.h"

thread_local D3 threadIdx = {0, 0, 0}, blockIdx = {0, 0, 0};
D3 blockDim = {1, 1, 1}, gridDim = {1, 1, 1};

struct HostBlock {
    std::barrier<> bar;
    std::vector<float> shared;
    std::vector<float> slots;
    HostBlock(unsigned threads, size_t sharedFloats) : bar(threads), shared(sharedFloats), slots(threads) {}
};
thread_local HostBlock *hostBlock;

#define __syncthreads() hostBlock->bar.arrive_and_wait()
static inline float *hostBlockShared() { return hostBlock->shared.data(); }
static inline void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }
// The spinning block gives its core to the others (this machine has fewer cores than threads).
#define RNNCLUST_SPIN_PAUSE() std::this_thread::yield()
template <class T> T __ldcg(const T *p) { return *(const volatile T *) p; }
template <class T, class U> T atomicAdd(T *p, U v) { return std::atomic_ref<T>(*p).fetch_add((T) v); }
template <class T, class U> T atomicExch(T *p, U v) { return std::atomic_ref<T>(*p).exchange((T) v); }

// A warp shuffle as the block's exchange: everyone writes, waits, reads its partner, waits. Every
// thread of the block must reach it, as the kernels here ensure.
static inline float __shfl_xor_sync(unsigned, float v, int laneMask) {
    hostBlock->slots[threadIdx.x] = v;
    __syncthreads();
    float other = hostBlock->slots[threadIdx.x ^ laneMask];
    __syncthreads();
    return other;
}

// Runs body() on grid × block threads at once, with sharedFloats floats of shared memory per block.
template <class F> void launchCooperative(unsigned grid, unsigned block, size_t sharedFloats, F body) {
    gridDim = {grid, 1, 1};
    blockDim = {block, 1, 1};
    std::vector<std::unique_ptr<HostBlock>> blocks;
    for (unsigned b = 0; b < grid; b++) blocks.push_back(std::make_unique<HostBlock>(block, sharedFloats));
    std::vector<std::thread> threads;
    for (unsigned b = 0; b < grid; b++) {
        for (unsigned t = 0; t < block; t++) {
            HostBlock *hb = blocks[b].get();
            threads.emplace_back([b, t, hb, &body] {
                blockIdx = {b, 0, 0};
                threadIdx = {t, 0, 0};
                hostBlock = hb;
                body();
            });
        }
    }
    for (auto &th : threads) th.join();
}
