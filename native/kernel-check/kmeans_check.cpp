// kernels/kmeans.cu on the host (threads_shim.h: real blocks of threads) against plain double loops:
// nearestCentroids (the fused distance + argmin) and the cluster-sum kernels, at odd sizes that
// leave partial tiles in every direction, with ties. kernels/kmeans_tc.cu (mma_shim.h models the
// tensor-core instructions) against the FP32 kernel's own arithmetic: the same index and the same
// distance bits for every point. Prints one line per case; MISMATCH on failure.
#include "threads_shim.h"
#include "mma_shim.h"
#include "kmeans_host.cu"
#include "kmeans_tc.cu"
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

// What nearestCentroids computes for point i, in its order: per centroid a chain of fmaf from
// dimension 0, then fmaf(-2, acc, cn); the first minimum; the distance max(0, xn + min).
static void fp32Nearest(const std::vector<float> &x, long long i, int d, const std::vector<float> &c, int k,
                        const std::vector<float> &cn, float xn, int &idx, float &dist) {
    float best = INFINITY;
    idx = -1;
    for (int j = 0; j < k; j++) {
        float acc = 0.f;
        for (int t = 0; t < d; t++) acc = std::fmaf(x[i * d + t], c[(long long) j * d + t], acc);
        const float v = std::fmaf(-2.f, acc, cn[j]);
        if (v < best) { best = v; idx = j; }
    }
    dist = std::fmax(0.f, xn + best);
}

// The tensor-core assignment (TF32 or 3xTF32, then the FP32 re-check of the listed points) against
// fp32Nearest, bit for bit. Near ties: every fourth point sits on the bisector of two centroids,
// nudged by 1e-3, 1e-5 or 1e-7 of their distance, where TF32 (and at the smallest nudge 3xTF32)
// cannot tell the two apart; ties = 2 adds exact ties (centroid 1 repeated at k - 1, and at k - 2
// with ties = 3, point 0 on it). Returns the number of bad points.
static void tcCase(int rows, int d, int k, long long rowOffset, int ties, bool split, bool vec4, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0.f, 1.f);
    long long total = rowOffset + rows;
    std::vector<float> x(total * d), c((long long) k * d), cn(k), xn(total);
    for (auto &v : x) v = g(rng);
    for (auto &v : c) v = g(rng);
    if (ties >= 2 && k >= 3) {
        for (int rep = 1; rep <= ties - 1 && k - rep > 1; rep++)
            for (int j = 0; j < d; j++) c[(long long) (k - rep) * d + j] = c[d + j];
        for (int j = 0; j < d; j++) x[rowOffset * d + j] = c[d + j];
    }
    if (ties >= 1 && k >= 2) {
        const float nudge[3] = {1e-3f, 1e-5f, 1e-7f};
        for (int r = 1; r < rows; r += 4) {
            int a = (int) (rng() % k), b = (int) (rng() % (k - 1));
            if (b >= a) b++;
            float *p = &x[(rowOffset + r) * d];
            const float e = nudge[(r / 4) % 3] * (g(rng) > 0 ? 1.f : -1.f);
            for (int j = 0; j < d; j++) {
                const float ca = c[(long long) a * d + j], cb = c[(long long) b * d + j];
                p[j] = 0.5f * (ca + cb) + e * (ca - cb);
            }
        }
    }
    for (int j = 0; j < k; j++) { float s = 0; for (int t = 0; t < d; t++) s = std::fmaf(c[j * d + t], c[j * d + t], s); cn[j] = s; }
    for (long long i = 0; i < total; i++) { float s = 0; for (int t = 0; t < d; t++) s = std::fmaf(x[i * d + t], x[i * d + t], s); xn[i] = s; }
    std::vector<int> nearest(total, -1), recheck(rows, -1);
    std::vector<float> dist(total, -1.f);
    unsigned counts[3] = {0, 0, 0};
    const long before = mmaUnroundedOperands;
    launch((rows + TC_ROWS - 1) / TC_ROWS, TC_THREADS, [&] {
        if (split && vec4) nearestCentroids3xTf32Vec4(x.data(), rows, d, c.data(), k, cn.data(), xn.data(), nearest.data(), dist.data(), recheck.data(), counts, rowOffset);
        else if (split) nearestCentroids3xTf32(x.data(), rows, d, c.data(), k, cn.data(), xn.data(), nearest.data(), dist.data(), recheck.data(), counts, rowOffset);
        else if (vec4) nearestCentroidsTf32Vec4(x.data(), rows, d, c.data(), k, cn.data(), xn.data(), nearest.data(), dist.data(), recheck.data(), counts, rowOffset);
        else nearestCentroidsTf32(x.data(), rows, d, c.data(), k, cn.data(), xn.data(), nearest.data(), dist.data(), recheck.data(), counts, rowOffset);
    });
    const unsigned listed = counts[0];
    launch((rows + NC_ROWS - 1) / NC_ROWS, NC_THREADS, [&] {
        if (vec4) nearestCentroidsListedVec4(x.data(), d, c.data(), k, cn.data(), xn.data(), nearest.data(), dist.data(), rowOffset, recheck.data(), counts);
        else nearestCentroidsListed(x.data(), d, c.data(), k, cn.data(), xn.data(), nearest.data(), dist.data(), rowOffset, recheck.data(), counts);
    });
    // The FP32 kernel on the same data: the tensor-core path must give its answers exactly.
    std::vector<int> fpNearest(total, -1);
    std::vector<float> fpDist(total, -1.f);
    launch((rows + NC_ROWS - 1) / NC_ROWS, NC_THREADS, [&] {
        if (vec4) nearestCentroidsVec4(x.data(), rows, d, c.data(), k, cn.data(), xn.data(), fpNearest.data(), fpDist.data(), rowOffset);
        else nearestCentroids(x.data(), rows, d, c.data(), k, cn.data(), xn.data(), fpNearest.data(), fpDist.data(), rowOffset);
    });
    int bad = 0, tcWrong = 0;
    for (int r = 0; r < rows; r++) {
        const long long i = rowOffset + r;
        int want;
        float wantDist;
        fp32Nearest(x, i, d, c, k, cn, xn[i], want, wantDist);
        const bool ok = nearest[i] == want && std::memcmp(&dist[i], &wantDist, 4) == 0 && fpNearest[i] == want
                && std::memcmp(&fpDist[i], &wantDist, 4) == 0;
        if (!ok && bad++ < 3)
            printf("  row %d: got %d (%.9g), FP32 kernel %d (%.9g), want %d (%.9g)\n", r, nearest[i], dist[i], fpNearest[i],
                   fpDist[i], want, wantDist);
        if (nearest[i] != want) tcWrong++;
    }
    if (ties >= 2 && k >= 3 && nearest[rowOffset] != 1) bad++;  // an exact tie goes to the lower index
    for (long long i = 0; i < rowOffset; i++) bad += nearest[i] != -1;  // rows before the offset untouched
    for (unsigned e = 0; e < listed; e++) bad += recheck[e] < 0 || recheck[e] >= rows;
    bad += counts[1] != listed;  // one launch: the running total is this launch's list
    bad += mmaUnroundedOperands != before;
    printf("%s %s%s rows=%d d=%d k=%d offset=%lld ties=%d: %d bad (%d wrong indices); %u pairs and %u points re-checked in FP32\n",
           bad ? "MISMATCH" : "ok      ", split ? "nearestCentroids3xTf32" : "nearestCentroidsTf32", vec4 ? "Vec4" : "", rows, d,
           k, rowOffset, ties, bad, tcWrong, counts[2], listed);
    failures += bad != 0;
}

// The shim's cvt.rna.tf32.f32: nearest of the 10-bit-mantissa values, halfway cases away from zero.
static void tf32RoundCases() {
    const float one = 1.f, half = std::ldexp(1.f, -11), step = std::ldexp(1.f, -10);
    const float in[][2] = {{one + half, one + step},                           // a tie: away from zero
                           {-(one + half), -(one + step)},
                           {std::nextafter(one + half, 0.f), one},             // just below the tie
                           {one + step + half, one + 2 * step},                // a tie above an odd value
                           {std::ldexp(1.5f, -130), std::ldexp(1.5f, -130)},   // subnormal, exact
                           {std::ldexp(1.f, -137), std::ldexp(1.f, -136)},     // subnormal tie: 2^-136 apart
                           {INFINITY, INFINITY}, {0.f, 0.f}};
    int bad = 0;
    for (auto &c : in) bad += __uint_as_float(tf32Round(c[0])) != c[1];
    printf("%s tf32Round: %d bad of %zu\n", bad ? "MISMATCH" : "ok      ", bad, sizeof in / sizeof in[0]);
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
    tf32RoundCases();
    // Tensor cores: TF32 and 3xTF32, scalar and float4 loads; partial point, centroid (k not a
    // multiple of 8 or 64) and depth tiles (d not a multiple of 8 or 16), a row offset, near and exact ties.
    for (int split = 0; split < 2; split++) {
        tcCase(1, 1, 1, 0, 0, split, false, 20);
        tcCase(130, 37, 100, 0, 1, split, false, 21);    // k = 100: the last pass has 5 of 8 tiles
        tcCase(200, 13, 7, 5, 2, split, false, 22);      // one partial n tile, exact ties, a row offset
        tcCase(129, 64, 131, 0, 3, split, true, 23);     // three equal centroids: the FP32 list
        tcCase(150, 20, 65, 3, 1, split, true, 24);      // d = 20: a partial stage with float4 loads
        tcCase(64, 8, 8, 0, 1, split, true, 25);
    }
    sumsCase(1000, 5, 7, false, 3, 256, 8);
    sumsCase(1000, 70, 3, false, 2, 64, 9);   // d > 32: lanes loop
    sumsCase(3001, 9, 5, true, 4, 256, 10);
    sumsCase(500, 33, 11, true, 1, 1024, 11);
    printf("%d failing case(s)\n", failures);
    return failures != 0;
}
