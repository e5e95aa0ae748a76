// kernels/spectral.cu on the host (threads_shim.h: real blocks of threads, a barrier per warp)
// against plain loops that compute what the CPU backend computes:
//  - knnSelect: each point's m nearest others, from float products of the centred points as cuBLAS
//    would give them, against the CPU's search (squared float differences summed in double, ties
//    to the lower index); the same indices and distances, or, where distances tie exactly, another
//    point at that same distance; with tiles of rows, lists longer than a warp, more neighbours
//    than other points, and a point alone;
//  - scaledSparseProduct: bit for bit the CPU's product, with empty rows;
//  - ritzResiduals: the residual sums (to rounding) and the first largest magnitude exactly.
// Prints one line per case; MISMATCH on failure.
#include "threads_shim.h"
#include "spectral_host.cu"
#include <cstdio>
#include <random>

static int failures = 0;

// The CPU backend's search (backend/cpu/CpuNearestNeighbours.java) for row i.
static void cpuNearest(const std::vector<float> &x, int n, int d, int i, int m, std::vector<int> &idx,
                       std::vector<double> &dist) {
    idx.assign(m, -1);
    dist.assign(m, INFINITY);
    for (int j = 0; j < n; j++) {
        if (j == i) continue;
        double s = 0;
        for (int c = 0; c < d; c++) {
            double diff = (double) (float) (x[(long long) i * d + c] - x[(long long) j * d + c]);
            s += diff * diff;
        }
        if (s >= dist[m - 1]) continue;
        int p = m - 1;
        while (p > 0 && dist[p - 1] > s) { dist[p] = dist[p - 1]; idx[p] = idx[p - 1]; p--; }
        dist[p] = s;
        idx[p] = j;
    }
}

static double exactDistance(const std::vector<float> &x, int d, int i, int j) {
    double s = 0;
    for (int c = 0; c < d; c++) {
        double diff = (double) (float) (x[(long long) i * d + c] - x[(long long) j * d + c]);
        s += diff * diff;
    }
    return s;
}

// listLength and the tiling as CudaNearestNeighbours chooses them for these sizes (or smaller tiles).
// Uncentred (centre false) lattice points have exact products, so the scan itself must break the
// ties by index and the result must be the CPU's exactly.
static void knnCase(const char *what, std::vector<float> x, int n, int d, int m, int listLength, int warps,
                    int tileRows, bool mustMatchIndices, bool centre = true) {
    // Centred in double, as the host does before the products.
    std::vector<double> mean(d, 0.0);
    for (int i = 0; i < n && centre; i++) for (int c = 0; c < d; c++) mean[c] += x[(long long) i * d + c];
    for (int c = 0; c < d; c++) mean[c] /= n;
    std::vector<float> xc((long long) n * d), norms(n);
    for (int i = 0; i < n; i++) {
        float s = 0.f;
        for (int c = 0; c < d; c++) {
            xc[(long long) i * d + c] = (float) (x[(long long) i * d + c] - mean[c]);
            s = fmaf(xc[(long long) i * d + c], xc[(long long) i * d + c], s);
        }
        norms[i] = s;
    }
    std::vector<int> outIndex((long long) n * m, -7);
    std::vector<float> outDist((long long) n * m, -7.f);
    for (int r0 = 0; r0 < n; r0 += tileRows) {
        int rows = std::min(tileRows, n - r0);
        std::vector<float> products((long long) rows * n);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                float s = 0.f;
                for (int c = 0; c < d; c++) s = fmaf(xc[(long long) (r0 + r) * d + c], xc[(long long) j * d + c], s);
                products[(long long) r * n + j] = s;
            }
        }
        unsigned grid = std::max(1, std::min(3, (rows + warps - 1) / warps));  // fewer blocks than rows: grid stride
        launch(grid, 32 * warps, [&] {
            knnSelect(products.data(), rows, n, r0, norms.data(), x.data(), d, listLength, m, outIndex.data(),
                      outDist.data());
        });
    }
    int bad = 0, tieSwaps = 0;
    std::vector<int> idx;
    std::vector<double> dist;
    for (int i = 0; i < n; i++) {
        cpuNearest(x, n, d, i, m, idx, dist);
        for (int t = 0; t < m; t++) {
            int got = outIndex[(long long) i * m + t];
            float gd = outDist[(long long) i * m + t];
            bool ok = gd == (float) dist[t];
            if (ok && got != idx[t]) {
                // another point at exactly the same distance, not the row itself, not listed twice
                ok = !mustMatchIndices && got >= 0 && got < n && got != i && exactDistance(x, d, i, got) == dist[t];
                for (int u = 0; u < t && ok; u++) ok = outIndex[(long long) i * m + u] != got;
                tieSwaps += ok;
            }
            // equal distances in index order, as the refinement ranks them
            if (t > 0 && gd == outDist[(long long) i * m + t - 1] && got >= 0) ok = ok && got > outIndex[(long long) i * m + t - 1];
            if (!ok && bad++ < 3) printf("  row %d slot %d: got %d (%.9g), want %d (%.9g)\n", i, t, got, gd, idx[t], dist[t]);
        }
    }
    printf("%s knnSelect %s n=%d d=%d m=%d list=%d warps=%d tile=%d: %d bad, %d tied swaps\n", bad ? "MISMATCH" : "ok      ",
           what, n, d, m, listLength, warps, tileRows, bad, tieSwaps);
    failures += bad != 0;
}

static std::vector<float> gaussian(int n, int d, unsigned seed, float offset) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0.f, 1.f);
    std::vector<float> x((long long) n * d);
    for (auto &v : x) v = offset + 3.f * g(rng);
    return x;
}

static std::vector<float> lattice(int n, int d, int side, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<float> x((long long) n * d);
    for (auto &v : x) v = (float) (rng() % side);
    return x;
}

static void productCase(int n, int cols, int perRow, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> g(0.0, 1.0);
    std::vector<int> start(n + 1, 0), column;
    std::vector<double> weight, scale(n), x((long long) n * cols), y((long long) n * cols, -1.0);
    for (int i = 0; i < n; i++) {
        int count = i % 7 == 3 ? 0 : (int) (rng() % (2 * perRow + 1));  // some rows empty
        for (int e = 0; e < count; e++) { column.push_back((int) (rng() % n)); weight.push_back(g(rng)); }
        start[i + 1] = (int) column.size();
        scale[i] = 0.5 + (rng() % 1000) / 1000.0;
    }
    for (auto &v : x) v = g(rng);
    launch(3, 128, [&] {
        scaledSparseProduct(n, cols, start.data(), column.data(), weight.data(), scale.data(), x.data(), y.data());
    });
    int bad = 0;
    for (int c = 0; c < cols; c++) {
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int e = start[i]; e < start[i + 1]; e++) s += weight[e] * scale[column[e]] * x[(long long) c * n + column[e]];
            double want = scale[i] * s;
            if (std::memcmp(&want, &y[(long long) c * n + i], sizeof(double)) != 0 && bad++ < 3) {
                printf("  row %d column %d: got %.17g, want %.17g\n", i, c, y[(long long) c * n + i], want);
            }
        }
    }
    printf("%s scaledSparseProduct n=%d cols=%d nonzeros=%zu: %d not bit-equal\n", bad ? "MISMATCH" : "ok      ", n, cols,
           column.size(), bad);
    failures += bad != 0;
}

static void ritzCase(int n, int count, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> g(0.0, 1.0);
    std::vector<double> u((long long) n * count), au((long long) n * count), theta(count), sums(count, -1);
    std::vector<int> largest(count, -1);
    for (auto &v : u) v = g(rng);
    for (auto &v : au) v = g(rng);
    for (auto &v : theta) v = g(rng);
    // column 0: its largest magnitude twice, at n/3 (negative) and n/2: the first one wins
    u[n / 3] = -10.0;
    u[n / 2] = 10.0;
    launch(count, RITZ_THREADS, [&] { ritzResiduals(n, u.data(), au.data(), theta.data(), sums.data(), largest.data()); });
    int bad = 0;
    for (int c = 0; c < count; c++) {
        double s = 0;
        int at = 0;
        for (int i = 0; i < n; i++) {
            double e = au[(long long) c * n + i] - theta[c] * u[(long long) c * n + i];
            s += e * e;
            if (std::fabs(u[(long long) c * n + i]) > std::fabs(u[(long long) c * n + at])) at = i;
        }
        if (std::fabs(sums[c] - s) > 1e-12 * s || largest[c] != at) {
            if (bad++ < 3) printf("  column %d: got %.17g at %d, want %.17g at %d\n", c, sums[c], largest[c], s, at);
        }
    }
    printf("%s ritzResiduals n=%d count=%d: %d bad\n", bad ? "MISMATCH" : "ok      ", n, count, bad);
    failures += bad != 0;
}

int main() {
    knnCase("gaussian", gaussian(300, 7, 1, 5.f), 300, 7, 10, 18, 4, 128, true);       // three tiles, the last partial
    knnCase("gaussian", gaussian(257, 3, 2, -40.f), 257, 3, 1, 9, 2, 257, true);        // one neighbour, far from the origin
    knnCase("long-list", gaussian(150, 4, 3, 0.f), 150, 4, 40, 60, 3, 64, true);        // lists longer than a warp
    knnCase("lattice", lattice(200, 2, 4, 4), 200, 2, 7, 15, 4, 50, false);             // exact ties everywhere
    knnCase("lattice", lattice(120, 3, 3, 5), 120, 3, 12, 20, 2, 120, false);           // duplicate points
    knnCase("exact-lattice", lattice(200, 2, 4, 4), 200, 2, 7, 15, 4, 50, true, false); // the scan's own ties
    knnCase("exact-lattice", lattice(90, 3, 3, 6), 90, 3, 20, 40, 2, 90, true, false);
    knnCase("all-others", gaussian(40, 5, 6, 1.f), 40, 5, 39, 39, 2, 40, true);         // every other point
    knnCase("more-than-others", gaussian(5, 3, 7, 0.f), 5, 3, 8, 8, 1, 5, true);        // 4 others for 8 slots
    knnCase("alone", gaussian(1, 4, 8, 2.f), 1, 4, 3, 3, 1, 1, true);                   // no other point at all
    productCase(1, 1, 1, 9);
    productCase(97, 5, 6, 10);
    productCase(1000, 3, 10, 11);
    ritzCase(1000, 4, 12);
    ritzCase(3, 2, 13);  // fewer rows than threads
    printf("%d failing case(s)\n", failures);
    return failures != 0;
}
