#include <math.h>
#include <stddef.h>
#define __CUDACC_RTC__ 1
#define __global__
#define __device__
#define __forceinline__ inline
#define __restrict__ __restrict
#define __shared__ static
struct D3 { unsigned x, y, z; };
static D3 threadIdx = {0,0,0}, blockIdx = {0,0,0}, blockDim = {1,1,1}, gridDim = {1,1,1};
#define __syncthreads()
static inline float __fadd_rn(float a, float b) { volatile float r = a + b; return r; }
static inline float __fsub_rn(float a, float b) { volatile float r = a - b; return r; }
static inline float __fmul_rn(float a, float b) { volatile float r = a * b; return r; }
static inline float __fdiv_rn(float a, float b) { volatile float r = a / b; return r; }
static inline float __fsqrt_rn(float a) { return sqrtf(a); }
static inline float __int_as_float(int i) { float f; __builtin_memcpy(&f, &i, 4); return f; }
