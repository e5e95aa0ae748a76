// Shared helpers of rnnclust's CUDA kernels. Every kernel is extern "C" so that the Java side finds
// it by name in the fatbin (cuModuleGetFunction) without C++ name mangling.
//
// The same sources are compiled by nvcc at build time and, where the jar's fatbin has no image for
// the GPU, by NVRTC at run time. NVRTC has no toolkit headers on its include path, so nothing here
// may need one: the constants below replace math_constants.h.
#pragma once

#ifndef __CUDACC_RTC__
#include <cuda_runtime.h>
#endif

#define RNNCLUST_KERNEL extern "C" __global__

// +infinity as a float (math_constants.h's CUDART_INF_F, without the header).
#define RNNCLUST_INF_F __int_as_float(0x7f800000)

// Grid-stride loop over [0, n): every kernel works for any grid size.
#define GRID_STRIDE(i, n) \
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < (n); \
         i += (long long) blockDim.x * gridDim.x)
