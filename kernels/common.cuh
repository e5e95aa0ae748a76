// Shared helpers of rnnclust's CUDA kernels. Every kernel is extern "C" so that the Java side finds
// it by name in the fatbin (cuModuleGetFunction) without C++ name mangling.
#pragma once

#include <cuda_runtime.h>
#include <math_constants.h>

#define RNNCLUST_KERNEL extern "C" __global__

// Grid-stride loop over [0, n): every kernel works for any grid size.
#define GRID_STRIDE(i, n) \
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < (n); \
         i += (long long) blockDim.x * gridDim.x)
