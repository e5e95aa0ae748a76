// kernels/rnn_persist.cu (the persistent LSTM and GRU forward and backward) on the host, every
// thread of a small grid at once with the grid barrier for real (grid_shim.h), against the
// per-step path written plainly. Forward: per step the recurrent product h₋·W_hhᵀ as a float loop
// over k in order, then native/cpu/cells.c's lstm_forward / gru_forward (cell_math.h, as the
// kernel). Backward, from the reference forward's states and workspace: per step, latest first,
// cells.c's lstm_backward / gru_backward, then dh += dGatesHh·W_hh as a float loop over the gate
// rows in order (left out at the last step run unless dh0 is wanted). Cases: forward and reverse,
// with and without a zero initial state (and dh0 wanted or not), with and without an output
// gradient, variable sequence lengths (one of them 0, whose row only carries h0 through), hidden
// sizes that the unit slices do not divide, batch slices and row chunks that do not divide the
// batch, and kSplit = 1 to 32.
//
// What must agree and how closely: with kSplit = 1 each thread sums its products in order from 0,
// as the reference does, and the host does not contract multiply-adds, so every output must be
// bit-equal. With kSplit > 1 the sum is split into kSplit interleaved partial sums added in a
// butterfly, a different rounding order; each product then differs by a few ulps of the sum of
// |terms| (at most 160 terms here, their sums of order 1 to 10), and the cells' derivatives are at
// most 1, so after T ≤ 6 steps the largest difference stays at a few ulps of the outputs (|c| < 4,
// whose ulp is 4.8e-7; up to 4.8e-7 is seen): the bound is 4e-6, 8 such ulps, while a wrong index,
// mask, step order or a missing barrier gives differences of order 0.1 to 1 (it is printed). The
// forward's workspace is compared only where the step is inside the sequence: masked rows are left
// unspecified by RecurrentCellOps (cells.c writes them, the kernel does not).
#include "grid_shim.h"
#include "rnn_persist_host.cu"
extern "C" {
#define JNIEXPORT
#define JNICALL
typedef void JNIEnv; typedef void *jclass; typedef int jint; typedef long long jlong;
}
#define jni_h_included
#include "cells_host.h"
#include <algorithm>
#include <cstdio>
#include <vector>

static unsigned long long seed = 7;
static float rnd() {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((seed >> 40) / (float) (1 << 24)) * 2.f - 1.f;
}
static std::vector<float> R(size_t n, float scale = 1.f) {
    std::vector<float> v(n);
    for (auto &x : v) x = scale * rnd();
    return v;
}

struct Case {
    int lstm, steps, batch, hid, reverse, zeroH0, units, rowsPerSlice, kSplit, chunkRows, threads;
};

static void runCase(const Case &c) {
    const int G = c.lstm ? 4 : 3, T = c.steps, B = c.batch, H = c.hid, GH = G * H, ldo = 2 * H + 3, oOff = H + 1;
    auto xp = R((size_t) T * B * GH), whh = R((size_t) GH * H, 0.5f), bih = R(GH), bhh = R(GH);
    // Lengths: row b runs len[b] steps; row 1 none at all.
    std::vector<float> mask((size_t) T * B);
    for (int b = 0; b < B; b++) {
        int len = b == 1 ? 0 : b == 0 ? T : 1 + (b * 3) % T;
        for (int t = 0; t < T; t++) mask[(size_t) t * B + b] = t < len ? 1.f : 0.f;
    }
    size_t slots = (size_t) (T + 1) * B * H;
    std::vector<float> hsA(slots, 0.f), csA(slots, 0.f);
    auto h0 = R((size_t) B * H), c0 = R((size_t) B * H);
    size_t init = c.reverse ? (size_t) T * B * H : 0;
    if (!c.zeroH0) std::copy(h0.begin(), h0.end(), hsA.begin() + init);
    std::copy(c0.begin(), c0.end(), csA.begin() + init);
    auto hsB = hsA, csB = csA;
    // Outputs and workspace start with the same fill, so untouched places compare equal too.
    auto outA = R((size_t) T * B * ldo + oOff), wsA = R((size_t) T * B * 4 * H);
    auto outB = outA, wsB = wsA;

    // The kernel.
    unsigned bar[2] = {0, 0};
    int unitSlices = (H + c.units - 1) / c.units, batchSlices = (B + c.rowsPerSlice - 1) / c.rowsPerSlice;
    size_t sharedFloats = (size_t) (G * c.units + c.chunkRows) * persistStride(H, c.kSplit);
    launchCooperative(unitSlices * batchSlices, c.threads, sharedFloats, [&] {
        if (c.lstm) {
            lstmPersistForward(T, B, H, c.reverse, c.zeroH0, c.units, c.rowsPerSlice, c.kSplit, c.chunkRows,
                               xp.data(), whh.data(), bih.data(), bhh.data(), mask.data(), hsA.data(), csA.data(),
                               outA.data() + oOff, ldo, wsA.data(), bar);
        } else {
            gruPersistForward(T, B, H, c.reverse, c.zeroH0, c.units, c.rowsPerSlice, c.kSplit, c.chunkRows,
                              xp.data(), whh.data(), bih.data(), bhh.data(), mask.data(), hsA.data(), csA.data(),
                              outA.data() + oOff, ldo, wsA.data(), bar);
        }
    });

    // The per-step reference.
    std::vector<float> hproj((size_t) B * GH);
    for (int s = 0; s < T; s++) {
        int t = c.reverse ? T - 1 - s : s;
        size_t prev = (size_t) (c.reverse ? t + 1 : t) * B * H, next = (size_t) (c.reverse ? t : t + 1) * B * H;
        for (int b = 0; b < B; b++) {
            for (int r = 0; r < GH; r++) {
                float sum = 0.f;
                if (!(c.zeroH0 && s == 0)) {
                    for (int k = 0; k < H; k++) sum += hsB[prev + (size_t) b * H + k] * whh[(size_t) r * H + k];
                }
                hproj[(size_t) b * GH + r] = sum;
            }
        }
        size_t row = (size_t) t * B;
        if (c.lstm) {
            lstm_forward(B, H, xp.data() + row * GH, hproj.data(), bih.data(), bhh.data(), mask.data() + row,
                         hsB.data() + prev, csB.data() + prev, hsB.data() + next, csB.data() + next,
                         outB.data() + oOff + row * ldo, ldo, wsB.data() + row * 4 * H);
        } else {
            gru_forward(B, H, xp.data() + row * GH, hproj.data(), bih.data(), bhh.data(), mask.data() + row,
                        hsB.data() + prev, hsB.data() + next, outB.data() + oOff + row * ldo, ldo,
                        wsB.data() + row * 4 * H);
        }
    }

    double worst = 0;
    auto cmp = [&](const std::vector<float> &a, const std::vector<float> &b) {
        for (size_t i = 0; i < a.size(); i++) worst = std::max(worst, (double) std::fabs(a[i] - b[i]));
    };
    cmp(hsA, hsB);
    if (c.lstm) cmp(csA, csB);
    cmp(outA, outB);
    for (int t = 0; t < T; t++) {
        for (int b = 0; b < B; b++) {
            if (mask[(size_t) t * B + b] == 0.f) continue;
            for (int e = 0; e < 4 * H; e++) {
                size_t i = ((size_t) t * B + b) * 4 * H + e;
                worst = std::max(worst, (double) std::fabs(wsA[i] - wsB[i]));
            }
        }
    }
    bool exact = c.kSplit == 1;
    bool ok = exact ? worst == 0 : worst <= 4e-6;
    printf("%s %s persistent forward  T=%d B=%d H=%d %s h0=%s units=%d rows/slice=%d kSplit=%d chunk=%d grid=%d: max |diff| %.3g (%s)\n",
           ok ? "ok      " : "MISMATCH", c.lstm ? "lstm" : "gru ", T, B, H, c.reverse ? "reverse" : "forward",
           c.zeroH0 ? "zero" : "given", c.units, c.rowsPerSlice, c.kSplit, c.chunkRows, unitSlices * batchSlices,
           worst, exact ? "must be 0" : "<= 4e-6");

    // The backward of the same loop, from the reference forward's states and workspace, against the
    // per-step backward: cells.c's lstm_backward / gru_backward, then dh += dGatesHh·W_hh as a plain
    // loop over the gate rows in order (skipped at the last step run unless dh0 is wanted).
    const bool needDh0 = !c.zeroH0, withDout = c.kSplit != 4;
    auto dOut = R((size_t) T * B * ldo + oOff), dhA = R((size_t) B * H), dcA = R((size_t) B * H);
    auto dhB = dhA, dcB = dcA;
    std::vector<float> dgiA((size_t) T * B * GH, 9.f), dghA(dgiA), dgiB(dgiA), dghB(dgiA);
    const float *dout = withDout ? dOut.data() + oOff : nullptr;
    float *dghKernel = c.lstm ? dgiA.data() : dghA.data();
    size_t backShared = (size_t) (c.units + c.chunkRows) * persistStride(GH, c.kSplit);
    launchCooperative(unitSlices * batchSlices, c.threads, backShared, [&] {
        if (c.lstm) {
            lstmPersistBackward(T, B, H, c.reverse, needDh0, c.units, c.rowsPerSlice, c.kSplit, c.chunkRows, wsB.data(),
                                mask.data(), hsB.data(), csB.data(), dout, ldo, whh.data(), dhA.data(), dcA.data(),
                                dgiA.data(), dghKernel, bar);
        } else {
            gruPersistBackward(T, B, H, c.reverse, needDh0, c.units, c.rowsPerSlice, c.kSplit, c.chunkRows, wsB.data(),
                               mask.data(), hsB.data(), csB.data(), dout, ldo, whh.data(), dhA.data(), dcA.data(),
                               dgiA.data(), dghKernel, bar);
        }
    });
    for (int s = 0; s < T; s++) {
        int t = c.reverse ? s : T - 1 - s;
        size_t prev = (size_t) (c.reverse ? t + 1 : t) * B * H, next = (size_t) (c.reverse ? t : t + 1) * B * H;
        size_t row = (size_t) t * B;
        const float *dO = dout == nullptr ? nullptr : dout + row * ldo;
        const float *gates;
        if (c.lstm) {
            lstm_backward(B, H, wsB.data() + row * 4 * H, mask.data() + row, csB.data() + prev, csB.data() + next, dO,
                          ldo, dhB.data(), dcB.data(), dgiB.data() + row * GH);
            gates = dgiB.data() + row * GH;
        } else {
            gru_backward(B, H, wsB.data() + row * 4 * H, mask.data() + row, hsB.data() + prev, dO, ldo, dhB.data(),
                         dgiB.data() + row * GH, dghB.data() + row * GH);
            gates = dghB.data() + row * GH;
        }
        if (s == T - 1 && !needDh0) break;
        for (int b = 0; b < B; b++) {
            for (int k = 0; k < H; k++) {
                float sum = 0.f;
                for (int r = 0; r < GH; r++) sum += gates[(size_t) b * GH + r] * whh[(size_t) r * H + k];
                dhB[(size_t) b * H + k] = dhB[(size_t) b * H + k] + sum;
            }
        }
    }
    worst = 0;
    cmp(dhA, dhB);
    cmp(dgiA, dgiB);
    if (c.lstm) cmp(dcA, dcB);
    else cmp(dghA, dghB);
    ok = exact ? worst == 0 : worst <= 4e-6;
    printf("%s %s persistent backward T=%d B=%d H=%d %s dh0=%s dOut=%s kSplit=%d chunk=%d: max |diff| %.3g (%s)\n",
           ok ? "ok      " : "MISMATCH", c.lstm ? "lstm" : "gru ", T, B, H, c.reverse ? "reverse" : "forward",
           needDh0 ? "wanted" : "not wanted", withDout ? "given" : "none", c.kSplit, c.chunkRows, worst,
           exact ? "must be 0" : "<= 4e-6");
}

int main() {
    // lstm, T, B, H, reverse, zeroH0, units, rowsPerSlice, kSplit, chunkRows, threads
    const Case cases[] = {
        {1, 6, 5, 7, 0, 0, 2, 5, 1, 5, 32},     // 4 unit slices, the last one unit short
        {1, 6, 5, 7, 1, 1, 2, 5, 1, 2, 32},     // reverse, zero h0, chunks of 2 rows
        {1, 5, 9, 13, 0, 1, 7, 5, 4, 3, 64},    // 2 × 2 slices, kSplit 4
        {1, 4, 3, 40, 1, 0, 10, 3, 8, 2, 64},   // 4 unit slices, several passes per chunk
        {1, 3, 6, 33, 0, 0, 17, 4, 32, 3, 64},  // a whole warp per item
        {1, 5, 4, 10, 1, 1, 10, 1, 1, 1, 32},   // every unit in one block, one batch row per block
        {0, 6, 5, 7, 0, 0, 2, 5, 1, 5, 32},
        {0, 6, 5, 7, 1, 1, 2, 5, 1, 2, 32},
        {0, 5, 9, 13, 1, 0, 7, 5, 4, 3, 64},
        {0, 4, 3, 40, 0, 1, 10, 3, 8, 2, 64},
        {0, 3, 6, 33, 1, 0, 17, 4, 32, 3, 64},
        {0, 5, 4, 10, 0, 0, 10, 1, 2, 1, 32},
    };
    for (const Case &c : cases) runCase(c);
    // check.sh counts the MISMATCH lines.
    return 0;
}
