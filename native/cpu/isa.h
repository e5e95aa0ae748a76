/*
 * One instruction-set level for every native function of the library, chosen once at load for
 * this CPU and pinned by NativeCpu.useIsa (the deterministic mode pins x86-64-v3; tests pin each
 * level in turn). Each function is written once, as an always-inline body, and compiled three
 * times by ISA_VARIANTS: for x86-64-v4 (AVX-512), x86-64-v3 (AVX2) and the x86-64 baseline.
 * None of the bodies reduces across vector lanes and the build does not contract multiply-adds,
 * so the three compute the same bits; the level changes only the speed. (ISA_VARIANTS_CONTRACTED,
 * below, is the one exception, for default-mode kernels only.)
 */
#ifndef RNNCLUST_ISA_H
#define RNNCLUST_ISA_H

enum { ISA_BASELINE = 0, ISA_V3 = 1, ISA_V4 = 2 };

/* The level in use: the best this CPU supports until NativeCpu.useIsa pins another. */
int rnnclust_isa_level(void);

#define ISA_BODY static inline __attribute__((always_inline))

/* name##_isa(args): the body `name` compiled for the level in use. */
#define ISA_VARIANTS(name, params, args)                                                            \
    __attribute__((target("arch=x86-64-v4"))) static void name##_v4 params { name args; }           \
    __attribute__((target("arch=x86-64-v3"))) static void name##_v3 params { name args; }           \
    static void name##_v1 params { name args; }                                                     \
    static void name##_isa params {                                                                 \
        switch (rnnclust_isa_level()) {                                                             \
            case ISA_V4: name##_v4 args; break;                                                     \
            case ISA_V3: name##_v3 args; break;                                                     \
            default: name##_v1 args; break;                                                         \
        }                                                                                           \
    }

/*
 * name##_contracted_isa(args): the same body compiled with multiply-adds contracted to FMAs where
 * the level has them (x86-64-v3 and -v4; the baseline has none). For the default mode's kernels
 * that round as OpenBLAS's do; never for a body whose bits the deterministic mode relies on. The
 * baseline reuses ISA_VARIANTS's name##_v1, so ISA_VARIANTS(name, ...) must come first.
 */
#define ISA_VARIANTS_CONTRACTED(name, params, args)                                                 \
    __attribute__((target("arch=x86-64-v4"), optimize("fp-contract=fast")))                         \
    static void name##_contracted_v4 params { name args; }                                          \
    __attribute__((target("arch=x86-64-v3"), optimize("fp-contract=fast")))                         \
    static void name##_contracted_v3 params { name args; }                                          \
    static void name##_contracted_isa params {                                                      \
        switch (rnnclust_isa_level()) {                                                             \
            case ISA_V4: name##_contracted_v4 args; break;                                          \
            case ISA_V3: name##_contracted_v3 args; break;                                          \
            default: name##_v1 args; break;                                                         \
        }                                                                                           \
    }

#endif
