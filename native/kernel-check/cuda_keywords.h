// What both host emulations (shim.h, threads_shim.h) need to compile kernels/*.cu as C++: the CUDA
// qualifiers as plain C++, __CUDACC_RTC__ so that common.cuh skips cuda_runtime.h (as under NVRTC),
// the launch-geometry type, and the bit cast RNNCLUST_INF_F uses. Each shim adds its own model of
// threadIdx, blocks and __syncthreads.
#pragma once
#include <string.h>
#define __CUDACC_RTC__ 1
#define __global__
#define __device__
#define __forceinline__ inline
#define __restrict__ __restrict
#define __shared__ static
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))
struct D3 { unsigned x, y, z; };
static inline float __int_as_float(int i) { float f; memcpy(&f, &i, 4); return f; }
