// k-means on the GPU: the kernels around cuBLAS's GEMM (see DESIGN.md, "k-means on the GPU").
//
// The assignment step takes P = X·Cᵀ (rows × k, from cuBLAS) and computes, per row, the nearest
// centroid by ‖c‖² − 2·x·c (‖x‖² is the same for every centroid, so it is added to the winner
// only) and the squared distance. Ties go to the lowest index, as on the CPU, so the parity tests
// can compare indices where distances differ and distances where they tie.
// With --precision tf32 or tf32x3, kmeans_tc.cu assigns on tensor cores instead and leaves the
// points it cannot decide to nearestCentroidsListed here.
#include "common.cuh"

// out[i] = Σ_j x[i·d + j]², for n rows of d floats.
RNNCLUST_KERNEL void rowSquaredNorms(const float *__restrict__ x, long long n, int d, float *__restrict__ out) {
    GRID_STRIDE(i, n) {
        const float *row = x + i * d;
        float s = 0.f;
        for (int j = 0; j < d; j++) s = fmaf(row[j], row[j], s);
        out[i] = s;
    }
}

// Whether candidate (v, i) beats the kept (best, bestIdx): a smaller distance, or an equal one at
// a lower centroid index (the CPU's tie rule, which the parity tests compare exactly).
__device__ __forceinline__ bool precedes(float v, int i, float best, int bestIdx) {
    return v < best || (v == best && i < bestIdx);
}

// One warp per row of the rows × k product: each lane scans a strided part of the row, then a
// warp shuffle reduction picks the smallest (value, index) pair, lowest index among equals.
// nearest/dist are written at rowOffset + r (the tile's place in the whole dataset).
RNNCLUST_KERNEL void argminRows(const float *__restrict__ products, int rows, int k,
                                const float *__restrict__ centroidNorms, const float *__restrict__ rowNorms,
                                int *__restrict__ nearest, float *__restrict__ dist, long long rowOffset) {
    const int lane = threadIdx.x & 31;
    const int warpsPerBlock = blockDim.x >> 5;
    for (long long r = (long long) blockIdx.x * warpsPerBlock + (threadIdx.x >> 5); r < rows;
         r += (long long) gridDim.x * warpsPerBlock) {
        const float *p = products + r * k;
        float best = RNNCLUST_INF_F;
        int bestIdx = 0x7fffffff;
        for (int j = lane; j < k; j += 32) {
            float v = fmaf(-2.f, p[j], centroidNorms[j]);
            if (v < best) { best = v; bestIdx = j; }  // j grows per lane: first minimum kept
        }
        for (int off = 16; off > 0; off >>= 1) {
            float ov = __shfl_down_sync(0xffffffffu, best, off);
            int oi = __shfl_down_sync(0xffffffffu, bestIdx, off);
            if (precedes(ov, oi, best, bestIdx)) { best = ov; bestIdx = oi; }
        }
        if (lane == 0) {
            long long i = rowOffset + r;
            nearest[i] = bestIdx;
            dist[i] = fmaxf(0.f, rowNorms[i] + best);  // rounding can go slightly below 0
        }
    }
}

// Tile shape of nearestCentroids; CudaCentroidIndex launches ceil(rows / NC_ROWS) blocks of
// NC_THREADS threads. Each thread owns 8 points × 8 centroids of the block's NC_ROWS × NC_COLS tile.
#define NC_ROWS 128
#define NC_COLS 128
#define NC_DEPTH 8
// Per thread and stage: the slab share in floats, and in float4s when loading vectors.
#define NC_SHARE (NC_ROWS * NC_DEPTH / NC_THREADS)
#define NC_VEC_SHARE (NC_SHARE / 4)
#define NC_PAD 4  // rows of 132 floats: float4-aligned, and the transposing stores conflict-free
#define NC_THREADS 256

// The nearest centroid of each of `rows` points and its squared distance, without ever writing the
// rows × k matrix of dot products: one kernel does the GEMM X·Cᵀ tile by tile in registers (an
// SGEMM-style 128 × 128 block tile, 8 × 8 per thread, dimensions staged through double-buffered
// shared memory 8 at a time; 16 made ptxas spill at the 128 registers that 2 blocks an SM allow)
// and folds each tile into a running (‖c‖² − 2·x·c, index) minimum per point. The matrix round trip through memory (8 GB per iteration at 1M points × 1024 centroids)
// is what bounds GEMM-then-argmin; this kernel's floor is the arithmetic.
// A thread's points are ty·4 + {0..3} and 64 + ty·4 + {0..3} of the tile, its centroids tx·4 + {0..3}
// and 64 + tx·4 + {0..3}: split that way, the float4 reads of shared memory are conflict-free.
// VEC (nearestCentroidsVec4, for d a multiple of 4 with 16-byte aligned x and c): the slabs come
// in as float4, 1 load a thread a stage instead of 4 scalar ones. Two kernels rather than a run-time
// branch: both paths in one body made ptxas spill at the 128 registers that 2 blocks an SM allow.
// Ties go to the lowest index, as in argminRows. x, rowNorms, nearest and dist are indexed by
// rowOffset + point.
// LISTED (nearestCentroidsListed, the FP32 re-check of kmeans_tc.cu): the points are the rows
// list[0 .. *listCount) of the chunk instead of 0 .. rows; blocks past the list return at once.
// Each point's sums are its own, so a listed point gets the bits an unlisted launch gives it.
#define NC_ROW(p) (LISTED ? (long long) list[p] : (long long) (p))
template <bool VEC, bool LISTED = false>
__device__ __forceinline__ void nearestCentroidsBody(const float *__restrict__ x, int rows, int d,
                                                     const float *__restrict__ c, int k,
                                                     const float *__restrict__ centroidNorms,
                                                     const float *__restrict__ rowNorms, int *__restrict__ nearest,
                                                     float *__restrict__ dist, long long rowOffset,
                                                     const int *__restrict__ list = nullptr,
                                                     const unsigned *__restrict__ listCount = nullptr) {
    __shared__ __align__(16) float xs[2][NC_DEPTH][NC_ROWS + NC_PAD];
    __shared__ __align__(16) float cs[2][NC_DEPTH][NC_COLS + NC_PAD];
    const int tid = threadIdx.x;
    const int tx = tid & 15;
    const int ty = tid >> 4;
    const long long rowBase = (long long) blockIdx.x * NC_ROWS;
    if (LISTED) {
        rows = (int) *listCount;
        if (rowBase >= rows) return;  // the whole block: before any barrier
    }
    const float *xb = x + rowOffset * d;
    float best[8];
    int bestIdx[8];
    for (int i = 0; i < 8; i++) { best[i] = RNNCLUST_INF_F; bestIdx[i] = 0x7fffffff; }
    const int stages = (d + NC_DEPTH - 1) / NC_DEPTH;

    for (int colBase = 0; colBase < k; colBase += NC_COLS) {
        float acc[8][8];
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++) acc[i][j] = 0.f;
        // Staged loads of one 128 × 8 slab of points and one of centroids: as float4s, vector f
        // of the slab is (row f / 2, dimensions 4·(f % 2) + 0..3); as floats, element e is
        // (row e / 8, dimension e % 8). Out-of-range rows and dimensions load as 0.
        float xe[NC_SHARE], ce[NC_SHARE];  // one slab's share per thread, either way
        #define NC_LOAD(s)                                                                        \
            if (VEC) {                                                                            \
                for (int l = 0; l < NC_VEC_SHARE; l++) {                                          \
                    unsigned f = tid + l * NC_THREADS; int r = f / (NC_DEPTH / 4);                       \
                    int dim = (s) * NC_DEPTH + (f % (NC_DEPTH / 4)) * 4;                          \
                    long long gr = rowBase + r;                                                   \
                    int gc = colBase + r;                                                         \
                    float4 xv, cv; /* no make_float4: NVRTC compiles this file without headers */ \
                    xv.x = xv.y = xv.z = xv.w = 0.f;                                              \
                    cv.x = cv.y = cv.z = cv.w = 0.f;                                              \
                    if (gr < rows && dim < d) xv = *(const float4 *) (xb + NC_ROW(gr) * d + dim); \
                    if (gc < k && dim < d) cv = *(const float4 *) (c + (long long) gc * d + dim); \
                    xe[4 * l] = xv.x; xe[4 * l + 1] = xv.y; xe[4 * l + 2] = xv.z; xe[4 * l + 3] = xv.w; \
                    ce[4 * l] = cv.x; ce[4 * l + 1] = cv.y; ce[4 * l + 2] = cv.z; ce[4 * l + 3] = cv.w; \
                }                                                                                 \
            } else {                                                                              \
                for (int l = 0; l < NC_SHARE; l++) {                                              \
                    unsigned e = tid + l * NC_THREADS; int r = e / NC_DEPTH, dim = (s) * NC_DEPTH + e % NC_DEPTH; \
                    long long gr = rowBase + r;                                                   \
                    int gc = colBase + r;                                                         \
                    xe[l] = (gr < rows && dim < d) ? xb[NC_ROW(gr) * d + dim] : 0.f;              \
                    ce[l] = (gc < k && dim < d) ? c[(long long) gc * d + dim] : 0.f;              \
                }                                                                                 \
            }
        #define NC_STORE(buf)                                                                     \
            if (VEC) {                                                                            \
                for (int l = 0; l < NC_VEC_SHARE; l++) {                                          \
                    unsigned f = tid + l * NC_THREADS; int r = f / (NC_DEPTH / 4), j = (f % (NC_DEPTH / 4)) * 4; \
                    for (int t = 0; t < 4; t++) {                                                 \
                        xs[buf][j + t][r] = xe[4 * l + t];                                        \
                        cs[buf][j + t][r] = ce[4 * l + t];                                        \
                    }                                                                             \
                }                                                                                 \
            } else {                                                                              \
                for (int l = 0; l < NC_SHARE; l++) {                                              \
                    unsigned e = tid + l * NC_THREADS;                                              \
                    xs[buf][e % NC_DEPTH][e / NC_DEPTH] = xe[l];                                  \
                    cs[buf][e % NC_DEPTH][e / NC_DEPTH] = ce[l];                                  \
                }                                                                                 \
            }
        NC_LOAD(0)
        NC_STORE(0)
        __syncthreads();
        for (int s = 0; s < stages; s++) {
            const int buf = s & 1;
            if (s + 1 < stages) { NC_LOAD(s + 1) }
            for (int j = 0; j < NC_DEPTH; j++) {
                const float4 a0 = *(const float4 *) &xs[buf][j][ty * 4];
                const float4 a1 = *(const float4 *) &xs[buf][j][64 + ty * 4];
                const float4 b0 = *(const float4 *) &cs[buf][j][tx * 4];
                const float4 b1 = *(const float4 *) &cs[buf][j][64 + tx * 4];
                const float a[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
                const float b[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
                for (int p = 0; p < 8; p++)
                    for (int q = 0; q < 8; q++) acc[p][q] = fmaf(a[p], b[q], acc[p][q]);
            }
            if (s + 1 < stages) { NC_STORE(buf ^ 1) }
            __syncthreads();
        }
        #undef NC_LOAD
        #undef NC_STORE
        for (int q = 0; q < 8; q++) {
            const int col = colBase + (q < 4 ? tx * 4 + q : 64 + tx * 4 + q - 4);
            if (col >= k) continue;
            const float cn = centroidNorms[col];
            for (int p = 0; p < 8; p++) {
                const float v = fmaf(-2.f, acc[p][q], cn);
                if (precedes(v, col, best[p], bestIdx[p])) { best[p] = v; bestIdx[p] = col; }
            }
        }
    }
    // The 16 threads of a point group (one half-warp) hold candidates for the same points.
    for (int p = 0; p < 8; p++) {
        for (int off = 8; off > 0; off >>= 1) {
            const float ov = __shfl_xor_sync(0xffffffffu, best[p], off);
            const int oi = __shfl_xor_sync(0xffffffffu, bestIdx[p], off);
            if (precedes(ov, oi, best[p], bestIdx[p])) { best[p] = ov; bestIdx[p] = oi; }
        }
    }
    if (tx == 0) {
        for (int p = 0; p < 8; p++) {
            const long long r = rowBase + (p < 4 ? ty * 4 + p : 64 + ty * 4 + p - 4);
            if (r >= rows) continue;
            const long long i = rowOffset + NC_ROW(r);
            nearest[i] = bestIdx[p];
            dist[i] = fmaxf(0.f, rowNorms[i] + best[p]);  // rounding can go slightly below 0
        }
    }
}

RNNCLUST_KERNEL void __launch_bounds__(NC_THREADS, 2)
nearestCentroids(const float *__restrict__ x, int rows, int d, const float *__restrict__ c, int k,
                 const float *__restrict__ centroidNorms, const float *__restrict__ rowNorms,
                 int *__restrict__ nearest, float *__restrict__ dist, long long rowOffset) {
    nearestCentroidsBody<false>(x, rows, d, c, k, centroidNorms, rowNorms, nearest, dist, rowOffset);
}

RNNCLUST_KERNEL void __launch_bounds__(NC_THREADS, 2)
nearestCentroidsVec4(const float *__restrict__ x, int rows, int d, const float *__restrict__ c, int k,
                     const float *__restrict__ centroidNorms, const float *__restrict__ rowNorms,
                     int *__restrict__ nearest, float *__restrict__ dist, long long rowOffset) {
    nearestCentroidsBody<true>(x, rows, d, c, k, centroidNorms, rowNorms, nearest, dist, rowOffset);
}

// The FP32 assignment of the chunk rows list[0 .. *listCount), for the points kmeans_tc.cu's tensor
// cores could not decide: launched with the grid of the whole chunk, since the count is on the device.
RNNCLUST_KERNEL void __launch_bounds__(NC_THREADS, 2)
nearestCentroidsListed(const float *__restrict__ x, int d, const float *__restrict__ c, int k,
                       const float *__restrict__ centroidNorms, const float *__restrict__ rowNorms,
                       int *__restrict__ nearest, float *__restrict__ dist, long long rowOffset,
                       const int *__restrict__ list, const unsigned *__restrict__ listCount) {
    nearestCentroidsBody<false, true>(x, 0, d, c, k, centroidNorms, rowNorms, nearest, dist, rowOffset, list, listCount);
}

RNNCLUST_KERNEL void __launch_bounds__(NC_THREADS, 2)
nearestCentroidsListedVec4(const float *__restrict__ x, int d, const float *__restrict__ c, int k,
                           const float *__restrict__ centroidNorms, const float *__restrict__ rowNorms,
                           int *__restrict__ nearest, float *__restrict__ dist, long long rowOffset,
                           const int *__restrict__ list, const unsigned *__restrict__ listCount) {
    nearestCentroidsBody<true, true>(x, 0, d, c, k, centroidNorms, rowNorms, nearest, dist, rowOffset, list, listCount);
}

// Per-cluster sums (k × d, double) and counts of the n points, by atomics straight into global
// memory. Used when k × d is too large for a block's shared memory; double sums keep the result
// independent of the order in which the atomics land (up to double rounding). One warp per point,
// lanes across its dimensions: coalesced reads, and no division to find a point's row.
RNNCLUST_KERNEL void clusterSums(const float *__restrict__ x, long long n, int d, const int *__restrict__ labels,
                                 int k, double *__restrict__ sums, unsigned long long *__restrict__ counts) {
    const int lane = threadIdx.x & 31;
    const int warps = blockDim.x >> 5;
    for (long long i = (long long) blockIdx.x * warps + (threadIdx.x >> 5); i < n; i += (long long) gridDim.x * warps) {
        const int c = labels[i];
        if (c < 0 || c >= k) continue;
        const float *row = x + i * d;
        double *out = sums + (long long) c * d;
        for (int j = lane; j < d; j += 32) atomicAdd(&out[j], (double) row[j]);
        if (lane == 0) atomicAdd(&counts[c], 1ull);
    }
}

// The same sums with each block first accumulating its share of the points in shared memory (k × d
// floats, then k counts), then adding that into the global double sums once: far fewer global
// atomics on the same few addresses when k is small (10M points in 100 clusters). A block's share
// is a few thousand points per cluster, so its float partial sums stay accurate. Each warp takes
// SUMS_POINTS points at a time, lanes across their dimensions (the first version split a flat
// element index by d, a 64-bit division per element, and measured 2.3 ms at 4M × 128, k = 256).
// Dynamic shared memory: k * d * sizeof(float) + k * sizeof(unsigned int).
#define SUMS_POINTS 4
RNNCLUST_KERNEL void clusterSumsShared(const float *__restrict__ x, long long n, int d,
                                       const int *__restrict__ labels, int k, double *__restrict__ sums,
                                       unsigned long long *__restrict__ counts) {
    extern __shared__ float partial[];
    unsigned int *partialCounts = (unsigned int *) (partial + (long long) k * d);
    for (int t = threadIdx.x; t < k * d; t += blockDim.x) partial[t] = 0.f;
    for (int t = threadIdx.x; t < k; t += blockDim.x) partialCounts[t] = 0u;
    __syncthreads();
    const int lane = threadIdx.x & 31;
    const int warps = blockDim.x >> 5;
    // SUMS_POINTS points per warp at a time: their rows' loads are independent and in flight
    // together (one point at a time left each warp waiting on one load after another).
    const long long stride = (long long) gridDim.x * warps * SUMS_POINTS;
    for (long long i0 = ((long long) blockIdx.x * warps + (threadIdx.x >> 5)) * SUMS_POINTS; i0 < n; i0 += stride) {
        int c[SUMS_POINTS];
#pragma unroll
        for (int u = 0; u < SUMS_POINTS; u++) {
            c[u] = i0 + u < n ? labels[i0 + u] : -1;
            if (c[u] >= k) c[u] = -1;
        }
        for (int j = lane; j < d; j += 32) {
            float v[SUMS_POINTS];
#pragma unroll
            for (int u = 0; u < SUMS_POINTS; u++) v[u] = c[u] >= 0 ? x[(i0 + u) * d + j] : 0.f;
#pragma unroll
            for (int u = 0; u < SUMS_POINTS; u++) {
                if (c[u] >= 0) atomicAdd(&partial[c[u] * d + j], v[u]);
            }
        }
#pragma unroll
        for (int u = 0; u < SUMS_POINTS; u++) {
            if (lane == u && c[u] >= 0) atomicAdd(&partialCounts[c[u]], 1u);
        }
    }
    __syncthreads();
    for (int t = threadIdx.x; t < k * d; t += blockDim.x) {
        if (partial[t] != 0.f) atomicAdd(&sums[t], (double) partial[t]);
    }
    for (int t = threadIdx.x; t < k; t += blockDim.x) {
        if (partialCounts[t] != 0u) atomicAdd(&counts[t], (unsigned long long) partialCounts[t]);
    }
}

// Squared distances from rows × m products P = X·Cᵀ, in place: P[r, j] ← max(0, ‖x_r‖² + ‖c_j‖² − 2P[r, j])
// (k-means++ seeding asks for the distances themselves, not only the nearest centre).
RNNCLUST_KERNEL void distancesFromProducts(float *__restrict__ products, long long rows, int m,
                                           const float *__restrict__ rowNorms,
                                           const float *__restrict__ centreNorms) {
    GRID_STRIDE(e, rows * m) {
        long long r = e / m;
        int j = (int) (e - r * m);
        products[e] = fmaxf(0.f, rowNorms[r] + fmaf(-2.f, products[e], centreNorms[j]));
    }
}

// Σ dist over n values, one partial sum per block into partial[blockIdx.x] (the host adds them in
// double): the inertia without copying every distance back.
RNNCLUST_KERNEL void blockSums(const float *__restrict__ v, long long n, double *__restrict__ partial) {
    extern __shared__ double shared[];
    double s = 0;
    GRID_STRIDE(i, n) s += v[i];
    shared[threadIdx.x] = s;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
        if (threadIdx.x < stride) shared[threadIdx.x] += shared[threadIdx.x + stride];
        __syncthreads();
    }
    if (threadIdx.x == 0) partial[blockIdx.x] = shared[0];
}

// ---------------------------------------------------------------------------------------------
// Device-resident k-means (CudaLloydRun, CudaSeedingRun): the bookkeeping of the Lloyd loop and
// k-means++ seeding, so that per iteration or seeding round only a few numbers cross to the host.
// Each kernel is the device twin of a rule written in Java above the backend (cluster/KMeans,
// cluster/KMeansPlusPlus); the comments name the rule.
// ---------------------------------------------------------------------------------------------

// Sum over the block of one double per thread, in a fixed tree order (deterministic); the result
// is valid in thread 0. `scratch` holds blockDim.x doubles; blockDim.x is a power of two.
__device__ __forceinline__ double blockSum(double v, double *scratch) {
    scratch[threadIdx.x] = v;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
        if (threadIdx.x < stride) scratch[threadIdx.x] += scratch[threadIdx.x + stride];
        __syncthreads();
    }
    double s = scratch[0];
    __syncthreads();  // scratch is reused by the next call
    return s;
}

// How many of the n labels differ from `previous`, added to *changed; previous becomes labels.
// (KMeans' strict convergence test: the labels of two iterations equal.) One atomic per block.
RNNCLUST_KERNEL void labelChanges(const int *__restrict__ labels, int *__restrict__ previous, long long n,
                                  unsigned long long *__restrict__ changed) {
    __shared__ double scratch[256];
    double mine = 0;
    GRID_STRIDE(i, n) {
        const int l = labels[i];
        if (l != previous[i]) {
            previous[i] = l;
            mine += 1;
        }
    }
    const double s = blockSum(mine, scratch);
    if (threadIdx.x == 0 && s > 0) atomicAdd(changed, (unsigned long long) s);
}

// Whether point (v, i) goes before (best, bestIdx) in the relocation order: farther first, then
// the lower index (KMeans.relocateEmpty's stable sort by decreasing distance).
__device__ __forceinline__ bool fartherFirst(float v, long long i, float best, long long bestIdx) {
    return v > best || (v == best && i < bestIdx);
}

// Keeps candidate (v, i) in (best, bestIdx) if it goes first; i < 0 is no candidate, and any
// candidate beats bestIdx < 0.
__device__ __forceinline__ void keepFarther(float v, long long i, float &best, long long &bestIdx) {
    if (i >= 0 && (bestIdx < 0 || fartherFirst(v, i, best, bestIdx))) {
        best = v;
        bestIdx = i;
    }
}

// The block's first candidate in the relocation order, from each thread's (best, bestIdx), left in
// bv[0] and bi[0] (shared arrays of blockDim.x, a power of two).
__device__ __forceinline__ void blockFarthest(float best, long long bestIdx, float *bv, long long *bi) {
    bv[threadIdx.x] = best;
    bi[threadIdx.x] = bestIdx;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
        if (threadIdx.x < stride) {
            float b = bv[threadIdx.x];
            long long i = bi[threadIdx.x];
            keepFarther(bv[threadIdx.x + stride], bi[threadIdx.x + stride], b, i);
            bv[threadIdx.x] = b;
            bi[threadIdx.x] = i;
        }
        __syncthreads();
    }
}

// First phase of the relocation pick: per block, the first point in that order among the points
// that may leave their cluster (it keeps at least one point: counts[label] > 1). The second phase
// (farthestPick) takes the first of the blocks' candidates. Blocks of 256 threads.
RNNCLUST_KERNEL void farthestEligible(const float *__restrict__ dist, const int *__restrict__ labels, long long n,
                                      const unsigned long long *__restrict__ counts, float *__restrict__ blockBest,
                                      long long *__restrict__ blockIdx_) {
    __shared__ float bv[256];
    __shared__ long long bi[256];
    float best = -1.f;
    long long bestIdx = -1;
    GRID_STRIDE(i, n) {
        if (counts[labels[i]] > 1ull) keepFarther(dist[i], i, best, bestIdx);
    }
    blockFarthest(best, bestIdx, bv, bi);
    if (threadIdx.x == 0) {
        blockBest[blockIdx.x] = bv[0];
        blockIdx_[blockIdx.x] = bi[0];
    }
}

// Second phase, one block of 256 threads: the first of `blocks` candidates, or -1 when no point
// may move (KMeans.relocateEmpty then stops refilling). Then moves that point into the empty
// cluster `empty`: its coordinates leave its old cluster's double sums and become the empty
// cluster's, the counts follow, and its label changes (the Java rule, element for element).
RNNCLUST_KERNEL void relocateFarthest(const float *__restrict__ x, int d, const float *__restrict__ blockBest,
                                      const long long *__restrict__ blockIdx_, int blocks, int empty,
                                      int *__restrict__ labels, double *__restrict__ sums,
                                      unsigned long long *__restrict__ counts, unsigned long long *__restrict__ moves) {
    __shared__ float bv[256];
    __shared__ long long bi[256];
    float best = -1.f;
    long long bestIdx = -1;
    for (int b = threadIdx.x; b < blocks; b += blockDim.x) keepFarther(blockBest[b], blockIdx_[b], best, bestIdx);
    blockFarthest(best, bestIdx, bv, bi);
    const long long i = bi[0];
    if (i < 0) return;  // the same for every thread
    const int old = labels[i];
    const float *p = x + i * d;
    for (int j = threadIdx.x; j < d; j += blockDim.x) {
        sums[(long long) old * d + j] -= (double) p[j];
        sums[(long long) empty * d + j] = (double) p[j];
    }
    __syncthreads();  // every thread has read labels[i] before it changes
    if (threadIdx.x == 0) {
        counts[old] -= 1ull;
        counts[empty] = 1ull;
        labels[i] = empty;
        moves[0] += 1ull;
    }
}

// The new centres, in place: each cluster's mean, (float) (sum / count) as KMeans.means takes it;
// an empty cluster keeps its centre. Per block, the partial squared shift Σ (old − new)² in double
// into partialShift[blockIdx.x] (the host adds the blocks' sums). Blocks of 256 threads.
RNNCLUST_KERNEL void updateMeans(const double *__restrict__ sums, const unsigned long long *__restrict__ counts, int k,
                                 int d, float *__restrict__ centres, double *__restrict__ partialShift) {
    __shared__ double scratch[256];
    double shift = 0;
    GRID_STRIDE(e, (long long) k * d) {
        const unsigned long long count = counts[e / d];
        if (count == 0ull) continue;
        const float next = (float) (sums[e] / (double) count);
        const double t = (double) centres[e] - (double) next;
        shift += t * t;
        centres[e] = next;
    }
    const double s = blockSum(shift, scratch);
    if (threadIdx.x == 0) partialShift[blockIdx.x] = s;
}

// k-means++ seeding (KMeansPlusPlus): `closest` holds each point's squared distance to the
// nearest centre chosen so far. The points are cut into tiles of SEED_ROWS (one block each); the
// tiles' sums of `closest` make the first level of the inverse-CDF search.
#define SEED_ROWS 256
#define SEED_DEPTH 32
#define SEED_MAX_TRIALS 24  // 2 + ⌊ln k⌋ trials: 23 at k = 2³¹

// Squared distances (Σ_j (x_j − c_j)², summed over j in order, so that a candidate's distance to a
// point has the same bits whichever kernel call computes it) from the points of this block's tile
// to m candidate points (rows candRows[0..m) of x), and what the seeding does with them:
//   mode 0 (trial):  partial[tile·m + t] = Σ_tile min(closest, d²(·, candidate t)), closest kept;
//   mode 1 (accept): closest ← min(closest, d²(·, candidate 0)); tileSum[tile] = Σ_tile closest;
//   mode 2 (first):  closest ← d²(·, candidate 0); tileSum[tile] = Σ_tile closest.
// The tile goes through shared memory SEED_DEPTH dimensions at a time (coalesced row reads);
// each thread then owns one point. Blocks of SEED_ROWS threads, one per tile.
RNNCLUST_KERNEL void __launch_bounds__(SEED_ROWS)
seedDistances(const float *__restrict__ x, long long n, int d, const int *__restrict__ candRows, int m, int mode,
              float *__restrict__ closest, double *__restrict__ partial, double *__restrict__ tileSum) {
    __shared__ float xs[SEED_ROWS][SEED_DEPTH + 1];
    __shared__ float cs[SEED_MAX_TRIALS][SEED_DEPTH];
    __shared__ double scratch[SEED_ROWS];
    const long long tile = blockIdx.x;
    const long long base = tile * SEED_ROWS;
    const long long me = base + threadIdx.x;
    float acc[SEED_MAX_TRIALS];
    for (int t = 0; t < SEED_MAX_TRIALS; t++) acc[t] = 0.f;
    for (int j0 = 0; j0 < d; j0 += SEED_DEPTH) {
        const int depth = d - j0 < SEED_DEPTH ? d - j0 : SEED_DEPTH;
        for (int e = threadIdx.x; e < SEED_ROWS * SEED_DEPTH; e += SEED_ROWS) {
            const int r = e / SEED_DEPTH, j = e % SEED_DEPTH;
            xs[r][j] = base + r < n && j < depth ? x[(base + r) * d + j0 + j] : 0.f;
        }
        for (int e = threadIdx.x; e < m * SEED_DEPTH; e += SEED_ROWS) {
            const int t = e / SEED_DEPTH, j = e % SEED_DEPTH;
            cs[t][j] = j < depth ? x[(long long) candRows[t] * d + j0 + j] : 0.f;
        }
        __syncthreads();
        // Unrolled over the trials so that acc stays in registers; each acc[t] still sums over j
        // in order, whatever m is.
        for (int j = 0; j < depth; j++) {
            const float xv = xs[threadIdx.x][j];
#pragma unroll
            for (int t = 0; t < SEED_MAX_TRIALS; t++) {
                if (t < m) {
                    const float diff = xv - cs[t][j];
                    acc[t] = fmaf(diff, diff, acc[t]);
                }
            }
        }
        __syncthreads();
    }
    const bool inside = me < n;
    if (mode == 0) {
        const float c = inside ? closest[me] : 0.f;
#pragma unroll
        for (int t = 0; t < SEED_MAX_TRIALS; t++) {
            if (t >= m) break;  // m is the same for every thread: the barriers inside stay uniform
            const double s = blockSum(inside ? (double) fminf(c, acc[t]) : 0.0, scratch);
            if (threadIdx.x == 0) partial[tile * m + t] = s;
        }
    } else {
        float c = 0.f;
        if (inside) {
            c = mode == 1 ? fminf(closest[me], acc[0]) : acc[0];
            closest[me] = c;
        }
        const double s = blockSum((double) c, scratch);
        if (threadIdx.x == 0) tileSum[tile] = s;
    }
}

// out[t] = Σ_tile partial[tile·m + t], one block of 256 threads per t, in a fixed order: the trial
// potentials (mode 0), or with m = 1 the total of the tile sums.
RNNCLUST_KERNEL void sumTiles(const double *__restrict__ partial, long long tiles, int m, double *__restrict__ out) {
    __shared__ double scratch[256];
    const int t = blockIdx.x;
    double s = 0;
    for (long long i = threadIdx.x; i < tiles; i += blockDim.x) s += partial[i * m + t];
    s = blockSum(s, scratch);
    if (threadIdx.x == 0) out[t] = s;
}

// The D² draw: for each of the m uniforms u[t] in [0, 1), the first point whose running sum of
// `closest` exceeds u[t] · (the sum of all), or n − 1 if rounding leaves none (KMeansPlusPlus'
// inverse-CDF search). One block of 256 threads per draw: each thread owns a run of tiles, a scan
// of the runs' sums finds the thread whose run holds the draw, and that thread walks its run's tile
// sums and then the points of the one tile.
RNNCLUST_KERNEL void sampleRows(const double *__restrict__ u, const double *__restrict__ tileSum, long long tiles,
                                const float *__restrict__ closest, long long n, int *__restrict__ rows) {
    __shared__ double scan[256];
    __shared__ long long found;
    const int t = blockIdx.x;
    const long long run = (tiles + blockDim.x - 1) / blockDim.x;
    const long long first = threadIdx.x * run;
    const long long last = first + run < tiles ? first + run : tiles;
    double mine = 0;
    for (long long i = first; i < last; i++) mine += tileSum[i];
    scan[threadIdx.x] = mine;
    if (threadIdx.x == 0) found = n - 1;
    __syncthreads();
    for (int off = 1; off < (int) blockDim.x; off <<= 1) {  // inclusive scan, fixed order
        const double add = threadIdx.x >= (unsigned) off ? scan[threadIdx.x - off] : 0.0;
        __syncthreads();
        scan[threadIdx.x] += add;
        __syncthreads();
    }
    const double r = u[t] * scan[blockDim.x - 1];
    const double before = threadIdx.x == 0 ? 0.0 : scan[threadIdx.x - 1];
    if (first < last && before <= r && scan[threadIdx.x] > r) {
        double s = before;
        for (long long i = first; i < last; i++) {
            if (s + tileSum[i] <= r && i + 1 < last) {
                s += tileSum[i];
                continue;
            }
            // The draw falls in this tile (or, by rounding, nowhere later in the run: walk on).
            const long long end = (i + 1) * SEED_ROWS < n ? (i + 1) * SEED_ROWS : n;
            long long p = i * SEED_ROWS;
            for (; p < end; p++) {
                s += (double) closest[p];
                if (s > r) break;
            }
            if (p < end) {
                found = p;
                break;
            }
        }
    }
    __syncthreads();
    if (threadIdx.x == 0) rows[t] = (int) found;
}
