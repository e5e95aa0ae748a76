// Host model of the two PTX instructions kernels/kmeans_tc.cu issues, for threads_shim.h's blocks
// (include after it, before the kernel source, which then skips its inline PTX):
// * cvt.rna.tf32.f32: round to nearest, ties away from zero, to 10 stored mantissa bits (the low 13
//   bits of the FP32 pattern cleared; infinities and NaNs pass through);
// * mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32, with the fragment layout of the PTX ISA
//   (groupID = lane / 4, threadID_in_group = lane % 4):
//     A (16 × 8, row-major): a0 (g, t), a1 (g + 8, t), a2 (g, t + 4), a3 (g + 8, t + 4)
//     B (8 × 8, column-major): b0 (t, g), b1 (t + 4, g)
//     C, D (16 × 8): c0 (g, 2t), c1 (g, 2t + 1), c2 (g + 8, 2t), c3 (g + 8, 2t + 1)
//   Each lane's operands go through a block-wide slot array (every thread of the block calls it the
//   same number of times, as the kernel does); the products are exact, their sum with the
//   accumulator is formed in double and cut to FP32 toward zero, inside the error model the
//   kernel's bound assumes. An operand with any of its low 13 bits set (not rounded to TF32) is
//   counted in mmaUnroundedOperands: the hardware would drop those bits silently.
#pragma once
#define RNNCLUST_HOST_MMA 1

static inline unsigned __float_as_uint(float v) { unsigned b; memcpy(&b, &v, 4); return b; }
static inline float __uint_as_float(unsigned b) { float v; memcpy(&v, &b, 4); return v; }

static inline unsigned tf32Round(float v) {
    unsigned b = __float_as_uint(v);
    if ((b & 0x7f800000u) == 0x7f800000u) return b;
    return (b + 0x1000u) & ~0x1fffu;  // adds half a unit to the magnitude: ties go away from zero
}

static std::atomic<long> mmaUnroundedOperands{0};

static inline float towardZero(double s) {
    float f = (float) s;
    if (std::fabs((double) f) > std::fabs(s)) f = std::nextafter(f, 0.f);
    return f;
}

static inline void mmaTf32(float (&acc)[4], const unsigned (&a)[4], unsigned b0, unsigned b1) {
    static unsigned A[1024][4], B[1024][2];
    const unsigned me = threadIdx.x, base = me & ~31u, lane = me & 31u;
    for (int r = 0; r < 4; r++) A[me][r] = a[r];
    B[me][0] = b0;
    B[me][1] = b1;
    for (int r = 0; r < 4; r++) if (a[r] & 0x1fffu) mmaUnroundedOperands++;
    if ((b0 | b1) & 0x1fffu) mmaUnroundedOperands++;
    __syncthreads();
    const unsigned g = lane >> 2, t = lane & 3;
    float out[4];
    for (unsigned e = 0; e < 4; e++) {
        const unsigned row = g + 8 * (e >> 1), col = 2 * t + (e & 1);
        double s = acc[e];
        for (unsigned kk = 0; kk < 8; kk++) {
            const float av = __uint_as_float(A[base + (row % 8) * 4 + kk % 4][(row >= 8 ? 1 : 0) + (kk >= 4 ? 2 : 0)]);
            const float bv = __uint_as_float(B[base + col * 4 + kk % 4][kk >= 4 ? 1 : 0]);
            s += (double) av * (double) bv;
        }
        out[e] = towardZero(s);
    }
    __syncthreads();
    for (int e = 0; e < 4; e++) acc[e] = out[e];
}
