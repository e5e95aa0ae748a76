// k-means assignment on tensor cores (sm_80 and newer): the nearest centroid of each point and its
// squared distance, as kmeans.cu's nearestCentroids computes them, with the products X·Cᵀ taken by
// mma.sync m16n8k8 in TF32 (one product per pair) or 3xTF32 (each operand split into a TF32 part
// and a TF32 residual; big·big + big·small + small·big, about FP32 accuracy).
//
// The tensor cores only choose: for each point the kernel keeps the three smallest ‖c‖² − 2x·c
// (two with their index) and knows, from the bound derived below, how far those values may lie from
// the values nearestCentroids computes. Where the runner-up is further than the bound, the winner
// is the FP32 kernel's winner; where only the runner-up is within it, the two are recomputed in FP32
// here; where a third is within it too, the point goes into a list that kmeans.cu's
// nearestCentroidsListed (the FP32 kernel over listed rows) then assigns. The winner's distance is
// always recomputed in FP32 in nearestCentroids' own order (one fmaf per dimension, from 0), so every
// point gets the FP32 kernel's index and distance, bit for bit: the precision changes the speed,
// never the result. counts[0] is the length of the list (per launch), counts[1] adds up the listed
// points and counts[2] the points whose two candidates were recomputed, for benchmarks to report.
//
// Error bound (why an unflagged winner is the FP32 kernel's winner). For a point x and centroid c_j
// of dimension d let e_j = cn_j − 2·x·c_j, exact, with cn_j the FP32 norm both kernels read; let
// S_j = Σ|x_i·c_ji| ≤ ‖x‖·‖c_j‖, u = 2⁻²⁴ (FP32) and τ = 2⁻¹¹ (cvt.rna to TF32, 10 mantissa bits,
// round to nearest, ties away: |rna(v) − v| ≤ τ|v|).
// * FP32 kernel: acc is a chain of d fmaf, |acc − x·c_j| ≤ γ_d·S_j with γ_d = d·u/(1 − d·u); then
//   f_j = fmaf(−2, acc, cn_j) adds u·|cn_j − 2acc|:  |f_j − e_j| ≤ 2γ_d·S_j + u·(cn_j + 2(1 + γ_d)·S_j).
// * Inputs to the tensor cores: TF32, x̃·c̃ − x·c is at most (2τ + τ²)·S_j. 3xTF32, x = x_b + x_s
//   exactly (x_s = x − rna(x), |x_s| ≤ τ|x|), x̃_s = rna(x_s): the three products miss
//   x_b(c_s − c̃_s) + (x_s − x̃_s)c_b + x_s·c_s, at most (3 + 2τ)·τ²·S_j; the magnitudes summed are at
//   most (1 + τ)²·S_j (TF32) and (1 + τ)²(1 + 2τ)·S_j (3xTF32).
// * Accumulation: the PTX ISA leaves the rounding inside mma unspecified. The model here: products
//   exact (11 × 11 significant bits fit FP32), each of the 9 addends of one m16n8k8 step (8 products
//   and the accumulator) aligned to the largest and cut to 24 bits, the sum cut again, so one step
//   errs by at most ε·(|acc| + Σ|p|) with ε = 10·2⁻²³, meant to cover the truncating adders
//   published measurements found in Volta and Ampere tensor cores (CudaTensorCoreAssignmentTest
//   checks the outcome on the GPU at hand). m steps (m = ⌈d/8⌉, 3m for 3xTF32, all into one
//   accumulator) give at most γ̂·Σ|p| with γ̂ = mε/(1 − mε). With η = input error + γ̂·magnitude (per unit S_j):
//   |t_j − e_j| ≤ 2η·S_j + u·(cn_j + 2(1 + η)·S_j).
// * If t_2 − t_1 > 2(E_tc + E_f) (E the two bounds above, maximised over j), every other j has
//   f_j ≥ t_j − E_tc − E_f > t_1 + E_tc + E_f ≥ f_{1}: the FP32 kernel's minimum is strictly at the
//   tensor cores' winner. The same with t_3 instead of t_2 leaves only the two candidates.
//   So the threshold is  thr = A·‖x‖·C + B·cnMax  with C = max‖c_j‖, cnMax = max cn_j and
//   A = 2·(2η + 2γ_d + 2u·(2 + η + γ_d)),  B = 4u.
//   The kernel reads ‖x‖² as the FP32 norm xn ≥ (1 − γ_d)‖x‖² (all terms positive) and C² from
//   max cn_j the same way, hence ‖x‖·C ≤ sqrt(xn·cnMax)/(1 − γ_d); A and B are taken 2⁻¹⁰ larger to
//   cover the few float roundings of the threshold itself and of t_2 − t_1. Below the normal range
//   the relative bounds fail: a subnormal operand keeps only the TF32 bits of its FP32 pattern (or
//   is flushed), off by less than 2⁻¹²⁶, and a product may underflow; 8·2⁻¹²⁶·sqrt(d)·(‖x‖ + C)
//   and 24·d·2⁻¹²⁶ are added for them (nothing, for data of ordinary size).
//   The bound is worst case (all roundings one way). Evaluated in double on Gaussian data at the
//   benchmark shapes over four Lloyd steps, it sends 3-18 % of the points to the pair re-check with
//   TF32 (0.1-4 % to the list), 0.04-1.4 % with 3xTF32 (almost none listed).
#include "common.cuh"

// Tile shape: TC_ROWS points per block, each of its 4 warps 32 points (two m16 tiles) × TC_COLS
// centroids (eight n8 tiles) per pass over the centroids, dimensions staged TC_DEPTH at a time
// (two k8 steps) through double-buffered shared memory. Every warp covers every column of a pass,
// so a pass over the last, partial block of centroids skips its empty n8 tiles in every warp: k
// is padded to a multiple of 8, not of TC_COLS (k = 100: 104 columns of work).
// TC_COLS 128 halves the reloads of each x tile from L2 (one per pass) but takes 245-255 registers
// (the scalar-load kernels then spill): a choice to time on the GPU. CudaCentroidIndex knows only
// TC_ROWS and TC_THREADS.
#define TC_ROWS 128
#define TC_COLS 64
#define TC_DEPTH 16
#define TC_THREADS 128
// Per thread and stage: the x slab's share and the centroid slab's, in floats.
#define TC_X_SHARE (TC_ROWS * TC_DEPTH / TC_THREADS)
#define TC_C_SHARE (TC_COLS * TC_DEPTH / TC_THREADS)

#ifndef RNNCLUST_HOST_MMA
// v rounded to TF32 (round to nearest, ties away from zero), as the bits of an FP32 value.
__device__ __forceinline__ unsigned tf32Round(float v) {
    unsigned r;
    asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(v));
    return r;
}

// acc += A·B for one 16 × 8 × 8 tile, A row-major and B column-major, in this lane's fragments.
__device__ __forceinline__ void mmaTf32(float (&acc)[4], const unsigned (&a)[4], unsigned b0, unsigned b1) {
    asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(acc[0]), "+f"(acc[1]), "+f"(acc[2]), "+f"(acc[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}
#endif

// The big and small TF32 parts of v: v − big is exact in FP32, and small is its TF32 rounding.
__device__ __forceinline__ void tf32Split(float v, unsigned &big, unsigned &small) {
    big = tf32Round(v);
    small = tf32Round(v - __uint_as_float(big));
}

// Keeps the three smallest values seen (s1 ≤ s2 ≤ s3) and the indices of the first two. Which of
// equal values is kept does not matter: equal values are within any threshold, so they are
// recomputed in FP32.
__device__ __forceinline__ void keepThree(float v, int i, float &s1, int &i1, float &s2, int &i2, float &s3) {
    if (v < s3) {
        if (v < s2) {
            s3 = s2;
            if (v < s1) { s2 = s1; i2 = i1; s1 = v; i1 = i; }
            else { s2 = v; i2 = i; }
        } else {
            s3 = v;
        }
    }
}

// x·c over d dimensions as nearestCentroids sums it: fmaf after fmaf in dimension order from 0.
template <bool VEC>
__device__ __forceinline__ float fp32Dot(const float *__restrict__ a, const float *__restrict__ b, int d) {
    float acc = 0.f;
    if (VEC) {
        for (int t = 0; t < d; t += 4) {
            const float4 p = *(const float4 *) (a + t);
            const float4 q = *(const float4 *) (b + t);
            acc = fmaf(p.x, q.x, acc);
            acc = fmaf(p.y, q.y, acc);
            acc = fmaf(p.z, q.z, acc);
            acc = fmaf(p.w, q.w, acc);
        }
    } else {
        for (int t = 0; t < d; t++) acc = fmaf(a[t], b[t], acc);
    }
    return acc;
}

// The threshold's coefficients (see the bound at the top): thr = scale·sqrt(xn) + lift, for a
// largest centroid norm cnMax. +inf (every point recomputed) where the model's γ̂ has no meaning.
__device__ __forceinline__ void tcThreshold(int d, bool split, float cnMax, float &scale, float &lift) {
    const float u = 5.9604645e-8f;    // 2^-24
    const float tau = 4.8828125e-4f;  // 2^-11
    const float eps = 1.1920929e-6f;  // 10 · 2^-23, one m16n8k8 step
    const float m = (float) ((d + 7) / 8) * (split ? 3.f : 1.f);
    const float gd = (float) d * u;
    if (m * eps >= 0.25f || gd >= 0.25f) {
        scale = RNNCLUST_INF_F;
        lift = RNNCLUST_INF_F;
        return;
    }
    const float gammaHat = m * eps / (1.f - m * eps);
    const float gammaD = gd / (1.f - gd);
    const float input = split ? (3.f + 2.f * tau) * tau * tau : (2.f + tau) * tau;
    const float magnitude = split ? (1.f + tau) * (1.f + tau) * (1.f + 2.f * tau) : (1.f + tau) * (1.f + tau);
    const float eta = input + gammaHat * magnitude;
    const float margin = 1.f + 9.765625e-4f;  // 1 + 2^-10
    const float a = 2.f * (2.f * eta + 2.f * gammaD + 2.f * u * (2.f + eta + gammaD));
    const float tiny = 1.1754944e-38f;  // 2^-126
    const float subnormal = 8.f * tiny * sqrtf((float) d);
    scale = a * sqrtf(cnMax) / (1.f - gammaD) * margin + 2.f * subnormal;  // 2 ≥ 1/sqrt(1 − γ_d)
    lift = 4.f * u * cnMax * margin + (float) d * 24.f * tiny + 2.f * subnormal * sqrtf(cnMax);
}

// One block: TC_ROWS points against all k centroids. SPLIT: 3xTF32, else TF32. VEC: float4 loads
// (d a multiple of 4, x and c 16-byte aligned). x, rowNorms, nearest and dist are indexed by
// rowOffset + point; recheck receives chunk rows (point indices without rowOffset).
template <bool VEC, bool SPLIT>
__device__ __forceinline__ void nearestCentroidsTcBody(const float *__restrict__ x, int rows, int d,
                                                       const float *__restrict__ c, int k,
                                                       const float *__restrict__ centroidNorms,
                                                       const float *__restrict__ rowNorms, int *__restrict__ nearest,
                                                       float *__restrict__ dist, int *__restrict__ recheck,
                                                       unsigned *__restrict__ counts, long long rowOffset) {
    __shared__ __align__(16) float xs[2][TC_ROWS * TC_DEPTH];
    __shared__ __align__(16) float cs[2][TC_COLS * TC_DEPTH];
    __shared__ float warpMax[TC_THREADS / 32];
    __shared__ unsigned blockCounts[2];
    const int tid = threadIdx.x;
    const int lane = tid & 31;
    const int warp = tid >> 5;
    const int g = lane >> 2;  // the fragment's groupID
    const int t = lane & 3;   // its threadID_in_group
    const long long rowBase = (long long) blockIdx.x * TC_ROWS;
    const float *xb = x + rowOffset * d;

    // The largest centroid norm, for the threshold.
    float cnMax = 0.f;
        for (int j = tid; j < k; j += TC_THREADS) cnMax = fmaxf(cnMax, centroidNorms[j]);
    #pragma unroll
    for (int off = 16; off > 0; off >>= 1) cnMax = fmaxf(cnMax, __shfl_xor_sync(0xffffffffu, cnMax, off));
    if (lane == 0) warpMax[warp] = cnMax;
    if (tid < 2) blockCounts[tid] = 0u;
    __syncthreads();
    #pragma unroll
    for (int w = 0; w < TC_THREADS / 32; w++) cnMax = fmaxf(cnMax, warpMax[w]);

    // Row slot q = 2·mi + h of this lane: point warp·32 + mi·16 + h·8 + g of the block.
    float s1[4], s2[4], s3[4];
    int i1[4], i2[4];
    #pragma unroll
    for (int q = 0; q < 4; q++) { s1[q] = s2[q] = s3[q] = RNNCLUST_INF_F; i1[q] = i2[q] = -1; }
    const int stages = (d + TC_DEPTH - 1) / TC_DEPTH;

    for (int colBase = 0; colBase < k; colBase += TC_COLS) {
        // n8 tiles of this pass that hold at least one centroid: the same in every warp.
        const int tiles = k - colBase >= TC_COLS ? TC_COLS / 8 : (k - colBase + 7) / 8;
        float acc[2][TC_COLS / 8][4];
        #pragma unroll
        for (int mi = 0; mi < 2; mi++)
            #pragma unroll
            for (int j = 0; j < TC_COLS / 8; j++)
                #pragma unroll
                for (int e = 0; e < 4; e++) acc[mi][j][e] = 0.f;
        // A slab is row-major, TC_DEPTH floats a row (the global layout): as float4s, vector f is
        // (row f / 4, dimensions 4·(f % 4) + 0..3) and lands at float 4f; as floats, element e is
        // (row e / TC_DEPTH, dimension e % TC_DEPTH) at float e. Out-of-range rows, centroids and
        // dimensions load as 0 (a zero product changes no sum).
        float xe[TC_X_SHARE], ce[TC_C_SHARE];
        #define TC_LOAD(s)                                                                          \
            if (VEC) {                                                                              \
                for (int l = 0; l < TC_X_SHARE / 4; l++) {                                          \
                    const int f = tid + l * TC_THREADS;                                             \
                    const long long gr = rowBase + f / 4;                                           \
                    const int dim = (s) * TC_DEPTH + (f % 4) * 4;                                   \
                    float4 v; /* no make_float4: NVRTC compiles this file without headers */        \
                    v.x = v.y = v.z = v.w = 0.f;                                                    \
                    if (gr < rows && dim < d) v = *(const float4 *) (xb + gr * d + dim);            \
                    xe[4 * l] = v.x; xe[4 * l + 1] = v.y; xe[4 * l + 2] = v.z; xe[4 * l + 3] = v.w; \
                }                                                                                   \
                for (int l = 0; l < TC_C_SHARE / 4; l++) {                                          \
                    const int f = tid + l * TC_THREADS;                                             \
                    const int gc = colBase + f / 4;                                                 \
                    const int dim = (s) * TC_DEPTH + (f % 4) * 4;                                   \
                    float4 v;                                                                       \
                    v.x = v.y = v.z = v.w = 0.f;                                                    \
                    if (gc < k && dim < d) v = *(const float4 *) (c + (long long) gc * d + dim);    \
                    ce[4 * l] = v.x; ce[4 * l + 1] = v.y; ce[4 * l + 2] = v.z; ce[4 * l + 3] = v.w; \
                }                                                                                   \
            } else {                                                                                \
                for (int l = 0; l < TC_X_SHARE; l++) {                                              \
                    const int e = tid + l * TC_THREADS;                                             \
                    const long long gr = rowBase + e / TC_DEPTH;                                    \
                    const int dim = (s) * TC_DEPTH + e % TC_DEPTH;                                  \
                    xe[l] = (gr < rows && dim < d) ? xb[gr * d + dim] : 0.f;                        \
                }                                                                                   \
                for (int l = 0; l < TC_C_SHARE; l++) {                                              \
                    const int e = tid + l * TC_THREADS;                                             \
                    const int gc = colBase + e / TC_DEPTH;                                          \
                    const int dim = (s) * TC_DEPTH + e % TC_DEPTH;                                  \
                    ce[l] = (gc < k && dim < d) ? c[(long long) gc * d + dim] : 0.f;                \
                }                                                                                   \
            }
        #define TC_STORE(buf)                                                                       \
            if (VEC) {                                                                              \
                for (int l = 0; l < TC_X_SHARE / 4; l++) {                                          \
                    float4 v;                                                                       \
                    v.x = xe[4 * l]; v.y = xe[4 * l + 1]; v.z = xe[4 * l + 2]; v.w = xe[4 * l + 3]; \
                    *(float4 *) &xs[buf][4 * (tid + l * TC_THREADS)] = v;                           \
                }                                                                                   \
                for (int l = 0; l < TC_C_SHARE / 4; l++) {                                          \
                    float4 v;                                                                       \
                    v.x = ce[4 * l]; v.y = ce[4 * l + 1]; v.z = ce[4 * l + 2]; v.w = ce[4 * l + 3]; \
                    *(float4 *) &cs[buf][4 * (tid + l * TC_THREADS)] = v;                           \
                }                                                                                   \
            } else {                                                                                \
                for (int l = 0; l < TC_X_SHARE; l++) xs[buf][tid + l * TC_THREADS] = xe[l];         \
                for (int l = 0; l < TC_C_SHARE; l++) cs[buf][tid + l * TC_THREADS] = ce[l];         \
            }
        TC_LOAD(0)
        TC_STORE(0)
        __syncthreads();
        for (int s = 0; s < stages; s++) {
            const int buf = s & 1;
            if (s + 1 < stages) { TC_LOAD(s + 1) }
            // The stage's 16 dimensions feed two k8 steps. Lane (g, t) reads dimensions 4t..4t+3 of
            // its rows with one float4 (consecutive lanes, consecutive vectors: no bank conflict),
            // and the k slot of each is permuted alike in A and B: in step ks, slot t is dimension
            // 4t + 2ks and slot t + 4 is 4t + 2ks + 1. The sum over k does not see the order.
            unsigned a[2][2][4], as[2][2][4];  // [m tile][k step][fragment register]; as: 3xTF32 residuals
            #pragma unroll
            for (int mi = 0; mi < 2; mi++) {
                const int row = warp * 32 + mi * 16 + g;
                const float4 lo = *(const float4 *) &xs[buf][row * TC_DEPTH + 4 * t];
                const float4 hi = *(const float4 *) &xs[buf][(row + 8) * TC_DEPTH + 4 * t];
                const float v[2][4] = {{lo.x, hi.x, lo.y, hi.y}, {lo.z, hi.z, lo.w, hi.w}};
                #pragma unroll
                for (int ks = 0; ks < 2; ks++)
                    #pragma unroll
                    for (int r = 0; r < 4; r++) {
                        if (SPLIT) tf32Split(v[ks][r], a[mi][ks][r], as[mi][ks][r]);
                        else a[mi][ks][r] = tf32Round(v[ks][r]);
                    }
            }
            #pragma unroll
            for (int j = 0; j < TC_COLS / 8; j++) {
                if (j >= tiles) continue;  // a block-wide condition
                const float4 bv = *(const float4 *) &cs[buf][(j * 8 + g) * TC_DEPTH + 4 * t];
                const float w[2][2] = {{bv.x, bv.y}, {bv.z, bv.w}};
                #pragma unroll
                for (int ks = 0; ks < 2; ks++) {
                    unsigned b0, b1, bs0, bs1;
                    if (SPLIT) {
                        tf32Split(w[ks][0], b0, bs0);
                        tf32Split(w[ks][1], b1, bs1);
                    } else {
                        b0 = tf32Round(w[ks][0]);
                        b1 = tf32Round(w[ks][1]);
                    }
                    #pragma unroll
                    for (int mi = 0; mi < 2; mi++) {
                        if (SPLIT) {  // the small terms first, into the same accumulator
                            mmaTf32(acc[mi][j], as[mi][ks], b0, b1);
                            mmaTf32(acc[mi][j], a[mi][ks], bs0, bs1);
                        }
                        mmaTf32(acc[mi][j], a[mi][ks], b0, b1);
                    }
                }
            }
            if (s + 1 < stages) { TC_STORE(buf ^ 1) }
            __syncthreads();
        }
        #undef TC_LOAD
        #undef TC_STORE
        // Accumulator e of tile (mi, j) is point mi·16 + (e / 2)·8 + g, centroid j·8 + 2t + e % 2.
        #pragma unroll
        for (int j = 0; j < TC_COLS / 8; j++) {
            if (j >= tiles) continue;
            #pragma unroll
            for (int cc = 0; cc < 2; cc++) {
                const int col = colBase + j * 8 + 2 * t + cc;
                if (col >= k) continue;
                const float cn = centroidNorms[col];
                #pragma unroll
                for (int mi = 0; mi < 2; mi++)
                    #pragma unroll
                    for (int h = 0; h < 2; h++) {
                        const int q = 2 * mi + h;
                        keepThree(fmaf(-2.f, acc[mi][j][2 * h + cc], cn), col, s1[q], i1[q], s2[q], i2[q], s3[q]);
                    }
            }
        }
    }
    // The four lanes of a group hold the same points' candidates over different centroids.
    #pragma unroll
    for (int off = 1; off < 4; off <<= 1) {
        #pragma unroll
        for (int q = 0; q < 4; q++) {
            const float o1 = __shfl_xor_sync(0xffffffffu, s1[q], off);
            const float o2 = __shfl_xor_sync(0xffffffffu, s2[q], off);
            const float o3 = __shfl_xor_sync(0xffffffffu, s3[q], off);
            const int oi1 = __shfl_xor_sync(0xffffffffu, i1[q], off);
            const int oi2 = __shfl_xor_sync(0xffffffffu, i2[q], off);
            keepThree(o1, oi1, s1[q], i1[q], s2[q], i2[q], s3[q]);
            keepThree(o2, oi2, s1[q], i1[q], s2[q], i2[q], s3[q]);
            keepThree(o3, -1, s1[q], i1[q], s2[q], i2[q], s3[q]);  // two values ≤ o3 are in: rank 3 at best
        }
    }
    // Lane t finishes row slot t (a select per slot: no local-memory array).
    float m1 = s1[0], m2 = s2[0], m3 = s3[0];
    int j1 = i1[0], j2 = i2[0];
    #pragma unroll
    for (int q = 1; q < 4; q++) {
        if (t == q) { m1 = s1[q]; m2 = s2[q]; m3 = s3[q]; j1 = i1[q]; j2 = i2[q]; }
    }
    const long long r = rowBase + warp * 32 + (t >> 1) * 16 + (t & 1) * 8 + g;
    if (r < rows) {
        const long long i = rowOffset + r;
        const float xn = rowNorms[i];
        float scale, lift;
        tcThreshold(d, SPLIT, cnMax, scale, lift);
        const float thr = fmaf(scale, sqrtf(xn), lift);
        const float *xr = xb + r * d;
        if (j1 < 0 || !(m3 - m1 > thr)) {  // three or more candidates (or a NaN): the FP32 kernel decides
            recheck[atomicAdd(&counts[0], 1u)] = (int) r;
            atomicAdd(&blockCounts[0], 1u);
        } else {
            int w = j1;
            float v = fmaf(-2.f, fp32Dot<VEC>(xr, c + (long long) j1 * d, d), centroidNorms[j1]);
            if (!(m2 - m1 > thr)) {  // two candidates
                const float v2 = fmaf(-2.f, fp32Dot<VEC>(xr, c + (long long) j2 * d, d), centroidNorms[j2]);
                if (v2 < v || (v2 == v && j2 < w)) { v = v2; w = j2; }
                atomicAdd(&blockCounts[1], 1u);
            }
            nearest[i] = w;
            dist[i] = fmaxf(0.f, xn + v);  // as nearestCentroids writes it
        }
    }
    __syncthreads();
    if (tid < 2 && blockCounts[tid] != 0u) atomicAdd(&counts[1 + tid], blockCounts[tid]);
}

RNNCLUST_KERNEL void __launch_bounds__(TC_THREADS, 2)
nearestCentroidsTf32(const float *__restrict__ x, int rows, int d, const float *__restrict__ c, int k,
                     const float *__restrict__ centroidNorms, const float *__restrict__ rowNorms,
                     int *__restrict__ nearest, float *__restrict__ dist, int *__restrict__ recheck,
                     unsigned *__restrict__ counts, long long rowOffset) {
    nearestCentroidsTcBody<false, false>(x, rows, d, c, k, centroidNorms, rowNorms, nearest, dist, recheck, counts,
                                         rowOffset);
}

RNNCLUST_KERNEL void __launch_bounds__(TC_THREADS, 2)
nearestCentroidsTf32Vec4(const float *__restrict__ x, int rows, int d, const float *__restrict__ c, int k,
                         const float *__restrict__ centroidNorms, const float *__restrict__ rowNorms,
                         int *__restrict__ nearest, float *__restrict__ dist, int *__restrict__ recheck,
                         unsigned *__restrict__ counts, long long rowOffset) {
    nearestCentroidsTcBody<true, false>(x, rows, d, c, k, centroidNorms, rowNorms, nearest, dist, recheck, counts,
                                        rowOffset);
}

RNNCLUST_KERNEL void __launch_bounds__(TC_THREADS, 2)
nearestCentroids3xTf32(const float *__restrict__ x, int rows, int d, const float *__restrict__ c, int k,
                       const float *__restrict__ centroidNorms, const float *__restrict__ rowNorms,
                       int *__restrict__ nearest, float *__restrict__ dist, int *__restrict__ recheck,
                       unsigned *__restrict__ counts, long long rowOffset) {
    nearestCentroidsTcBody<false, true>(x, rows, d, c, k, centroidNorms, rowNorms, nearest, dist, recheck, counts,
                                        rowOffset);
}

RNNCLUST_KERNEL void __launch_bounds__(TC_THREADS, 2)
nearestCentroids3xTf32Vec4(const float *__restrict__ x, int rows, int d, const float *__restrict__ c, int k,
                           const float *__restrict__ centroidNorms, const float *__restrict__ rowNorms,
                           int *__restrict__ nearest, float *__restrict__ dist, int *__restrict__ recheck,
                           unsigned *__restrict__ counts, long long rowOffset) {
    nearestCentroidsTcBody<true, true>(x, rows, d, c, k, centroidNorms, rowNorms, nearest, dist, recheck, counts,
                                       rowOffset);
}
