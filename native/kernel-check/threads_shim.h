// Host emulation of CUDA blocks with one std::thread per CUDA thread, for kernels that need real
// block semantics (shared memory written by one thread and read by another, __syncthreads, warp
// shuffles, atomics), which shim.h's one-thread-per-block emulation cannot give. Blocks run one
// after another, so a function-level `static` array is exactly one block's __shared__ memory.
// Every thread of a block must reach each __syncthreads and each shuffle, as the kernels here do.
#include <algorithm>
#include <atomic>
#include <barrier>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "cuda_keywords.h"

thread_local D3 threadIdx = {0, 0, 0};
D3 blockIdx = {0, 0, 0}, blockDim = {1, 1, 1}, gridDim = {1, 1, 1};
std::barrier<> *blockBarrier;
#define __syncthreads() blockBarrier->arrive_and_wait()
// One barrier per warp of the block, for the warp-level operations below: the warps of a block
// may reach them a different number of times (each warp its own row), as on a GPU.
std::vector<std::barrier<> *> warpBarriers;
static inline void __syncwarp(unsigned = 0xffffffffu) { warpBarriers[threadIdx.x >> 5]->arrive_and_wait(); }

struct float4 { float x, y, z, w; };

// A warp shuffle as the whole block's exchange: everyone writes, waits, reads its partner, waits.
template <class T> T __shfl_xor_sync(unsigned, T v, int laneMask) {
    static T slots[1024];
    slots[threadIdx.x] = v;
    __syncthreads();
    T other = slots[threadIdx.x ^ laneMask];
    __syncthreads();
    return other;
}
template <class T> T __shfl_down_sync(unsigned, T v, int delta) {
    static T slots[1024];
    slots[threadIdx.x] = v;
    __syncthreads();
    unsigned lane = threadIdx.x & 31;
    T other = lane + delta < 32 && threadIdx.x + delta < blockDim.x ? slots[threadIdx.x + delta] : v;
    __syncthreads();
    return other;
}
template <class T, class U> T atomicAdd(T *p, U v) { return std::atomic_ref<T>(*p).fetch_add((T) v); }

// Warp-level exchanges among the 32 threads of a warp only (__syncwarp's barrier).
template <class T> T __shfl_sync(unsigned, T v, int srcLane) {
    static T slots[1024];
    slots[threadIdx.x] = v;
    __syncwarp();
    T other = slots[(threadIdx.x & ~31u) + srcLane];
    __syncwarp();
    return other;
}
static inline unsigned __ballot_sync(unsigned, int predicate) {
    static int slots[1024];
    slots[threadIdx.x] = predicate != 0;
    __syncwarp();
    unsigned first = threadIdx.x & ~31u, bits = 0;
    for (unsigned l = 0; l < 32 && first + l < blockDim.x; l++) bits |= slots[first + l] ? 1u << l : 0u;
    __syncwarp();
    return bits;
}
static inline int __popc(unsigned v) { return __builtin_popcount(v); }
static inline int __ffs(int v) { return __builtin_ffs(v); }
// Rounded operations that nvcc never contracts; the host build compiles with -ffp-contract=off.
static inline float __fsub_rn(float a, float b) { volatile float r = a - b; return r; }
static inline double __dadd_rn(double a, double b) { volatile double r = a + b; return r; }
static inline double __dmul_rn(double a, double b) { volatile double r = a * b; return r; }

// Runs kernel(args...) over grid × block, blocks in turn, each block's threads concurrently.
template <class F> void launch(unsigned grid, unsigned block, F body) {
    gridDim = {grid, 1, 1};
    blockDim = {block, 1, 1};
    for (unsigned b = 0; b < grid; b++) {
        blockIdx = {b, 0, 0};
        std::barrier<> bar(block);
        blockBarrier = &bar;
        std::vector<std::unique_ptr<std::barrier<>>> warps;
        warpBarriers.clear();
        for (unsigned w = 0; w * 32 < block; w++) {
            warps.emplace_back(new std::barrier<>(std::min(32u, block - w * 32)));
            warpBarriers.push_back(warps.back().get());
        }
        std::vector<std::thread> threads;
        for (unsigned t = 0; t < block; t++) threads.emplace_back([t, &body] { threadIdx = {t, 0, 0}; body(); });
        for (auto &th : threads) th.join();
    }
}
