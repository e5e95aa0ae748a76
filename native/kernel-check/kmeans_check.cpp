// kernels/kmeans.cu on the host (threads_shim.h: real blocks of threads) against plain double loops:
// nearestCentroids (the fused distance + argmin) and the cluster-sum kernels, at odd sizes that
// leave partial tiles in every direction, with ties. Prints one line per case; MISMATCH on failure.
#include "threads_shim.h"
#include "kmeans_host.cu"
#include <cstdio>
#include <random>

static int failures = 0;

static void nearestCase(int rows, int d, int k, long long rowOffset, bool ties, unsigned seed, bool vec4) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0.f, 1.f);
    long long total = rowOffset + rows;
    std::vector<float> x(total * d), c((long long) k * d), cn(k), xn(total);
    for (auto &v : x) v = g(rng);
    for (auto &v : c) v = g(rng);
    if (ties && k >= 3) {  // centroid k-1 repeats centroid 1, and point 0 of the tile sits on it
        for (int j = 0; j < d; j++) c[(long long) (k - 1) * d + j] = c[d + j];
        for (int j = 0; j < d; j++) x[rowOffset * d + j] = c[d + j];
    }
    for (int j = 0; j < k; j++) { double s = 0; for (int t = 0; t < d; t++) s += (double) c[j * d + t] * c[j * d + t]; cn[j] = (float) s; }
    for (long long i = 0; i < total; i++) { double s = 0; for (int t = 0; t < d; t++) s += (double) x[i * d + t] * x[i * d + t]; xn[i] = (float) s; }
    std::vector<int> nearest(total, -1);
    std::vector<float> dist(total, -1.f);
    unsigned grid = (rows + NC_ROWS - 1) / NC_ROWS;
    launch(grid, NC_THREADS, [&] {
        if (vec4) nearestCentroidsVec4(x.data(), rows, d, c.data(), k, cn.data(), xn.data(), nearest.data(), dist.data(), rowOffset);
        else nearestCentroids(x.data(), rows, d, c.data(), k, cn.data(), xn.data(), nearest.data(), dist.data(), rowOffset);
    });
    int bad = 0;
    double worst = 0;
    for (int r = 0; r < rows; r++) {
        long long i = rowOffset + r;
        double best = INFINITY;
        int bestIdx = -1;
        std::vector<double> dd(k);
        for (int j = 0; j < k; j++) {
            double s = 0;
            for (int t = 0; t < d; t++) { double e = (double) x[i * d + t] - c[j * d + t]; s += e * e; }
            dd[j] = s;
            if (s < best) { best = s; bestIdx = j; }
        }
        int got = nearest[i];
        double scale = 1e-4 * (1 + xn[i]);
        // The index may differ only where two centroids lie within rounding of each other.
        bool ok = got >= 0 && got < k && dd[got] - best <= scale && std::fabs(dist[i] - best) <= scale;
        if (ties && r == 0 && k >= 3) ok = ok && got == 1;  // an exact tie goes to the lower index
        worst = std::max(worst, std::fabs(dist[i] - best) / (1 + xn[i]));
        if (!ok && bad++ < 3) printf("  row %d: got %d (%.6g), want %d (%.6g)\n", r, got, dist[i], bestIdx, best);
    }
    for (long long i = 0; i < rowOffset; i++) if (nearest[i] != -1) bad++;  // rows before the offset untouched
    printf("%s %s rows=%d d=%d k=%d offset=%lld ties=%d: %d bad, max rel distance error %.2e\n",
           bad ? "MISMATCH" : "ok      ", vec4 ? "nearestCentroidsVec4" : "nearestCentroids", rows, d, k, rowOffset,
           ties, bad, worst);
    failures += bad != 0;
}

static void sumsCase(long long n, int d, int k, bool shared, unsigned grid, unsigned block, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0.f, 1.f);
    std::vector<float> x(n * d);
    std::vector<int> labels(n);
    for (auto &v : x) v = g(rng);
    for (auto &l : labels) l = (int) (rng() % (k + 1)) - (rng() % 7 == 0 ? k + 1 : 0);  // some out of range
    std::vector<double> sums((long long) k * d, 0.0), want((long long) k * d, 0.0);
    std::vector<unsigned long long> counts(k, 0), wantCounts(k, 0);
    for (long long i = 0; i < n; i++) {
        int c = labels[i];
        if (c < 0 || c >= k) continue;
        wantCounts[c]++;
        for (int j = 0; j < d; j++) want[(long long) c * d + j] += x[i * d + j];
    }
    launch(grid, block, [&] {
        if (shared) clusterSumsShared(x.data(), n, d, labels.data(), k, sums.data(), counts.data());
        else clusterSums(x.data(), n, d, labels.data(), k, sums.data(), counts.data());
    });
    int bad = 0;
    for (int c = 0; c < k; c++) bad += counts[c] != wantCounts[c];
    for (long long t = 0; t < (long long) k * d; t++) bad += std::fabs(sums[t] - want[t]) > 1e-4 * (1 + std::fabs(want[t]));
    printf("%s %s n=%lld d=%d k=%d grid=%u block=%u: %d bad\n", bad ? "MISMATCH" : "ok      ",
           shared ? "clusterSumsShared" : "clusterSums", n, d, k, grid, block, bad);
    failures += bad != 0;
}

int main() {
    nearestCase(1, 1, 1, 0, false, 1, false);
    nearestCase(7, 3, 5, 0, true, 2, false);
    nearestCase(130, 17, 129, 0, true, 3, false);    // partial row, column and depth tiles
    nearestCase(128, 8, 128, 0, false, 4, false);    // exactly one tile
    nearestCase(300, 64, 300, 0, true, 5, false);    // three centroid passes
    nearestCase(257, 9, 3, 11, false, 6, false);     // few centroids, a row offset
    nearestCase(200, 130, 20, 0, true, 7, false);    // many depth stages
    // The float4 loads (d a multiple of 4): the same cases where they apply, and a partial depth tile.
    nearestCase(128, 8, 128, 0, false, 4, true);
    nearestCase(300, 64, 300, 0, true, 5, true);
    nearestCase(130, 12, 129, 0, true, 8, true);
    nearestCase(257, 4, 3, 11, false, 9, true);
    nearestCase(1, 4, 1, 0, false, 10, true);
    sumsCase(1000, 5, 7, false, 3, 256, 8);
    sumsCase(1000, 70, 3, false, 2, 64, 9);   // d > 32: lanes loop
    sumsCase(3001, 9, 5, true, 4, 256, 10);
    sumsCase(500, 33, 11, true, 1, 1024, 11);
    printf("%d failing case(s)\n", failures);
    return failures != 0;
}
