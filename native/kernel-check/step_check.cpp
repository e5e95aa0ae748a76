// recurrentStepForward (kernels/rnn.cu: h₋·W_hhᵀ and the cell in one kernel) on the host, with real
// blocks of threads (threads_shim.h), against the two-kernel path it replaces: the product by plain
// loops, then lstmForward / gruForward / rnnTanhForward. Same outputs (h, c, out, workspace) within
// rounding, at sizes that leave partial row, unit and depth tiles, with masked rows.
#include "threads_shim.h"
#include "rnn_threads.cu"
#include <cstdio>
#include <random>

static int failures = 0;

static void stepCase(int cell, int batch, int hid, unsigned seed) {
    const int gates = cell == 0 ? 4 : (cell == 1 ? 3 : 1);
    const long long gh = (long long) gates * hid, bh = (long long) batch * hid;
    const int ldo = hid + 3;
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.f, 1.f);
    auto fill = [&](std::vector<float> &v) { for (auto &x : v) x = u(rng); };
    std::vector<float> xp(batch * gh), whT(hid * gh), bih(gh), bhh(gh), hprev(bh), cprev(bh), mask(batch);
    fill(xp); fill(whT); fill(bih); fill(bhh); fill(hprev); fill(cprev);
    for (int b = 0; b < batch; b++) mask[b] = b % 5 == 3 ? 0.f : 1.f;
    // The reference: hp = h₋·W_hhᵀ, then the cell kernel.
    std::vector<float> hp(batch * gh);
    for (int b = 0; b < batch; b++)
        for (long long q = 0; q < gh; q++) {
            double s = 0;
            for (int k = 0; k < hid; k++) s += (double) hprev[b * hid + k] * whT[k * gh + q];
            hp[b * gh + q] = (float) s;
        }
    const long long wsSize = (long long) batch * 4 * hid;
    std::vector<float> h[2], c[2], out[2], ws[2];
    for (int v = 0; v < 2; v++) {
        h[v].assign(bh, 7.f); c[v].assign(bh, 7.f); out[v].assign(batch * ldo, 7.f); ws[v].assign(wsSize, 7.f);
    }
    launch(2, 64, [&] {
        if (cell == 0) lstmForward(batch, hid, xp.data(), hp.data(), bih.data(), bhh.data(), mask.data(), hprev.data(),
                                   cprev.data(), h[0].data(), c[0].data(), out[0].data(), ldo, ws[0].data());
        else if (cell == 1) gruForward(batch, hid, xp.data(), hp.data(), bih.data(), bhh.data(), mask.data(), hprev.data(),
                                       h[0].data(), out[0].data(), ldo, ws[0].data());
        else rnnTanhForward(batch, hid, xp.data(), hp.data(), bih.data(), bhh.data(), mask.data(), hprev.data(),
                            h[0].data(), out[0].data(), ldo);
    });
    // Grid (unit tiles, row tiles) flattened: the shim runs blocks along x only.
    const unsigned unitTiles = (hid + RS_UNITS - 1) / RS_UNITS, rowTiles = (batch + RS_ROWS - 1) / RS_ROWS;
    for (unsigned ty = 0; ty < rowTiles; ty++) {
        blockIdxY = ty;
        launch(unitTiles, RS_ROWS * RS_UNITS, [&] {
            recurrentStepForward(cell, batch, hid, xp.data(), whT.data(), bih.data(), bhh.data(), mask.data(),
                                 hprev.data(), cprev.data(), h[1].data(), c[1].data(), out[1].data(), ldo, ws[1].data());
        });
    }
    blockIdxY = 0;
    double worst = 0;
    int bad = 0;
    auto cmp = [&](std::vector<float> &a, std::vector<float> &b) {
        for (size_t i = 0; i < a.size(); i++) {
            double e = std::fabs((double) a[i] - b[i]);
            worst = std::max(worst, e);
            bad += e > 2e-5;
        }
    };
    cmp(h[0], h[1]); cmp(c[0], c[1]); cmp(out[0], out[1]); cmp(ws[0], ws[1]);
    printf("%s recurrentStepForward cell=%d batch=%d hid=%d: %d bad, max abs difference %.2e\n",
           bad ? "MISMATCH" : "ok      ", cell, batch, hid, bad, worst);
    failures += bad != 0;
}

int main() {
    for (int cell = 0; cell < 3; cell++) {
        stepCase(cell, 1, 1, 1 + cell);
        stepCase(cell, 5, 17, 4 + cell);
        stepCase(cell, 33, 40, 7 + cell);
        stepCase(cell, 18, 70, 10 + cell);
    }
    printf("%d failing case(s)\n", failures);
    return failures != 0;
}
