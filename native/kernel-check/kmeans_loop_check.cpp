// The device-resident k-means kernels of kernels/kmeans.cu on the host (threads_shim.h) against the
// rules they mirror, written here as plain sequential loops the way cluster/KMeans and
// cluster/KMeansPlusPlus state them: label changes, the relocation of empty clusters (farthest
// first, lower index among equals, never a cluster's last point), the new means and their shift,
// and the k-means++ distances, trial potentials and inverse-CDF draws. Prints one line per case;
// MISMATCH on failure.
#include "threads_shim.h"
#include "kmeans_host.cu"
#include <algorithm>
#include <cstdio>
#include <numeric>
#include <random>

static int failures = 0;

static void report(bool bad, const char *what) {
    printf("%s %s\n", bad ? "MISMATCH" : "ok      ", what);
    failures += bad;
}

static void labelChangesCase(long long n, unsigned grid, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<int> labels(n), previous(n);
    for (long long i = 0; i < n; i++) {
        labels[i] = (int) (rng() % 5);
        previous[i] = rng() % 3 == 0 ? (int) (rng() % 5) : labels[i];
    }
    unsigned long long want = 0;
    for (long long i = 0; i < n; i++) want += labels[i] != previous[i];
    unsigned long long changed = 7;  // added to, not overwritten
    launch(grid, 256, [&] { labelChanges(labels.data(), previous.data(), n, &changed); });
    char what[128];
    snprintf(what, sizeof what, "labelChanges n=%lld grid=%u: %llu changed", n, grid, changed - 7);
    report(changed - 7 != want || previous != labels, what);
}

// KMeans.relocateEmpty, sequentially: stable sort by decreasing distance, skip points whose
// cluster would empty, move one point per empty cluster in cluster order.
static int relocateReference(const std::vector<float> &x, int d, std::vector<int> &labels, const std::vector<float> &dist,
                             std::vector<double> &sums, std::vector<unsigned long long> &counts) {
    int n = (int) labels.size(), k = (int) counts.size();
    std::vector<int> far(n);
    std::iota(far.begin(), far.end(), 0);
    std::stable_sort(far.begin(), far.end(), [&](int a, int b) { return dist[a] > dist[b]; });
    int next = 0, split = 0;
    for (int c = 0; c < k; c++) {
        if (counts[c] != 0) continue;
        while (next < n && counts[labels[far[next]]] <= 1) next++;
        if (next == n) break;
        int i = far[next++], old = labels[i];
        for (int j = 0; j < d; j++) {
            sums[(long long) old * d + j] -= x[(long long) i * d + j];
            sums[(long long) c * d + j] = x[(long long) i * d + j];
        }
        counts[old]--;
        counts[c] = 1;
        labels[i] = c;
        split++;
    }
    return split;
}

static void relocateCase(int n, int d, int k, int used, bool ties, unsigned grid, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0.f, 1.f);
    std::vector<float> x((long long) n * d), dist(n);
    std::vector<int> labels(n);
    for (auto &v : x) v = g(rng);
    for (int i = 0; i < n; i++) {
        labels[i] = (int) (rng() % used);  // clusters used..k-1 are empty
        dist[i] = ties ? (float) (rng() % 4) : std::fabs(g(rng));
    }
    if (used > 1) labels[0] = used - 1;  // one cluster of exactly one point: never emptied
    for (int i = 1; i < n; i++) if (labels[i] == used - 1 && used > 1) labels[i] = 0;
    if (n > 0) dist[0] = 100.f;  // the farthest point is that single one
    std::vector<double> sums((long long) k * d, 0.0);
    std::vector<unsigned long long> counts(k, 0);
    for (int i = 0; i < n; i++) {
        counts[labels[i]]++;
        for (int j = 0; j < d; j++) sums[(long long) labels[i] * d + j] += x[(long long) i * d + j];
    }
    std::vector<int> wantLabels = labels;
    std::vector<double> wantSums = sums;
    std::vector<unsigned long long> wantCounts = counts;
    int want = relocateReference(x, d, wantLabels, dist, wantSums, wantCounts);
    std::vector<float> blockBest(grid);
    std::vector<long long> blockIdx_(grid);
    unsigned long long moves = 0;
    for (int c = 0; c < k; c++) {
        if (counts[c] != 0) continue;  // the host knows the empty clusters from the counts
        launch(grid, 256, [&] { farthestEligible(dist.data(), labels.data(), n, counts.data(), blockBest.data(), blockIdx_.data()); });
        launch(1, 256, [&] { relocateFarthest(x.data(), d, blockBest.data(), blockIdx_.data(), (int) grid, c, labels.data(),
                                              sums.data(), counts.data(), &moves); });
    }
    char what[160];
    snprintf(what, sizeof what, "relocate n=%d d=%d k=%d used=%d ties=%d grid=%u: %llu moved (want %d)", n, d, k, used,
             ties, grid, moves, want);
    report((int) moves != want || labels != wantLabels || counts != wantCounts || sums != wantSums, what);
}

static void updateMeansCase(int k, int d, unsigned grid, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0.f, 1.f);
    std::vector<float> centres((long long) k * d);
    std::vector<double> sums((long long) k * d);
    std::vector<unsigned long long> counts(k);
    for (auto &v : centres) v = g(rng);
    for (int c = 0; c < k; c++) counts[c] = c % 4 == 3 ? 0 : 1 + rng() % 1000;
    for (auto &v : sums) v = 100.0 * g(rng);
    std::vector<float> want = centres;
    double wantShift = 0;
    for (int c = 0; c < k; c++) {
        if (counts[c] == 0) continue;
        for (int j = 0; j < d; j++) {
            float next = (float) (sums[(long long) c * d + j] / counts[c]);
            double t = (double) want[(long long) c * d + j] - next;
            wantShift += t * t;
            want[(long long) c * d + j] = next;
        }
    }
    std::vector<double> partial(grid);
    launch(grid, 256, [&] { updateMeans(sums.data(), counts.data(), k, d, centres.data(), partial.data()); });
    double shift = 0;
    for (double p : partial) shift += p;
    char what[128];
    snprintf(what, sizeof what, "updateMeans k=%d d=%d grid=%u: shift %.10g (want %.10g)", k, d, grid, shift, wantShift);
    report(centres != want || std::fabs(shift - wantShift) > 1e-12 * wantShift, what);
}

// Σ_j (x_j − c_j)² with fmaf in order over j: the bits seedDistances gives.
static float sqDist(const float *a, const float *b, int d) {
    float s = 0.f;
    for (int j = 0; j < d; j++) {
        float e = a[j] - b[j];
        s = fmaf(e, e, s);
    }
    return s;
}

// A whole k-means++ seeding through the kernels against the same steps done sequentially:
// first centre, then per round the draws, the trial potentials and the accepted candidate.
static void seedingCase(long long n, int d, int k, int trials, bool duplicates, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0.f, 1.f);
    std::uniform_real_distribution<double> uni(0.0, 1.0);
    std::vector<float> x(n * d);
    for (auto &v : x) v = g(rng);
    if (duplicates) for (long long i = 1; i < n; i += 3) std::copy(x.begin(), x.begin() + d, x.begin() + i * d);
    long long tiles = (n + SEED_ROWS - 1) / SEED_ROWS;
    std::vector<float> closest(n), want(n);
    std::vector<double> partial(tiles * trials), tileSum(tiles), out(trials);
    std::vector<int> cand(trials);
    int bad = 0;
    cand[0] = (int) (rng() % n);
    launch((unsigned) tiles, SEED_ROWS, [&] { seedDistances(x.data(), n, d, cand.data(), 1, 2, closest.data(), partial.data(), tileSum.data()); });
    for (long long i = 0; i < n; i++) want[i] = sqDist(&x[i * d], &x[(long long) cand[0] * d], d);
    bad += closest != want;
    for (int round = 1; round < k; round++) {
        std::vector<double> u(trials);
        for (auto &v : u) v = uni(rng);
        launch(trials, 256, [&] { sampleRows(u.data(), tileSum.data(), tiles, closest.data(), n, cand.data()); });
        // The reference draw: the first point whose running sum exceeds u · total. The sums'
        // order differs from the kernel's, so a draw within rounding of a boundary may differ.
        std::vector<double> cumulative(n);
        double s = 0;
        for (long long i = 0; i < n; i++) cumulative[i] = s += want[i];
        for (int t = 0; t < trials; t++) {
            double r = u[t] * s;
            long long ref = std::upper_bound(cumulative.begin(), cumulative.end(), r) - cumulative.begin();
            if (ref == n) ref = n - 1;
            bool boundary = std::fabs(cumulative[ref] - r) < 1e-9 * s || (ref > 0 && std::fabs(cumulative[ref - 1] - r) < 1e-9 * s);
            if (cand[t] != ref && !boundary) {
                if (bad++ < 3) printf("  round %d draw %d: row %d, want %lld\n", round, t, cand[t], ref);
            }
        }
        launch((unsigned) tiles, SEED_ROWS, [&] { seedDistances(x.data(), n, d, cand.data(), trials, 0, closest.data(), partial.data(), tileSum.data()); });
        launch(trials, 256, [&] { sumTiles(partial.data(), tiles, trials, out.data()); });
        int best = 0;
        for (int t = 0; t < trials; t++) {
            double p = 0;
            for (long long i = 0; i < n; i++) p += std::min(want[i], sqDist(&x[i * d], &x[(long long) cand[t] * d], d));
            if (std::fabs(out[t] - p) > 1e-9 * (1 + p)) {
                if (bad++ < 3) printf("  round %d trial %d: potential %.12g, want %.12g\n", round, t, out[t], p);
            }
            if (out[t] < out[best]) best = t;
        }
        launch((unsigned) tiles, SEED_ROWS, [&] { seedDistances(x.data(), n, d, cand.data() + best, 1, 1, closest.data(), partial.data(), tileSum.data()); });
        for (long long i = 0; i < n; i++) want[i] = std::min(want[i], sqDist(&x[i * d], &x[(long long) cand[best] * d], d));
        if (closest != want && bad++ < 3) printf("  round %d: closest differs\n", round);
        double total = 0;
        for (double v : tileSum) total += v;
        double wantTotal = std::accumulate(want.begin(), want.end(), 0.0);
        if (std::fabs(total - wantTotal) > 1e-9 * (1 + wantTotal) && bad++ < 3) printf("  round %d: tile sums %.12g, want %.12g\n", round, total, wantTotal);
    }
    char what[128];
    snprintf(what, sizeof what, "seeding n=%lld d=%d k=%d trials=%d duplicates=%d: %d bad", n, d, k, trials, duplicates, bad);
    report(bad != 0, what);
}

// The draw alone, where the answer is known exactly: all mass on a few points.
static void sampleExactCase() {
    long long n = 1000, tiles = (n + SEED_ROWS - 1) / SEED_ROWS;
    std::vector<float> closest(n, 0.f);
    closest[3] = 1.f;
    closest[517] = 2.f;
    closest[999] = 1.f;  // running sums 1, 3, 4
    std::vector<double> tileSum(tiles, 0.0);
    for (long long i = 0; i < n; i++) tileSum[i / SEED_ROWS] += closest[i];
    std::vector<double> u = {0.0, 0.2499, 0.25, 0.7499, 0.75, 0.9999};
    std::vector<int> want = {3, 3, 517, 517, 999, 999}, rows(u.size());
    launch((unsigned) u.size(), 256, [&] { sampleRows(u.data(), tileSum.data(), tiles, closest.data(), n, rows.data()); });
    report(rows != want, "sampleRows on known sums (3, 517, 999)");
}

int main() {
    labelChangesCase(1, 1, 1);
    labelChangesCase(1000, 3, 2);
    labelChangesCase(5000, 2, 3);
    relocateCase(500, 7, 9, 5, false, 3, 4);
    relocateCase(500, 40, 12, 3, true, 2, 5);    // equal distances: lower index first
    relocateCase(9, 3, 8, 2, false, 1, 6);       // more empty clusters than points may move
    relocateCase(2000, 5, 6, 6, false, 4, 7);    // nothing empty
    updateMeansCase(7, 5, 1, 8);
    updateMeansCase(100, 33, 3, 9);
    sampleExactCase();
    seedingCase(1000, 5, 4, 3, false, 10);
    seedingCase(700, 40, 3, 4, true, 11);        // duplicate points: zero distances
    seedingCase(300, 70, 3, 24, false, 12);      // the most trials, d over two depth stages
    printf("%d failing case(s)\n", failures);
    return failures != 0;
}
