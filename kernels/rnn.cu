// The recurrent layers' and the training step's kernels around cuBLAS's GEMMs (see DESIGN.md,
// "LSTM/GRU on the GPU"): the fused pointwise halves of one time step of an LSTM, GRU or tanh RNN,
// forward and backward, and the small ops of a training step (biases, bias gradients, reductions,
// the masked MSE loss, Adam, layout changes).
//
// The element math of the cells is kernels/cell_math.h, shared with native/cpu/cells.c (the C
// twin on the CPU); the argument layout and masking rules are those of
// org.rnnclust.backend.RecurrentCellOps and org.rnnclust.backend.TensorOps. GPU and CPU differ
// only by FMA contraction.
//
// Every kernel's parameter list is mirrored, as a signature string, by its entry in
// org.rnnclust.backend.cuda.RnnKernels, which refuses a launch whose arguments do not match
// (RnnKernelsTest checks the strings against this file). Pointers may be null only where a
// comment says so (an absent dOut).
#include "common.cuh"
#include "cell_math.h"

// ---- recurrent cells: one thread per (row, unit), grid-stride over batch × hidden ----

RNNCLUST_KERNEL void lstmForward(int batch, int hid, const float *__restrict__ xp, const float *__restrict__ hp,
                                 const float *__restrict__ bih, const float *__restrict__ bhh,
                                 const float *__restrict__ mask, const float *__restrict__ hprev,
                                 const float *__restrict__ cprev, float *__restrict__ h, float *__restrict__ c,
                                 float *__restrict__ out, int ldo, float *__restrict__ ws) {
    const long long g4 = 4LL * hid;
    GRID_STRIDE(e, (long long) batch * hid) {
        long long b = e / hid;
        int j = (int) (e - b * hid);
        const float *x = xp + b * g4, *r = hp + b * g4;
        float *w = ws + b * g4;
        float hv, cv, ov;
        if (mask[b] == 0.0f) {
            // Padding: the state carries over, out is 0 (the workspace row is left as it was).
            hv = hprev[e];
            cv = cprev[e];
            ov = 0.0f;
        } else {
            struct lstm_gates a = lstm_gates_forward(x, r, bih, bhh, hid, j);
            cv = lstm_cell_state(a, cprev[e]);
            hv = lstm_hidden_state(a, cv);
            ov = hv;
            lstm_save_gates(w, hid, j, a);
        }
        h[e] = hv;
        c[e] = cv;
        out[b * ldo + j] = ov;
    }
}

// dout may be null (no output gradient at this step).
RNNCLUST_KERNEL void lstmBackward(int batch, int hid, const float *__restrict__ ws, const float *__restrict__ mask,
                                  const float *__restrict__ cprev, const float *__restrict__ c,
                                  const float *__restrict__ dout, int lddo, float *__restrict__ dh,
                                  float *__restrict__ dc, float *__restrict__ dgates) {
    const long long g4 = 4LL * hid;
    GRID_STRIDE(e, (long long) batch * hid) {
        long long b = e / hid;
        int j = (int) (e - b * hid);
        float *dg = dgates + b * g4;
        if (mask[b] == 0.0f) {
            // Padding: zero gate gradients, dh and dc pass through unchanged.
            dg[j] = 0.0f;
            dg[hid + j] = 0.0f;
            dg[2 * hid + j] = 0.0f;
            dg[3 * hid + j] = 0.0f;
            continue;
        }
        struct lstm_gates a = lstm_load_gates(ws + b * g4, hid, j);
        float dht = dout == nullptr ? dh[e] : dh[e] + dout[b * lddo + j];
        dc[e] = lstm_backward_unit(a, c[e], dht, dc[e], cprev[e], dg, hid, j);
        // The rest of dh₋ is dGates·W_hh, the caller's GEMM.
        dh[e] = 0.0f;
    }
}

// ws rows are 4H: r, z, n and h₋·W_hnᵀ + b_hn.
RNNCLUST_KERNEL void gruForward(int batch, int hid, const float *__restrict__ xp, const float *__restrict__ hp,
                                const float *__restrict__ bih, const float *__restrict__ bhh,
                                const float *__restrict__ mask, const float *__restrict__ hprev,
                                float *__restrict__ h, float *__restrict__ out, int ldo, float *__restrict__ ws) {
    const long long g3 = 3LL * hid, g4 = 4LL * hid;
    GRID_STRIDE(e, (long long) batch * hid) {
        long long b = e / hid;
        int j = (int) (e - b * hid);
        float hv, ov;
        if (mask[b] == 0.0f) {
            hv = hprev[e];
            ov = 0.0f;
        } else {
            const float *x = xp + b * g3, *r = hp + b * g3;
            float *w = ws + b * g4;
            struct gru_gates a = gru_gates_forward(x, r, bih, bhh, hid, j);
            hv = gru_hidden_state(a, hprev[e]);
            ov = hv;
            gru_save_gates(w, hid, j, a);
        }
        h[e] = hv;
        out[b * ldo + j] = ov;
    }
}

// dout may be null.
RNNCLUST_KERNEL void gruBackward(int batch, int hid, const float *__restrict__ ws, const float *__restrict__ mask,
                                 const float *__restrict__ hprev, const float *__restrict__ dout, int lddo,
                                 float *__restrict__ dh, float *__restrict__ dgih, float *__restrict__ dghh) {
    const long long g3 = 3LL * hid, g4 = 4LL * hid;
    GRID_STRIDE(e, (long long) batch * hid) {
        long long b = e / hid;
        int j = (int) (e - b * hid);
        float *di = dgih + b * g3, *dr = dghh + b * g3;
        if (mask[b] == 0.0f) {
            di[j] = 0.0f;
            di[hid + j] = 0.0f;
            di[2 * hid + j] = 0.0f;
            dr[j] = 0.0f;
            dr[hid + j] = 0.0f;
            dr[2 * hid + j] = 0.0f;
            continue;
        }
        struct gru_gates a = gru_load_gates(ws + b * g4, hid, j);
        float dht = dout == nullptr ? dh[e] : dh[e] + dout[b * lddo + j];
        dh[e] = gru_backward_unit(a, dht, hprev[e], di, dr, hid, j);
    }
}

RNNCLUST_KERNEL void rnnTanhForward(int batch, int hid, const float *__restrict__ xp, const float *__restrict__ hp,
                                    const float *__restrict__ bih, const float *__restrict__ bhh,
                                    const float *__restrict__ mask, const float *__restrict__ hprev,
                                    float *__restrict__ h, float *__restrict__ out, int ldo) {
    GRID_STRIDE(e, (long long) batch * hid) {
        long long b = e / hid;
        int j = (int) (e - b * hid);
        float hv, ov;
        if (mask[b] == 0.0f) {
            hv = hprev[e];
            ov = 0.0f;
        } else {
            hv = rnn_forward_unit(xp[e], hp[e], bih[j], bhh[j]);
            ov = hv;
        }
        h[e] = hv;
        out[b * ldo + j] = ov;
    }
}

// dout may be null.
RNNCLUST_KERNEL void rnnTanhBackward(int batch, int hid, const float *__restrict__ mask, const float *__restrict__ h,
                                     const float *__restrict__ dout, int lddo, float *__restrict__ dh,
                                     float *__restrict__ dgates) {
    GRID_STRIDE(e, (long long) batch * hid) {
        long long b = e / hid;
        int j = (int) (e - b * hid);
        if (mask[b] == 0.0f) {
            dgates[e] = 0.0f;
            continue;
        }
        float dht = dout == nullptr ? dh[e] : dh[e] + dout[b * lddo + j];
        dgates[e] = rnn_backward_unit(h[e], dht);
        dh[e] = 0.0f;
    }
}

// ---- elementwise ----

// dst[r·ld + j] += bias[j] for a rows × cols matrix.
RNNCLUST_KERNEL void addRowVector(int rows, int cols, const float *__restrict__ bias, float *__restrict__ dst,
                                  int ld) {
    GRID_STRIDE(e, (long long) rows * cols) {
        long long r = e / cols;
        int j = (int) (e - r * cols);
        dst[r * ld + j] += bias[j];
    }
}

// Column sums of a rows × cols matrix (a bias gradient), deterministic and in double: block
// (bx, by) of a grid (⌈cols/blockDim.x⌉, chunks) sums columns bx·blockDim.x + threadIdx.x over the
// rows of chunk by, each of its blockDim.y row lanes taking every blockDim.y-th row; the lanes are
// then added in a fixed order into partial[by·cols + j]. addColumnPartials adds the chunks, in
// order, into dst. With many rows and few columns the chunks keep every SM busy.
// blockDim.y ≤ COLUMN_SUM_LANES, blockDim.x ≤ 32.
#define COLUMN_SUM_LANES 16
RNNCLUST_KERNEL void columnSumPartials(int rows, int cols, const float *__restrict__ src, int ld, int rowsPerChunk,
                                       double *__restrict__ partial) {
    __shared__ double part[COLUMN_SUM_LANES][32];
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    long long r0 = (long long) blockIdx.y * rowsPerChunk;
    long long r1 = r0 + rowsPerChunk < rows ? r0 + rowsPerChunk : rows;
    double s = 0.0;
    if (j < cols) {
        for (long long r = r0 + threadIdx.y; r < r1; r += blockDim.y) s += src[r * ld + j];
    }
    part[threadIdx.y][threadIdx.x] = s;
    __syncthreads();
    if (threadIdx.y == 0 && j < cols) {
        double t = 0.0;
        for (int l = 0; l < (int) blockDim.y; l++) t += part[l][threadIdx.x];
        partial[(long long) blockIdx.y * cols + j] = t;
    }
}

// dst[j] += Σ_c partial[c·cols + j], chunks added in order.
RNNCLUST_KERNEL void addColumnPartials(int chunks, int cols, const double *__restrict__ partial,
                                       float *__restrict__ dst) {
    GRID_STRIDE(j, cols) {
        double t = 0.0;
        for (int c = 0; c < chunks; c++) t += partial[(long long) c * cols + j];
        dst[j] = (float) ((double) dst[j] + t);
    }
}

// x *= alpha.
RNNCLUST_KERNEL void scaleKernel(float *__restrict__ x, long long n, float alpha) {
    GRID_STRIDE(i, n) x[i] *= alpha;
}

// y += alpha·x.
RNNCLUST_KERNEL void axpyKernel(long long n, float alpha, const float *__restrict__ x, float *__restrict__ y) {
    GRID_STRIDE(i, n) y[i] += alpha * x[i];
}

// src [d0, d1, inner] to dst [d1, d0, inner].
RNNCLUST_KERNEL void transpose01(int d0, int d1, int inner, const float *__restrict__ src, float *__restrict__ dst) {
    GRID_STRIDE(e, (long long) d0 * d1 * inner) {
        long long i = e / ((long long) d1 * inner);
        long long rest = e - i * d1 * inner;
        long long j = rest / inner;
        long long k = rest - j * inner;
        dst[(j * d0 + i) * inner + k] = src[e];
    }
}

// ---- max pooling over time with a leaky ReLU (DTC's encoder) ----

// The first maximum of window p in column r, and its value.
__device__ __forceinline__ long long poolArgmax(const float *__restrict__ in, long long rows, long long r,
                                                long long p, int pool, int stride, float *max) {
    long long first = p * stride;
    long long best = first;
    float m = in[first * rows + r];
    for (int i = 1; i < pool; i++) {
        float v = in[(first + i) * rows + r];
        if (v > m) {
            m = v;
            best = first + i;
        }
    }
    *max = m;
    return best;
}

// out[p, r] = leaky(in[argmax, r]) for the first maximum of window p (poolArgmax, as the backward
// and the CPU pick it) on time-major [steps, rows] matrices.
RNNCLUST_KERNEL void maxPoolLeakyRelu(int outSteps, int rows, int pool, int stride, float slope,
                                      const float *__restrict__ in, float *__restrict__ out) {
    GRID_STRIDE(e, (long long) outSteps * rows) {
        long long p = e / rows;
        long long r = e - p * rows;
        float m;
        poolArgmax(in, rows, r, p, pool, stride, &m);
        out[e] = m > 0.0f ? m : slope * m;
    }
}

// dIn[t, r] = Σ, over the windows p (ascending) whose first maximum is step t, of dOut[p, r] times
// 1 or slope: one thread per input element, gathering, so no two threads write one place.
RNNCLUST_KERNEL void maxPoolLeakyReluBackward(int inSteps, int outSteps, int rows, int pool, int stride,
                                              float slope, const float *__restrict__ in,
                                              const float *__restrict__ dOut, float *__restrict__ dIn) {
    GRID_STRIDE(e, (long long) inSteps * rows) {
        long long t = e / rows;
        long long r = e - t * rows;
        // Windows p with p·stride ≤ t < p·stride + pool.
        long long lo = t < pool ? 0 : (t - pool) / stride + 1;
        long long hi = t / stride;
        if (hi > outSteps - 1) hi = outSteps - 1;
        float g = 0.0f;
        for (long long p = lo; p <= hi; p++) {
            float m;
            if (poolArgmax(in, rows, r, p, pool, stride, &m) == t) {
                float d = dOut[p * rows + r];
                g += m > 0.0f ? d : slope * d;
            }
        }
        dIn[e] = g;
    }
}

// ---- reductions: per-block partial sums in double, then one block adds the partials ----

// Sums a block's per-thread values into shared[0]; blockDim.x must be a power of two.
__device__ __forceinline__ double blockSum(double v, double *shared) {
    shared[threadIdx.x] = v;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
        if (threadIdx.x < stride) shared[threadIdx.x] += shared[threadIdx.x + stride];
        __syncthreads();
    }
    return shared[0];
}

// partial[blockIdx.x] = Σ x² over the block's share. Dynamic shared memory: blockDim.x doubles.
RNNCLUST_KERNEL void sumSquaresPartials(const float *__restrict__ x, long long n, double *__restrict__ partial) {
    extern __shared__ double shared[];
    double s = 0.0;
    GRID_STRIDE(i, n) {
        double v = x[i];
        s += v * v;
    }
    double t = blockSum(s, shared);
    if (threadIdx.x == 0) partial[blockIdx.x] = t;
}

// The masked MSE's two sums per block: partial[2·blockIdx.x] = Σ_r w_r Σ_c (p−t)², partial[2·blockIdx.x + 1] = Σ_r w_r.
// Dynamic shared memory: blockDim.x doubles.
RNNCLUST_KERNEL void mseLossPartials(int rows, int cols, const float *__restrict__ pred,
                                     const float *__restrict__ target, const float *__restrict__ weight,
                                     double *__restrict__ partial) {
    extern __shared__ double shared[];
    double loss = 0.0, weights = 0.0;
    GRID_STRIDE(e, (long long) rows * cols) {
        long long r = e / cols;
        double w = weight[r];
        if (w == 0.0) continue;
        double d = (double) pred[e] - target[e];
        loss += w * d * d;
        if (e - r * cols == 0) weights += w;
    }
    double a = blockSum(loss, shared);
    __syncthreads();
    double b = blockSum(weights, shared);
    if (threadIdx.x == 0) {
        partial[2 * blockIdx.x] = a;
        partial[2 * blockIdx.x + 1] = b;
    }
}

// out[c] = Σ_b partial[b·stride + c] for c < stride, in one block of a power-of-two size, in a
// fixed order. Dynamic shared memory: blockDim.x doubles.
RNNCLUST_KERNEL void sumPartials(const double *__restrict__ partial, int count, int stride, double *__restrict__ out) {
    extern __shared__ double shared[];
    for (int c = 0; c < stride; c++) {
        double s = 0.0;
        for (int b = threadIdx.x; b < count; b += blockDim.x) s += partial[(long long) b * stride + c];
        double t = blockSum(s, shared);
        if (threadIdx.x == 0) out[c] = t;
        __syncthreads();
    }
}

// *out = Σ_r w_r, one block of a power-of-two size. Dynamic shared memory: blockDim.x doubles.
RNNCLUST_KERNEL void weightSum(int rows, const float *__restrict__ weight, double *__restrict__ out) {
    extern __shared__ double shared[];
    double s = 0.0;
    for (int r = threadIdx.x; r < rows; r += blockDim.x) s += weight[r];
    double t = blockSum(s, shared);
    if (threadIdx.x == 0) *out = t;
}

// grad = scale · 2·w_r·(p−t) / (cols·Σ w), Σ w from weightSum (0 when Σ w = 0).
RNNCLUST_KERNEL void mseLossBackward(int rows, int cols, const float *__restrict__ pred,
                                     const float *__restrict__ target, const float *__restrict__ weight,
                                     float scale, const double *__restrict__ weightTotal, float *__restrict__ grad) {
    double total = *weightTotal;
    double factor = total == 0.0 ? 0.0 : 2.0 * scale / (total * cols);
    GRID_STRIDE(e, (long long) rows * cols) {
        long long r = e / cols;
        double k = factor * weight[r];
        grad[e] = (float) (k * ((double) pred[e] - target[e]));
    }
}

// ---- optimizer ----

// torch.optim.Adam (amsgrad off), the float32 scalars derived on the host in double as PyTorch
// does. The products and sums are rounded one by one (no FMA contraction) in CpuOps.adam's order,
// so the GPU's parameters equal the CPU's bit for bit.
RNNCLUST_KERNEL void adamKernel(long long n, float *__restrict__ p, const float *__restrict__ g,
                                float *__restrict__ m, float *__restrict__ v, float wd, float b1, float b2,
                                float oneMinusB1, float oneMinusB2, float stepSize, float bc2Sqrt, float eps) {
    GRID_STRIDE(i, n) {
        float pi = p[i];
        float gi = g[i];
        if (wd != 0.0f) gi = __fadd_rn(gi, __fmul_rn(wd, pi));
        float mi = __fadd_rn(__fmul_rn(m[i], b1), __fmul_rn(oneMinusB1, gi));
        float vi = __fadd_rn(__fmul_rn(v[i], b2), __fmul_rn(__fmul_rn(oneMinusB2, gi), gi));
        m[i] = mi;
        v[i] = vi;
        float denom = __fadd_rn(__fdiv_rn(__fsqrt_rn(vi), bc2Sqrt), eps);
        p[i] = __fsub_rn(pi, __fmul_rn(stepSize, __fdiv_rn(mi, denom)));
    }
}

// ---- soft clustering (DEC / IDEC): CpuSoftAssignment's loops, in double like it ----

// ‖z_i − μ_j‖² in double.
__device__ __forceinline__ double decSqDistance(const float *__restrict__ z, const float *__restrict__ mu, int d) {
    double s = 0.0;
    for (int c = 0; c < d; c++) {
        double e = (double) z[c] - mu[c];
        s += e * e;
    }
    return s;
}

// The Student-t kernel (1 + dist/α)^(−(α+1)/2); α = 1 is 1/(1 + dist), as on the CPU.
__device__ __forceinline__ double decKernel(double dist, double alpha) {
    return alpha == 1.0 ? 1.0 / (1.0 + dist) : pow(1.0 + dist / alpha, -(alpha + 1.0) / 2.0);
}

// q [n, k]: one thread per row (k and d are small: tens).
RNNCLUST_KERNEL void studentTAssign(int n, int k, int d, float alpha, const float *__restrict__ z,
                                    const float *__restrict__ mu, float *__restrict__ q) {
    GRID_STRIDE(i, (long long) n) {
        const float *zi = z + i * d;
        double sum = 0.0;
        for (int j = 0; j < k; j++) sum += decKernel(decSqDistance(zi, mu + (long long) j * d, d), alpha);
        for (int j = 0; j < k; j++) {
            q[i * k + j] = (float) (decKernel(decSqDistance(zi, mu + (long long) j * d, d), alpha) / sum);
        }
    }
}

// f[j] = Σ_i q_ij: one block per cluster. Dynamic shared memory: blockDim.x doubles.
RNNCLUST_KERNEL void decFrequencies(int n, int k, const float *__restrict__ q, double *__restrict__ f) {
    extern __shared__ double shared[];
    int j = blockIdx.x;
    double s = 0.0;
    for (long long i = threadIdx.x; i < n; i += blockDim.x) s += q[i * k + j];
    double t = blockSum(s, shared);
    if (threadIdx.x == 0) f[j] = t;
}

// p_ij = (q_ij² / f_j) / Σ_l (q_il² / f_l), uniform where a row's sum is 0: one thread per row.
RNNCLUST_KERNEL void decTarget(int n, int k, const float *__restrict__ q, const double *__restrict__ f,
                               float *__restrict__ p) {
    GRID_STRIDE(i, (long long) n) {
        double sum = 0.0;
        for (int j = 0; j < k; j++) {
            double v = q[i * k + j];
            sum += f[j] > 0.0 ? v * v / f[j] : 0.0;
        }
        for (int j = 0; j < k; j++) {
            double v = q[i * k + j];
            double r = f[j] > 0.0 ? v * v / f[j] : 0.0;
            p[i * k + j] = (float) (sum > 0.0 ? r / sum : 1.0 / k);
        }
    }
}

// partial[blockIdx.x] = Σ p·log(p/q) over the block's share of the n·k entries, p > 0 only.
// Dynamic shared memory: blockDim.x doubles.
RNNCLUST_KERNEL void klPartials(long long count, const float *__restrict__ p, const float *__restrict__ q,
                                double *__restrict__ partial) {
    extern __shared__ double shared[];
    double s = 0.0;
    GRID_STRIDE(e, count) {
        double pv = p[e];
        if (pv > 0.0) s += pv * log(pv / (double) q[e]);
    }
    double t = blockSum(s, shared);
    if (threadIdx.x == 0) partial[blockIdx.x] = t;
}

// g_ij = scale·(α+1)/(α·n) · w_ij · (p_ij − q_ij) with w_ij = (1 + dist/α)⁻¹, in double.
__device__ __forceinline__ double decGradWeight(int n, int k, int d, double alpha, double scale,
                                                const float *__restrict__ zi, const float *__restrict__ mu,
                                                const float *__restrict__ q, const float *__restrict__ p,
                                                long long i, int j) {
    double factor = scale * (alpha + 1.0) / (alpha * n);
    double w = 1.0 / (1.0 + decSqDistance(zi, mu + (long long) j * d, d) / alpha);
    return factor * w * ((double) p[i * k + j] - q[i * k + j]);
}

// dz_ic += Σ_j g_ij (z_ic − μ_jc): one thread per (i, c), j in order as on the CPU.
RNNCLUST_KERNEL void decBackwardZ(int n, int k, int d, float alpha, float scale, const float *__restrict__ z,
                                  const float *__restrict__ mu, const float *__restrict__ q,
                                  const float *__restrict__ p, float *__restrict__ dz) {
    GRID_STRIDE(e, (long long) n * d) {
        long long i = e / d;
        int c = (int) (e - i * d);
        const float *zi = z + i * d;
        double acc = 0.0;
        for (int j = 0; j < k; j++) {
            double g = decGradWeight(n, k, d, alpha, scale, zi, mu, q, p, i, j);
            acc += g * ((double) zi[c] - mu[(long long) j * d + c]);
        }
        dz[e] = (float) (dz[e] + acc);
    }
}

// dμ_jc −= Σ_i g_ij (z_ic − μ_jc): one block per (j, c), the rows split over its threads.
// Dynamic shared memory: blockDim.x doubles.
RNNCLUST_KERNEL void decBackwardMu(int n, int k, int d, float alpha, float scale, const float *__restrict__ z,
                                   const float *__restrict__ mu, const float *__restrict__ q,
                                   const float *__restrict__ p, float *__restrict__ dmu) {
    extern __shared__ double shared[];
    int j = blockIdx.x / d;
    int c = blockIdx.x - j * d;
    double s = 0.0;
    for (long long i = threadIdx.x; i < n; i += blockDim.x) {
        const float *zi = z + i * d;
        double g = decGradWeight(n, k, d, alpha, scale, zi, mu, q, p, i, j);
        s += g * ((double) zi[c] - mu[(long long) j * d + c]);
    }
    double t = blockSum(s, shared);
    if (threadIdx.x == 0) dmu[blockIdx.x] = (float) (dmu[blockIdx.x] - t);
}

// ---- a training step's scalars on the device (TensorOps' device scalars) ----
// Doubles, rounded op by op (no FMA contraction), in the order of CheckedTensorOps' host defaults,
// which the CPU runs: the GPU's loss, norm and clipping factor are the host formulas' values for
// the same sums.

// True for a finite v (false for ±∞ and NaN), without math headers.
__device__ __forceinline__ bool finiteDouble(double v) {
    return __dsub_rn(v, v) == 0.0;
}

// *out = Σ_r w_r Σ_c (p−t)² / (cols·Σ_r w_r), 0 when Σ w = 0: mseLossPartials' pairs added as
// sumPartials(partial, count, 2, ·) adds them, then mseLoss's host division. One block of a
// power-of-two size. Dynamic shared memory: blockDim.x doubles.
RNNCLUST_KERNEL void mseLossFinish(const double *__restrict__ partial, int count, int cols, double *__restrict__ out) {
    extern __shared__ double shared[];
    double s = 0.0;
    for (int b = threadIdx.x; b < count; b += blockDim.x) s += partial[2LL * b];
    double loss = blockSum(s, shared);
    __syncthreads();
    s = 0.0;
    for (int b = threadIdx.x; b < count; b += blockDim.x) s += partial[2LL * b + 1];
    double weights = blockSum(s, shared);
    if (threadIdx.x == 0) *out = weights == 0.0 ? 0.0 : __ddiv_rn(loss, __dmul_rn(weights, (double) cols));
}

// Global-norm clipping with the squared norm on the device: f = maxNorm / (√sumSquares + 1e-6);
// x *= (float) f when f < 1 (a NaN f leaves x as it is).
RNNCLUST_KERNEL void clipByNormKernel(float *__restrict__ x, long long n, const double *__restrict__ sumSquares,
                                      double maxNorm) {
    double f = __ddiv_rn(maxNorm, __dadd_rn(__dsqrt_rn(*sumSquares), 1e-6));
    if (!(f < 1.0)) return;
    float a = (float) f;
    GRID_STRIDE(i, n) x[i] = __fmul_rn(x[i], a);
}

// One training batch's record (TensorOps.recordBatch), in one thread: the epoch's weighted loss
// sum, the last norm, and the first diverged batch with its loss, zeros-loss and norm.
RNNCLUST_KERNEL void recordBatch(double *__restrict__ s, int lossSlot, double hostLoss, double weight,
                                 double zerosLoss, double lossLimit, int normSlot, int batch, int record) {
    if (blockIdx.x != 0 || threadIdx.x != 0) return;
    double loss = lossSlot < 0 ? hostLoss : s[lossSlot];
    double norm = __dsqrt_rn(s[normSlot]);
    double *r = s + record;
    if (weight > 0.0) r[0] = __dadd_rn(r[0], __dmul_rn(loss, weight));
    r[1] = norm;
    if (r[2] < 0.0 && (!finiteDouble(loss) || loss > lossLimit || !finiteDouble(norm))) {
        r[2] = (double) batch;
        r[3] = loss;
        r[4] = zerosLoss;
        r[5] = norm;
    }
}

// dst[t·n + i] = src[i] for t < times, i < n: the decoder's input, z at every step, in one launch.
RNNCLUST_KERNEL void repeatKernel(long long n, int times, const float *__restrict__ src, float *__restrict__ dst) {
    GRID_STRIDE(e, n * times) dst[e] = src[e % n];
}

// A training batch from a dataset kept in device memory: dst [steps, count, channels], time-major,
// from sequences index[b] of src [n, maxSteps, channels]: dst[(s·count + b)·channels + j] =
// src[(index[b]·maxSteps + s)·channels + j] for s < steps. The host then sends only the count
// indices of a batch, not its values.
RNNCLUST_KERNEL void gatherSequences(int count, int steps, int maxSteps, int channels,
                                     const float *__restrict__ src, const int *__restrict__ index,
                                     float *__restrict__ dst) {
    GRID_STRIDE(e, (long long) steps * count * channels) {
        long long row = e / channels;
        int j = (int) (e - row * channels);
        int b = (int) (row % count);
        long long s = row / count;
        dst[e] = src[((long long) index[b] * maxSteps + s) * channels + j];
    }
}
