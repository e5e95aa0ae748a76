package org.rnnclust.backend.cpu;

import static org.rnnclust.backend.cpu.CpuMath.sigmoid;
import static org.rnnclust.backend.cpu.CpuMath.tanh;

import java.nio.FloatBuffer;

/**
 * The cell steps of {@link org.rnnclust.backend.RecurrentCellOps} in plain Java, one batch row and
 * hidden unit at a time: the reference of the parity tests, and what {@link CpuOps} runs when the
 * native library is absent. The formulas, and the order of every sum and product, are those of
 * kernels/cell_math.h, which the native library (native/cpu/cells.c) and the CUDA kernels compile;
 * as neither Java nor that C build contracts multiply-adds, this and the native library agree to
 * the bit ({@code CpuOpsThreadsTest} checks it).
 *
 * <p>Each method handles batch rows [from, to), so that {@link CpuOps} can split a step across
 * threads; each buffer comes with the offset of its first element. Gate rows are gate-major: gate q
 * of unit j at q·H + j. A padded row (mask 0) is computed like the others (its workspace row is
 * written, as the native library does) and then keeps its previous state and writes 0 to out; in
 * backward it passes dh (and dc) through and gets zero gate gradients.
 */
final class CpuCells {
    private CpuCells() {}

    /** A gate's pre-activation: x·W_ihᵀ + (h₋·W_hhᵀ + (b_ih + b_hh)), element k of the rows at x and r. */
    private static float gateInput(FloatBuffer xp, int x, FloatBuffer hp, int r, FloatBuffer bih, FloatBuffer bhh,
                                   int k) {
        return xp.get(x + k) + (hp.get(r + k) + (bih.get(k) + bhh.get(k)));
    }

    private static boolean padding(FloatBuffer mask, int mo, int b) {
        return mask.get(mo + b) == 0f;
    }

    /** dh of row b's unit j plus, when there is one, this step's output gradient. */
    private static float withOutputGrad(float dh, FloatBuffer dOut, int doo, int lddo, int b, int j) {
        return dOut == null ? dh : dh + dOut.get(doo + b * lddo + j);
    }

    static void lstmForward(int from, int to, int hid,
                            FloatBuffer xp, int xpo, FloatBuffer hpj, int hpjo,
                            FloatBuffer bih, FloatBuffer bhh, FloatBuffer mask, int mo,
                            FloatBuffer hPrev, int hpo, FloatBuffer cPrev, int cpo,
                            FloatBuffer h, int ho, FloatBuffer c, int co,
                            FloatBuffer out, int oo, int ldo, FloatBuffer ws, int wso) {
        int g4 = 4 * hid;
        for (int b = from; b < to; b++) {
            int x = xpo + b * g4;
            int r = hpjo + b * g4;
            int w = wso + b * g4;
            boolean padding = padding(mask, mo, b);
            for (int j = 0; j < hid; j++) {
                float i = sigmoid(gateInput(xp, x, hpj, r, bih, bhh, j));
                float f = sigmoid(gateInput(xp, x, hpj, r, bih, bhh, hid + j));
                float g = tanh(gateInput(xp, x, hpj, r, bih, bhh, 2 * hid + j));
                float o = sigmoid(gateInput(xp, x, hpj, r, bih, bhh, 3 * hid + j));
                float cPrevJ = cPrev.get(cpo + b * hid + j);
                float cj = f * cPrevJ + i * g;
                float hj = o * tanh(cj);
                ws.put(w + j, i);
                ws.put(w + hid + j, f);
                ws.put(w + 2 * hid + j, g);
                ws.put(w + 3 * hid + j, o);
                if (padding) {
                    cj = cPrevJ;
                    hj = hPrev.get(hpo + b * hid + j);
                }
                c.put(co + b * hid + j, cj);
                h.put(ho + b * hid + j, hj);
                out.put(oo + b * ldo + j, padding ? 0f : hj);
            }
        }
    }

    static void lstmBackward(int from, int to, int hid,
                             FloatBuffer ws, int wso, FloatBuffer mask, int mo,
                             FloatBuffer cPrev, int cpo, FloatBuffer c, int co,
                             FloatBuffer dOut, int doo, int lddo,
                             FloatBuffer dh, int dho, FloatBuffer dc, int dco,
                             FloatBuffer dGates, int dgo) {
        int g4 = 4 * hid;
        for (int b = from; b < to; b++) {
            int w = wso + b * g4;
            int dg = dgo + b * g4;
            if (padding(mask, mo, b)) {
                for (int k = 0; k < g4; k++) dGates.put(dg + k, 0f);
                continue;
            }
            for (int j = 0; j < hid; j++) {
                float i = ws.get(w + j);
                float f = ws.get(w + hid + j);
                float g = ws.get(w + 2 * hid + j);
                float o = ws.get(w + 3 * hid + j);
                float dht = withOutputGrad(dh.get(dho + b * hid + j), dOut, doo, lddo, b, j);
                float tc = tanh(c.get(co + b * hid + j));
                float dct = dc.get(dco + b * hid + j) + dht * o * (1f - tc * tc);
                dGates.put(dg + j, dct * g * i * (1f - i));
                dGates.put(dg + hid + j, dct * cPrev.get(cpo + b * hid + j) * f * (1f - f));
                dGates.put(dg + 2 * hid + j, dct * i * (1f - g * g));
                dGates.put(dg + 3 * hid + j, dht * tc * o * (1f - o));
                dc.put(dco + b * hid + j, dct * f);
                // The rest of dh₋ is dGates·W_hh, the caller's GEMM.
                dh.put(dho + b * hid + j, 0f);
            }
        }
    }

    static void gruForward(int from, int to, int hid,
                           FloatBuffer xp, int xpo, FloatBuffer hpj, int hpjo,
                           FloatBuffer bih, FloatBuffer bhh, FloatBuffer mask, int mo,
                           FloatBuffer hPrev, int hpo, FloatBuffer h, int ho,
                           FloatBuffer out, int oo, int ldo, FloatBuffer ws, int wso) {
        int g3 = 3 * hid;
        int g4 = 4 * hid;
        for (int b = from; b < to; b++) {
            int x = xpo + b * g3;
            int r = hpjo + b * g3;
            int w = wso + b * g4;
            boolean padding = padding(mask, mo, b);
            for (int j = 0; j < hid; j++) {
                float rg = sigmoid(gateInput(xp, x, hpj, r, bih, bhh, j));
                float z = sigmoid(gateInput(xp, x, hpj, r, bih, bhh, hid + j));
                // hn = h₋·W_hnᵀ + b_hn stays apart from the input side: r scales it inside n's tanh.
                float hn = hpj.get(r + 2 * hid + j) + bhh.get(2 * hid + j);
                float n = tanh(xp.get(x + 2 * hid + j) + (bih.get(2 * hid + j) + rg * hn));
                float hPrevJ = hPrev.get(hpo + b * hid + j);
                float hj = n + z * (hPrevJ - n);
                ws.put(w + j, rg);
                ws.put(w + hid + j, z);
                ws.put(w + 2 * hid + j, n);
                ws.put(w + 3 * hid + j, hn);
                if (padding) hj = hPrevJ;
                h.put(ho + b * hid + j, hj);
                out.put(oo + b * ldo + j, padding ? 0f : hj);
            }
        }
    }

    static void gruBackward(int from, int to, int hid,
                            FloatBuffer ws, int wso, FloatBuffer mask, int mo,
                            FloatBuffer hPrev, int hpo, FloatBuffer dOut, int doo, int lddo,
                            FloatBuffer dh, int dho,
                            FloatBuffer dGatesIh, int dgio, FloatBuffer dGatesHh, int dgho) {
        int g3 = 3 * hid;
        int g4 = 4 * hid;
        for (int b = from; b < to; b++) {
            int w = wso + b * g4;
            int di = dgio + b * g3;
            int dr = dgho + b * g3;
            if (padding(mask, mo, b)) {
                for (int k = 0; k < g3; k++) {
                    dGatesIh.put(di + k, 0f);
                    dGatesHh.put(dr + k, 0f);
                }
                continue;
            }
            for (int j = 0; j < hid; j++) {
                float rg = ws.get(w + j);
                float z = ws.get(w + hid + j);
                float n = ws.get(w + 2 * hid + j);
                float hn = ws.get(w + 3 * hid + j);
                float dht = withOutputGrad(dh.get(dho + b * hid + j), dOut, doo, lddo, b, j);
                float dn = dht * (1f - z) * (1f - n * n);
                float drg = dn * hn * rg * (1f - rg);
                float dz = dht * (hPrev.get(hpo + b * hid + j) - n) * z * (1f - z);
                dGatesIh.put(di + j, drg);
                dGatesIh.put(di + hid + j, dz);
                dGatesIh.put(di + 2 * hid + j, dn);
                // The recurrent side of n is scaled by r.
                dGatesHh.put(dr + j, drg);
                dGatesHh.put(dr + hid + j, dz);
                dGatesHh.put(dr + 2 * hid + j, dn * rg);
                dh.put(dho + b * hid + j, dht * z);
            }
        }
    }

    static void rnnTanhForward(int from, int to, int hid,
                               FloatBuffer xp, int xpo, FloatBuffer hpj, int hpjo,
                               FloatBuffer bih, FloatBuffer bhh, FloatBuffer mask, int mo,
                               FloatBuffer hPrev, int hpo, FloatBuffer h, int ho,
                               FloatBuffer out, int oo, int ldo) {
        for (int b = from; b < to; b++) {
            boolean padding = padding(mask, mo, b);
            for (int j = 0; j < hid; j++) {
                float hj = padding ? hPrev.get(hpo + b * hid + j)
                        : tanh(gateInput(xp, xpo + b * hid, hpj, hpjo + b * hid, bih, bhh, j));
                h.put(ho + b * hid + j, hj);
                out.put(oo + b * ldo + j, padding ? 0f : hj);
            }
        }
    }

    static void rnnTanhBackward(int from, int to, int hid,
                                FloatBuffer mask, int mo, FloatBuffer h, int ho,
                                FloatBuffer dOut, int doo, int lddo,
                                FloatBuffer dh, int dho, FloatBuffer dGates, int dgo) {
        for (int b = from; b < to; b++) {
            boolean padding = padding(mask, mo, b);
            for (int j = 0; j < hid; j++) {
                if (padding) {
                    dGates.put(dgo + b * hid + j, 0f);
                    continue;
                }
                float hj = h.get(ho + b * hid + j);
                float dht = withOutputGrad(dh.get(dho + b * hid + j), dOut, doo, lddo, b, j);
                dGates.put(dgo + b * hid + j, dht * (1f - hj * hj));
                dh.put(dho + b * hid + j, 0f);
            }
        }
    }
}
