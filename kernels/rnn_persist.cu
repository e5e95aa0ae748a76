// Persistent forward and backward kernels of the LSTM and GRU layers (after Diamos et al.,
// "Persistent RNNs", ICML 2016): one launch runs all T steps of one direction of a layer (the
// backward is in its own section below; this note is the forward's). The per-step path of rnn.cu
// (a cuBLAS GEMM h₋·W_hhᵀ and a fused cell kernel per step) costs two launches or graph nodes per
// step, which dominate at small batch and hidden sizes; here W_hh is read from global memory once
// and the steps are separated by a grid-wide barrier instead of kernel boundaries.
//
// Work split. Block i owns a slice of hidden units [j0, j0 + units) — all G gates of each (G = 4
// for LSTM i,f,g,o; 3 for GRU r,z,n) — and a slice of batch rows, and holds the rows of W_hh for its
// units in shared memory for the whole sequence. Per step it stages the entering state h₋ of its
// batch rows (in chunks of chunkRows rows) in shared memory, computes the recurrent products of its
// units' gates, applies the cell math of cell_math.h and writes h (and c), the output and the gate
// workspace exactly where the per-step path writes them (org.rnnclust.backend.RecurrentCellOps and
// the layer's [T+1, B, H] state slots), so the per-step backward consumes the result unchanged.
// Then every block waits at the grid barrier before the next step reads the new state.
//
// Thread split. kSplit consecutive threads (a power of two, at most 32, so they share a warp) take
// one (row, unit) item: thread p of the group sums k = p, p + kSplit, … of the G dot products over
// the hidden size, the group adds its partial sums with shuffles, and its first thread runs the
// cell. The items of a warp differ first by batch row, so its threads read the same W_hh row
// (a broadcast) and the staged states at a row stride that is kSplit modulo 32 banks, which keeps
// the shared-memory reads free of bank conflicts.
//
// Numerics. The recurrent product sums over k in a different order than cuBLAS does (and nvcc
// contracts its multiply-adds), so results match the per-step path to rounding, not to the bit; the
// element math after it is cell_math.h's, the same as rnn.cu's and native/cpu/cells.c's. With
// zeroH0 the first step's recurrent product is exactly 0, as the per-step path's zeroed hProj.
//
// Launch contract (org.rnnclust.backend.cuda.PersistentRnn computes it): every block must be
// resident at once, so the grid is at most the co-resident block count for this block size and
// shared memory, and the launch is cooperative (cuLaunchCooperativeKernel), which the driver
// refuses rather than run a grid that does not fit. gridDim.x = ⌈hid/units⌉ · ⌈batch/rowsPerSlice⌉;
// blockDim.x a multiple of 32 and of kSplit; dynamic shared memory
// persistSharedFloats(hid, units, chunkRows, kSplit, G) floats. barrier: two unsigned ints, zero
// before the first launch; every launch leaves them ready for the next.
//
// Register and shared-memory use (nvcc 13.0, -O3 -Xptxas -v; sm_80 / sm_90): lstmPersistForward
// 56 / 61 registers, gruPersistForward 50 / 56, lstmPersistBackward 43 / 45, gruPersistBackward
// 56 / 40; no spills, no stack, no static shared memory (all of it dynamic, as above). At 256
// threads that is at most 16k of an SM's 64k registers: the grid's one block per SM is bounded by
// shared memory, never by registers.
#include "common.cuh"
#include "cell_math.h"

// Stand-in for a back-off in the barrier's spin; the host emulation of native/kernel-check defines
// it to yield its threads.
#ifndef RNNCLUST_SPIN_PAUSE
#define RNNCLUST_SPIN_PAUSE()
#endif

// The row stride of W_hh's rows and of the staged states in shared memory: the hidden size rounded
// up to 32 floats, plus kSplit modulo 32, so that the kSplit threads of one item and the items of
// one warp fall into distinct banks.
__device__ __forceinline__ int persistStride(int hid, int kSplit) {
    return (hid + 31) / 32 * 32 + kSplit % 32;
}

// Grid-wide barrier on a global counter, with a generation number: bar[0] counts the blocks that
// have arrived, bar[1] is the generation. Each block reads the generation before it arrives; the
// last to arrive resets the count and advances the generation, which releases the others. The
// fences make each block's writes of this step (h, c, out, ws) visible to every block after it.
__device__ __forceinline__ void persistGridBarrier(unsigned int *bar) {
    __syncthreads();
    if (threadIdx.x == 0) {
        volatile unsigned int *generation = bar + 1;
        unsigned int g = *generation;
        __threadfence();
        if (atomicAdd(bar, 1u) == gridDim.x - 1) {
            atomicExch(bar, 0u);
            __threadfence();
            atomicAdd(bar + 1, 1u);
        } else {
            while (*generation == g) RNNCLUST_SPIN_PAUSE();
        }
        __threadfence();
    }
    __syncthreads();
}

// The forward time loop for G = 4 (LSTM; cs is its cell-state slots) or G = 3 (GRU; cs unused).
// xp [T, B, G·H] input projections without bias; whh [G·H, H] (PyTorch's layout); mask [T, B];
// hs, cs [T+1, B, H] state slots, the entering slot of the first step already set; out: row
// (t·B + b) at out + (t·B + b)·ldo; ws [T, B, 4H] gate workspace. Reverse runs t = T−1..0 from
// slot t+1 into slot t, forward t = 0..T−1 from slot t into slot t+1.
template <int G>
__device__ __forceinline__ void persistForward(int steps, int batch, int hid, int reverse, int zeroH0, int units,
                                               int rowsPerSlice, int kSplit, int chunkRows,
                                               const float *__restrict__ xp, const float *__restrict__ whh,
                                               const float *__restrict__ bih, const float *__restrict__ bhh,
                                               const float *__restrict__ mask, float *hs, float *cs, float *out,
                                               int ldo, float *ws, unsigned int *bar, float *shared) {
    const int ld = persistStride(hid, kSplit);
    const int unitSlices = (hid + units - 1) / units;
    const int j0 = (int) (blockIdx.x % unitSlices) * units;
    const int nu = hid - j0 < units ? hid - j0 : units;
    const int b0 = (int) (blockIdx.x / unitSlices) * rowsPerSlice;
    const int nb = batch - b0 < rowsPerSlice ? batch - b0 : rowsPerSlice;
    float *wsh = shared;                       // [G·units, ld]: row q·units + u is W_hh row q·H + j0 + u
    float *hsh = shared + (long long) G * units * ld;  // [chunkRows, ld]: staged h₋ rows
    const long long bh = (long long) batch * hid;

    for (int e = threadIdx.x; e < G * units * hid; e += blockDim.x) {
        int row = e / hid, k = e - row * hid;
        int q = row / units, u = row - q * units;
        wsh[row * ld + k] = u < nu ? whh[((long long) q * hid + j0 + u) * hid + k] : 0.0f;
    }
    __syncthreads();

    const int itemsPerPass = blockDim.x / kSplit;
    const int part = threadIdx.x % kSplit;
    for (int s = 0; s < steps; s++) {
        const int t = reverse ? steps - 1 - s : s;
        const float *hprev = hs + (long long) (reverse ? t + 1 : t) * bh;
        float *hnext = hs + (long long) (reverse ? t : t + 1) * bh;
        const bool noProduct = zeroH0 && s == 0;
        for (int c0 = 0; c0 < nb; c0 += chunkRows) {
            const int nc = nb - c0 < chunkRows ? nb - c0 : chunkRows;
            if (!noProduct) {
                // Other blocks wrote these states in the previous step: read past L1 (__ldcg).
                for (int e = threadIdx.x; e < nc * hid; e += blockDim.x) {
                    int r = e / hid, k = e - r * hid;
                    hsh[r * ld + k] = __ldcg(hprev + (long long) (b0 + c0 + r) * hid + k);
                }
            }
            __syncthreads();
            // Every thread runs the same number of passes: the shuffles need whole warps.
            const int items = nc * nu;
            for (int base = 0; base < items; base += itemsPerPass) {
                const int item = base + (int) threadIdx.x / kSplit;
                const bool active = item < items;
                const int u = active ? item / nc : 0;
                const int r = active ? item - u * nc : 0;
                float acc[G];
                for (int q = 0; q < G; q++) acc[q] = 0.0f;
                if (active && !noProduct) {
                    const float *hrow = hsh + r * ld;
                    for (int k = part; k < hid; k += kSplit) {
                        float hv = hrow[k];
                        for (int q = 0; q < G; q++) acc[q] += wsh[(q * units + u) * ld + k] * hv;
                    }
                }
                for (int off = kSplit / 2; off > 0; off >>= 1) {
                    for (int q = 0; q < G; q++) acc[q] += __shfl_xor_sync(0xffffffffu, acc[q], off);
                }
                if (!active || part != 0) continue;
                const int b = b0 + c0 + r, j = j0 + u;
                const long long row = (long long) t * batch + b;
                const long long e = (long long) b * hid + j;
                // The cell math of cell_math.h on this unit's G gates, gathered into arrays of one
                // unit (hid = 1, j = 0), so that it reads its operands in its own order.
                float x[G], hx[G], bi[G], bb[G];
                for (int q = 0; q < G; q++) {
                    x[q] = xp[row * G * hid + (long long) q * hid + j];
                    hx[q] = acc[q];
                    bi[q] = bih[q * hid + j];
                    bb[q] = bhh[q * hid + j];
                }
                const float hp = __ldcg(hprev + e);
                float hv, ov;
                if constexpr (G == 4) {
                    const float *cprev = cs + (long long) (reverse ? t + 1 : t) * bh;
                    float *cnext = cs + (long long) (reverse ? t : t + 1) * bh;
                    const float cp = __ldcg(cprev + e);
                    float cv;
                    if (mask[row] == 0.0f) {
                        // Padding: the state carries over, out is 0, the workspace row is left alone.
                        hv = hp;
                        cv = cp;
                        ov = 0.0f;
                    } else {
                        struct lstm_gates a = lstm_gates_forward(x, hx, bi, bb, 1, 0);
                        cv = lstm_cell_state(a, cp);
                        hv = lstm_hidden_state(a, cv);
                        ov = hv;
                        lstm_save_gates(ws + row * 4 * hid, hid, j, a);
                    }
                    cnext[e] = cv;
                } else {
                    if (mask[row] == 0.0f) {
                        hv = hp;
                        ov = 0.0f;
                    } else {
                        struct gru_gates a = gru_gates_forward(x, hx, bi, bb, 1, 0);
                        hv = gru_hidden_state(a, hp);
                        ov = hv;
                        gru_save_gates(ws + row * 4 * hid, hid, j, a);
                    }
                }
                hnext[e] = hv;
                out[row * ldo + j] = ov;
            }
            // The next chunk overwrites the staged rows.
            __syncthreads();
        }
        if (s < steps - 1) persistGridBarrier(bar);
    }
}

RNNCLUST_KERNEL void lstmPersistForward(int steps, int batch, int hid, int reverse, int zeroH0, int units,
                                        int rowsPerSlice, int kSplit, int chunkRows, const float *__restrict__ xp,
                                        const float *__restrict__ whh, const float *__restrict__ bih,
                                        const float *__restrict__ bhh, const float *__restrict__ mask, float *hs,
                                        float *cs, float *out, int ldo, float *ws, unsigned int *bar) {
    extern __shared__ float persistShared[];
    persistForward<4>(steps, batch, hid, reverse, zeroH0, units, rowsPerSlice, kSplit, chunkRows, xp, whh, bih, bhh,
                      mask, hs, cs, out, ldo, ws, bar, persistShared);
}

// cs is unused (GRU has no cell state); any pointer.
RNNCLUST_KERNEL void gruPersistForward(int steps, int batch, int hid, int reverse, int zeroH0, int units,
                                       int rowsPerSlice, int kSplit, int chunkRows, const float *__restrict__ xp,
                                       const float *__restrict__ whh, const float *__restrict__ bih,
                                       const float *__restrict__ bhh, const float *__restrict__ mask, float *hs,
                                       float *cs, float *out, int ldo, float *ws, unsigned int *bar) {
    extern __shared__ float persistShared[];
    persistForward<3>(steps, batch, hid, reverse, zeroH0, units, rowsPerSlice, kSplit, chunkRows, xp, whh, bih, bhh,
                      mask, hs, cs, out, ldo, ws, bar, persistShared);
}

// ---- the persistent backward ----
//
// The per-step backward (RecurrentLayer.backwardSteps) runs per step t, latest first, a fused cell
// backward (rnn.cu's lstmBackward / gruBackward: the gate gradients of step t, dc, and dh's part
// that does not go through W_hh) and one GEMM dh += dGatesHh·W_hh. Here one launch runs all steps.
// Block i owns the same units and batch rows as in the forward, now as columns k of dh: per step,
// phase A runs the cell backward of its units and rows (reading and writing only its own dh and dc
// entries), the grid waits (phase B needs every unit's gate gradients), and phase B adds to its dh
// columns the products of the step's gate-gradient rows (staged in shared memory) with its columns of
// W_hh, held in shared memory for the whole sequence. The next step's phase A reads only what the
// same block wrote, so one barrier per step suffices: other blocks may still be in phase B reading
// gate-gradient rows of step t while this one writes those of the next step, other rows.
//
// Arguments as the per-step ops take them: ws [T, B, 4H] the forward's workspace; mask [T, B]; hs,
// cs [T+1, B, H] the forward's states (hs read by GRU, cs by LSTM); dout: row (t·B + b) of the
// output gradient at dout + (t·B + b)·lddo, or null; whh [G·H, H]; dh, dc [B, H] the gradients of the
// last step's leaving state, in and out (dc LSTM only); dgi, dgh [T, B, G·H] the gate gradients of
// the input and recurrent sides (the same buffer for LSTM, where they are equal). needDh0: also
// add the first step's (in time order of the loop: the last one run) recurrent product, which only
// feeds dh0. Launch contract as the forward's, with the stride of the rows in shared memory
// persistStride(G·H, kSplit) and persistSharedFloats = (units + chunkRows) · that stride.
template <int G>
__device__ __forceinline__ void persistBackward(int steps, int batch, int hid, int reverse, int needDh0, int units,
                                                int rowsPerSlice, int kSplit, int chunkRows,
                                                const float *__restrict__ ws, const float *__restrict__ mask,
                                                const float *__restrict__ hs, const float *__restrict__ cs,
                                                const float *__restrict__ dout, int lddo,
                                                const float *__restrict__ whh, float *dh, float *dc, float *dgi,
                                                float *dgh, unsigned int *bar, float *shared) {
    const int gh = G * hid;
    const int ld = persistStride(gh, kSplit);
    const int unitSlices = (hid + units - 1) / units;
    const int j0 = (int) (blockIdx.x % unitSlices) * units;
    const int nu = hid - j0 < units ? hid - j0 : units;
    const int b0 = (int) (blockIdx.x / unitSlices) * rowsPerSlice;
    const int nb = batch - b0 < rowsPerSlice ? batch - b0 : rowsPerSlice;
    float *wsh = shared;                            // [units, ld]: row u is column j0 + u of W_hh
    float *gsh = shared + (long long) units * ld;   // [chunkRows, ld]: staged gate-gradient rows
    const long long bh = (long long) batch * hid;

    // Consecutive threads read consecutive units of one W_hh row (coalesced).
    for (int e = threadIdx.x; e < units * gh; e += blockDim.x) {
        int q = e / units, u = e - q * units;
        wsh[u * ld + q] = u < nu ? whh[(long long) q * hid + j0 + u] : 0.0f;
    }
    __syncthreads();

    const int itemsPerPass = blockDim.x / kSplit;
    const int part = threadIdx.x % kSplit;
    for (int s = 0; s < steps; s++) {
        const int t = reverse ? s : steps - 1 - s;
        const long long prev = (long long) (reverse ? t + 1 : t) * bh;
        const long long next = (long long) (reverse ? t : t + 1) * bh;
        const long long row0 = (long long) t * batch;
        // Phase A: the cell backward of this block's units and rows (rnn.cu's per-step kernels).
        for (int e = threadIdx.x; e < nb * nu; e += blockDim.x) {
            const int b = b0 + e / nu, j = j0 + e % nu;
            const long long row = row0 + b;
            const long long idx = (long long) b * hid + j;
            float *di = dgi + row * gh, *dr = dgh + row * gh;
            if (mask[row] == 0.0f) {
                // Padding: zero gate gradients, dh (and dc) pass through unchanged.
                for (int q = 0; q < G; q++) {
                    di[q * hid + j] = 0.0f;
                    dr[q * hid + j] = 0.0f;
                }
                continue;
            }
            const float dht = dout == nullptr ? dh[idx] : dh[idx] + dout[row * lddo + j];
            if constexpr (G == 4) {
                struct lstm_gates a = lstm_load_gates(ws + row * 4 * hid, hid, j);
                dc[idx] = lstm_backward_unit(a, cs[next + idx], dht, dc[idx], cs[prev + idx], di, hid, j);
                dh[idx] = 0.0f;
            } else {
                struct gru_gates a = gru_load_gates(ws + row * 4 * hid, hid, j);
                dh[idx] = gru_backward_unit(a, dht, hs[prev + idx], di, dr, hid, j);
            }
        }
        // The step's last product only feeds dh0.
        if (s == steps - 1 && !needDh0) break;
        persistGridBarrier(bar);
        // Phase B: dh[:, own units] += dGatesHh(t)·W_hh[:, own units].
        for (int c0 = 0; c0 < nb; c0 += chunkRows) {
            const int nc = nb - c0 < chunkRows ? nb - c0 : chunkRows;
            // Other blocks wrote these gate gradients in phase A: read past L1 (__ldcg).
            for (int e = threadIdx.x; e < nc * gh; e += blockDim.x) {
                int r = e / gh, q = e - r * gh;
                gsh[r * ld + q] = __ldcg(dgh + (row0 + b0 + c0 + r) * gh + q);
            }
            __syncthreads();
            const int items = nc * nu;
            for (int base = 0; base < items; base += itemsPerPass) {
                const int item = base + (int) threadIdx.x / kSplit;
                const bool active = item < items;
                const int u = active ? item / nc : 0;
                const int r = active ? item - u * nc : 0;
                float acc = 0.0f;
                if (active) {
                    const float *grow = gsh + r * ld, *wrow = wsh + u * ld;
                    for (int q = part; q < gh; q += kSplit) acc += wrow[q] * grow[q];
                }
                for (int off = kSplit / 2; off > 0; off >>= 1) acc += __shfl_xor_sync(0xffffffffu, acc, off);
                if (!active || part != 0) continue;
                const long long idx = (long long) (b0 + c0 + r) * hid + j0 + u;
                dh[idx] = dh[idx] + acc;
            }
            __syncthreads();
        }
    }
}

// dout may be null (no output gradient); dc is unused by GRU, dgh is dgi for LSTM.
RNNCLUST_KERNEL void lstmPersistBackward(int steps, int batch, int hid, int reverse, int needDh0, int units,
                                         int rowsPerSlice, int kSplit, int chunkRows, const float *__restrict__ ws,
                                         const float *__restrict__ mask, const float *__restrict__ hs,
                                         const float *__restrict__ cs, const float *__restrict__ dout, int lddo,
                                         const float *__restrict__ whh, float *dh, float *dc, float *dgi, float *dgh,
                                         unsigned int *bar) {
    extern __shared__ float persistShared[];
    persistBackward<4>(steps, batch, hid, reverse, needDh0, units, rowsPerSlice, kSplit, chunkRows, ws, mask, hs, cs,
                       dout, lddo, whh, dh, dc, dgi, dgh, bar, persistShared);
}

RNNCLUST_KERNEL void gruPersistBackward(int steps, int batch, int hid, int reverse, int needDh0, int units,
                                        int rowsPerSlice, int kSplit, int chunkRows, const float *__restrict__ ws,
                                        const float *__restrict__ mask, const float *__restrict__ hs,
                                        const float *__restrict__ cs, const float *__restrict__ dout, int lddo,
                                        const float *__restrict__ whh, float *dh, float *dc, float *dgi, float *dgh,
                                        unsigned int *bar) {
    extern __shared__ float persistShared[];
    persistBackward<3>(steps, batch, hid, reverse, needDh0, units, rowsPerSlice, kSplit, chunkRows, ws, mask, hs, cs,
                       dout, lddo, whh, dh, dc, dgi, dgh, bar, persistShared);
}
