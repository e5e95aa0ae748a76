// Spectral clustering on the GPU: the k-nearest-neighbour graph and the sparse products of the
// block Krylov eigensolver (backend/cuda/CudaNearestNeighbours.java, CudaKrylovSpace.java).
//
// The CPU backend is the reference: it sums squared float differences in double for the neighbour
// distances, and multiplies by the sparse matrix in double with every product and sum rounded on
// its own. The kernels below do the same arithmetic where it decides a result (the refined
// distances, the sparse product), with __dmul_rn / __dadd_rn / __fsub_rn so that nvcc cannot
// contract any of it into a fused multiply-add: those results are the CPU's bits.
#include "common.cuh"

// An empty slot of a neighbour list: no point, after every real candidate.
#define KNN_NONE 0x7fffffff

// (v, j) before (w, k): a smaller distance, or an equal one at a lower index (the CPU's tie rule).
__device__ __forceinline__ bool knnBefore(float v, int j, float w, int k) {
    return v < w || (v == w && j < k);
}

__device__ __forceinline__ bool knnBeforeExact(double v, int j, double w, int k) {
    return v < w || (v == w && j < k);
}

// Inserts (v, j), which precedes the list's last entry, into the warp's sorted list of L entries;
// every lane of the warp calls it with the same arguments. The position is counted by the lanes in
// parallel; the entries from it on move up one place, 32 at a time from the top, each lane reading
// its entry before any lane writes.
__device__ __forceinline__ void knnInsert(float *approx, int *index, int L, float v, int j, int lane) {
    int pos = 0;
    for (int t0 = 0; t0 < L; t0 += 32) {
        const int t = t0 + lane;
        pos += __popc(__ballot_sync(0xffffffffu, t < L && knnBefore(approx[t], index[t], v, j)));
    }
    for (int hi = L - 2; hi >= pos; hi -= 32) {
        const int t = hi - lane;
        const bool move = t >= pos;
        float mv = 0.f;
        int mj = 0;
        if (move) { mv = approx[t]; mj = index[t]; }
        __syncwarp();
        if (move) { approx[t + 1] = mv; index[t + 1] = mj; }
        __syncwarp();
    }
    if (lane == 0) { approx[pos] = v; index[pos] = j; }
    __syncwarp();
}

// The m nearest other points of each row of one tile of queries, from the tile's products with
// every point: products[r·n + j] = x'_q·x'_j for query q = rowOffset + r, where x' are the centred
// points (their distances are x's) and norms[j] = ‖x'_j‖². One warp per query row:
//  1. scan: the lanes take 32 candidates at a time, ‖x'_j‖² − 2x'_q·x'_j (the distance less
//     ‖x'_q‖², which ranks the same), and the warp keeps the listLength best in a sorted list in
//     shared memory (ties to the lower index; the query itself is skipped). listLength exceeds m
//     by a margin: the expansion's rounding can reorder candidates whose distances lie close.
//  2. refine: each listed candidate's distance again, as the CPU computes it (squared float
//     differences summed in double, in order), and its rank among the listed by that distance
//     (ties to the lower index); the first m ranks are written.
// So the result is the CPU's wherever the true m nearest are among the listLength best by the
// expansion; otherwise a point at a near-tied distance stands in for one. Slots past the n − 1
// other points get −1 and +∞. Dynamic shared memory: 16·listLength bytes per warp.
RNNCLUST_KERNEL void knnSelect(const float *__restrict__ products, int tileRows, int n, int rowOffset,
                               const float *__restrict__ norms, const float *__restrict__ x, int d, int listLength,
                               int m, int *__restrict__ outIndex, float *__restrict__ outDist) {
    extern __shared__ double knnShared[];
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int warps = blockDim.x >> 5;
    const int L = listLength;
    double *exact = knnShared + (long long) warp * 2 * L;
    float *approx = (float *) (exact + L);
    int *index = (int *) (approx + L);
    for (long long r = (long long) blockIdx.x * warps + warp; r < tileRows; r += (long long) gridDim.x * warps) {
        const int q = rowOffset + (int) r;
        const float *p = products + r * n;
        for (int t = lane; t < L; t += 32) { approx[t] = RNNCLUST_INF_F; index[t] = KNN_NONE; }
        __syncwarp();
        float worst = RNNCLUST_INF_F;
        int worstIndex = KNN_NONE;
        for (int base = 0; base < n; base += 32) {
            const int j = base + lane;
            const bool real = j < n && j != q;
            const float v = real ? fmaf(-2.f, p[j], norms[j]) : RNNCLUST_INF_F;
            unsigned pending = __ballot_sync(0xffffffffu, real && knnBefore(v, j, worst, worstIndex));
            while (pending) {
                // the lowest lane first: among equal distances the lower index goes in first
                const int src = __ffs(pending) - 1;
                const float cv = __shfl_sync(0xffffffffu, v, src);
                knnInsert(approx, index, L, cv, base + src, lane);
                worst = approx[L - 1];
                worstIndex = index[L - 1];
                pending &= ~(1u << src);
                pending &= __ballot_sync(0xffffffffu, real && knnBefore(v, j, worst, worstIndex));
            }
        }
        const float *xq = x + (long long) q * d;
        for (int t = lane; t < L; t += 32) {
            const int j = index[t];
            double s = 0.0;
            if (j != KNN_NONE) {
                const float *xj = x + (long long) j * d;
                for (int c = 0; c < d; c++) {
                    const double diff = (double) __fsub_rn(xq[c], xj[c]);
                    s = __dadd_rn(s, __dmul_rn(diff, diff));
                }
            }
            exact[t] = s;
        }
        for (int t = lane; t < m; t += 32) {
            outIndex[(long long) q * m + t] = -1;
            outDist[(long long) q * m + t] = RNNCLUST_INF_F;
        }
        __syncwarp();
        for (int t = lane; t < L; t += 32) {
            const int j = index[t];
            if (j == KNN_NONE) continue;  // empty slots sort last: their outputs stay −1 and +∞
            int rank = 0;
            for (int u = 0; u < L; u++) {
                const int k = index[u];
                if (k != KNN_NONE && knnBeforeExact(exact[u], k, exact[t], j)) rank++;
            }
            if (rank < m) {
                outIndex[(long long) q * m + rank] = j;
                outDist[(long long) q * m + rank] = (float) exact[t];
            }
        }
        __syncwarp();  // the list is the next row's
    }
}

// y[:, c] = S·W·S x[:, c] for the cols columns of x and y (column-major, n rows each) and the
// sparse matrix W in compressed rows with the diagonal S (backend ScaledSparseMatrix):
// y_i = s_i · Σ_e (w_e · s_{col_e}) · x_{col_e} over row i's nonzeros in order, every product and
// sum rounded on its own, as the CPU computes it. One thread per (row, column); consecutive threads
// take consecutive rows of a column, so the writes and the row offsets are read in order. A row
// without nonzeros gives 0.
RNNCLUST_KERNEL void scaledSparseProduct(int n, int cols, const int *__restrict__ rowStart,
                                         const int *__restrict__ column, const double *__restrict__ weight,
                                         const double *__restrict__ scale, const double *__restrict__ x,
                                         double *__restrict__ y) {
    GRID_STRIDE(t, (long long) n * cols) {
        const long long c = t / n;
        const int i = (int) (t - c * n);
        const double *xc = x + c * n;
        double s = 0.0;
        for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
            const int k = column[e];
            s = __dadd_rn(s, __dmul_rn(__dmul_rn(weight[e], scale[k]), xc[k]));
        }
        y[c * n + i] = __dmul_rn(scale[i], s);
    }
}

#define RITZ_THREADS 256

// For each Ritz pair c (one block each, RITZ_THREADS threads): Σ_i (au_i − θ_c·u_i)² over the
// column-major n-vectors u and au, and the index of u's largest magnitude (the first of equal
// ones; n when every |u_i| is NaN), which fixes the vector's sign.
RNNCLUST_KERNEL void ritzResiduals(int n, const double *__restrict__ u, const double *__restrict__ au,
                                   const double *__restrict__ theta, double *__restrict__ sumSquares,
                                   int *__restrict__ largest) {
    __shared__ double sums[RITZ_THREADS];
    __shared__ double peak[RITZ_THREADS];
    __shared__ int peakAt[RITZ_THREADS];
    const int c = blockIdx.x;
    const int tid = threadIdx.x;
    const double *uc = u + (long long) c * n;
    const double *auc = au + (long long) c * n;
    const double th = theta[c];
    double s = 0.0;
    double big = -1.0;
    int at = n;
    for (int i = tid; i < n; i += RITZ_THREADS) {
        const double e = auc[i] - th * uc[i];
        s += e * e;
        const double a = fabs(uc[i]);
        if (a > big) { big = a; at = i; }  // i ascends: the first of equal ones stays
    }
    sums[tid] = s;
    peak[tid] = big;
    peakAt[tid] = at;
    __syncthreads();
    for (int stride = RITZ_THREADS / 2; stride > 0; stride >>= 1) {
        if (tid < stride) {
            sums[tid] += sums[tid + stride];
            const double ob = peak[tid + stride];
            const int oa = peakAt[tid + stride];
            if (ob > peak[tid] || (ob == peak[tid] && oa < peakAt[tid])) { peak[tid] = ob; peakAt[tid] = oa; }
        }
        __syncthreads();
    }
    if (tid == 0) {
        sumSquares[c] = sums[0];
        largest[c] = peakAt[0];
    }
}
