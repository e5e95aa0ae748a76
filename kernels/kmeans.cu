// k-means on the GPU: the kernels around cuBLAS's GEMM (see DESIGN.md, "k-means on the GPU").
//
// The assignment step takes P = X·Cᵀ (rows × k, from cuBLAS) and computes, per row, the nearest
// centroid by ‖c‖² − 2·x·c (‖x‖² is the same for every centroid, so it is added to the winner
// only) and the squared distance. Ties go to the lowest index, as on the CPU, so the parity tests
// can compare indices where distances differ and distances where they tie.
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
            if (ov < best || (ov == best && oi < bestIdx)) { best = ov; bestIdx = oi; }
        }
        if (lane == 0) {
            long long i = rowOffset + r;
            nearest[i] = bestIdx;
            dist[i] = fmaxf(0.f, rowNorms[i] + best);  // rounding can go slightly below 0
        }
    }
}

// Per-cluster sums (k × d, double) and counts of the n points, by atomics straight into global
// memory. Used when k × d is too large for a block's shared memory; double sums keep the result
// independent of the order in which the atomics land (up to double rounding).
RNNCLUST_KERNEL void clusterSums(const float *__restrict__ x, long long n, int d, const int *__restrict__ labels,
                                 int k, double *__restrict__ sums, unsigned long long *__restrict__ counts) {
    GRID_STRIDE(e, n * d) {
        long long i = e / d;
        int j = (int) (e - i * d);
        int c = labels[i];
        if (c < 0 || c >= k) continue;
        atomicAdd(&sums[(long long) c * d + j], (double) x[e]);
        if (j == 0) atomicAdd(&counts[c], 1ull);
    }
}

// The same sums with each block first accumulating its share of the points in shared memory (k × d
// floats, then k counts), then adding that into the global double sums once: far fewer global
// atomics on the same few addresses when k is small (10M points in 100 clusters). A block's share
// is a few thousand points, so its float partial sums stay accurate.
// Dynamic shared memory: k * d * sizeof(float) + k * sizeof(unsigned int).
RNNCLUST_KERNEL void clusterSumsShared(const float *__restrict__ x, long long n, int d,
                                       const int *__restrict__ labels, int k, double *__restrict__ sums,
                                       unsigned long long *__restrict__ counts) {
    extern __shared__ float partial[];
    unsigned int *partialCounts = (unsigned int *) (partial + (long long) k * d);
    for (int t = threadIdx.x; t < k * d; t += blockDim.x) partial[t] = 0.f;
    for (int t = threadIdx.x; t < k; t += blockDim.x) partialCounts[t] = 0u;
    __syncthreads();
    GRID_STRIDE(e, n * d) {
        long long i = e / d;
        int j = (int) (e - i * d);
        int c = labels[i];
        if (c < 0 || c >= k) continue;
        atomicAdd(&partial[c * d + j], x[e]);
        if (j == 0) atomicAdd(&partialCounts[c], 1u);
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
