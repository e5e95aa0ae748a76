package org.rnnclust.backend.cpu;

import static org.rnnclust.backend.cpu.FloatLoops.add;
import static org.rnnclust.backend.cpu.FloatLoops.addAdd;
import static org.rnnclust.backend.cpu.FloatLoops.addAddMul;
import static org.rnnclust.backend.cpu.FloatLoops.addMulTanhGrad;
import static org.rnnclust.backend.cpu.FloatLoops.lerp;
import static org.rnnclust.backend.cpu.FloatLoops.mul;
import static org.rnnclust.backend.cpu.FloatLoops.mulAddMul;
import static org.rnnclust.backend.cpu.FloatLoops.mulDiffSigmoidGrad;
import static org.rnnclust.backend.cpu.FloatLoops.mulMulTanhGrad;
import static org.rnnclust.backend.cpu.FloatLoops.mulOneMinusMulTanhGrad;
import static org.rnnclust.backend.cpu.FloatLoops.mulOneMinusSq;
import static org.rnnclust.backend.cpu.FloatLoops.mulSigmoidGrad;
import static org.rnnclust.backend.cpu.FloatLoops.sigmoidInPlace;
import static org.rnnclust.backend.cpu.FloatLoops.sum;
import static org.rnnclust.backend.cpu.FloatLoops.tanhInPlace;
import static org.rnnclust.backend.cpu.FloatLoops.tanhOf;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Row loops of the fused cell steps (see {@link org.rnnclust.backend.RecurrentCellOps} for the
 * equations and arguments). Each method handles batch rows [from, to), so that {@link CpuOps} can
 * split a step across threads.
 *
 * <p>Rows go in tiles: each gate's slice of the tile's rows is copied from the off-heap [B, G·H]
 * buffers into its own heap array (structure of arrays), the formulas run as the small
 * vectorisable passes of {@link FloatLoops} over whole tiles, and the results are copied back.
 * Masked rows are computed like the others and then overwritten row by row (carried state,
 * zero output, zero gate gradients).
 */
final class CpuCells {
    private CpuCells() {}

    /**
     * Hidden units per tile and array: 16 KiB arrays, so a tile's ~16 arrays stay in L2 (512 to
     * 4096 measured within 10% of each other).
     */
    static final int TILE_UNITS = 4096;

    /** A thread's staging arrays, grown on demand and then reused: no allocation per step. */
    static final class Scratch {
        private final float[][] arrays = new float[20][];
        private final int tileUnits;

        Scratch(int tileUnits) {
            this.tileUnits = tileUnits;
        }

        /** Rows per tile for hidden size hid. */
        int tileRows(int hid) {
            return Math.max(1, tileUnits / hid);
        }

        float[] get(int slot, int n) {
            float[] a = arrays[slot];
            if (a == null || a.length < n) arrays[slot] = a = new float[n];
            return a;
        }
    }

    private static boolean masked(FloatBuffer mask, int mo, int b) {
        return mask.get(mo + b) == 0f;
    }

    /** Copies columns [col, col+hid) of rows r0.. of a row-major buffer (row stride ld) into dst. */
    private static void gather(FloatBuffer src, int off, int ld, int col, int r0, int rows, int hid, float[] dst) {
        for (int r = 0; r < rows; r++) src.get(off + (r0 + r) * ld + col, dst, r * hid, hid);
    }

    private static void scatter(float[] src, FloatBuffer dst, int off, int ld, int col, int r0, int rows, int hid) {
        for (int r = 0; r < rows; r++) dst.put(off + (r0 + r) * ld + col, src, r * hid, hid);
    }

    /** A tile of rows each equal to a[col..col+hid) (+ b[col..col+hid) when b is not null). */
    private static float[] biasTile(Scratch s, int slot, FloatBuffer a, FloatBuffer b, int col, int hid, int rows) {
        float[] t = s.get(slot, rows * hid);
        a.get(col, t, 0, hid);
        if (b != null) {
            for (int j = 0; j < hid; j++) t[j] += b.get(col + j);
        }
        for (int r = 1; r < rows; r++) System.arraycopy(t, 0, t, r * hid, hid);
        return t;
    }

    /** dht = dh + row b of dOut for each row (dh alone when dOut is null). */
    private static void withOutputGrad(float[] dht, float[] dh, FloatBuffer dOut, int doo, int lddo, int r0, int rows,
                                       int hid, float[] tmp) {
        int n = rows * hid;
        if (dOut == null) {
            System.arraycopy(dh, 0, dht, 0, n);
        } else {
            gather(dOut, doo, lddo, 0, r0, rows, hid, tmp);
            sum(dht, dh, tmp, n);
        }
    }

    /** The tile's h rows, or zeros for masked rows, to the strided output. */
    private static void storeOut(FloatBuffer out, int oo, int ldo, FloatBuffer mask, int mo, int r0, int rows,
                                 int hid, float[] h, float[] zeros) {
        for (int r = 0; r < rows; r++) {
            int b = r0 + r;
            if (masked(mask, mo, b)) {
                out.put(oo + b * ldo, zeros, 0, hid);
            } else {
                out.put(oo + b * ldo, h, r * hid, hid);
            }
        }
    }

    private static float[] zeros(Scratch s, int slot, int n) {
        float[] z = s.get(slot, n);
        Arrays.fill(z, 0, n, 0f);
        return z;
    }

    static void lstmForward(Scratch s, int from, int to, int hid,
                            FloatBuffer xp, int xpo, FloatBuffer hpj, int hpjo,
                            FloatBuffer bih, FloatBuffer bhh, FloatBuffer mask, int mo,
                            FloatBuffer hPrev, int hpo, FloatBuffer cPrev, int cpo,
                            FloatBuffer h, int ho, FloatBuffer c, int co,
                            FloatBuffer out, int oo, int ldo, FloatBuffer ws, int wso) {
        int g4 = 4 * hid;
        int tile = s.tileRows(hid);
        int cap = tile * hid;
        float[] i = s.get(0, cap);
        float[] f = s.get(1, cap);
        float[] g = s.get(2, cap);
        float[] o = s.get(3, cap);
        float[] tmp = s.get(4, cap);
        float[] cp = s.get(5, cap);
        float[] cs = s.get(6, cap);
        float[] hs = s.get(7, cap);
        float[] bi = biasTile(s, 8, bih, bhh, 0, hid, tile);
        float[] bf = biasTile(s, 9, bih, bhh, hid, hid, tile);
        float[] bg = biasTile(s, 10, bih, bhh, 2 * hid, hid, tile);
        float[] bo = biasTile(s, 11, bih, bhh, 3 * hid, hid, tile);
        float[] zeros = zeros(s, 12, hid);
        float[][] gates = {i, f, g, o};
        float[][] biases = {bi, bf, bg, bo};
        for (int r0 = from; r0 < to; r0 += tile) {
            int rows = Math.min(tile, to - r0);
            int n = rows * hid;
            for (int q = 0; q < 4; q++) {
                gather(xp, xpo, g4, q * hid, r0, rows, hid, gates[q]);
                gather(hpj, hpjo, g4, q * hid, r0, rows, hid, tmp);
                addAdd(gates[q], tmp, biases[q], n);
            }
            sigmoidInPlace(i, n);
            sigmoidInPlace(f, n);
            tanhInPlace(g, n);
            sigmoidInPlace(o, n);
            cPrev.get(cpo + r0 * hid, cp, 0, n);
            mulAddMul(cs, f, cp, i, g, n);
            tanhOf(tmp, cs, n);
            mul(hs, o, tmp, n);
            for (int r = 0; r < rows; r++) {
                if (!masked(mask, mo, r0 + r)) continue;
                hPrev.get(hpo + (r0 + r) * hid, hs, r * hid, hid);
                System.arraycopy(cp, r * hid, cs, r * hid, hid);
            }
            for (int q = 0; q < 4; q++) scatter(gates[q], ws, wso, g4, q * hid, r0, rows, hid);
            c.put(co + r0 * hid, cs, 0, n);
            h.put(ho + r0 * hid, hs, 0, n);
            storeOut(out, oo, ldo, mask, mo, r0, rows, hid, hs, zeros);
        }
    }

    static void lstmBackward(Scratch s, int from, int to, int hid,
                             FloatBuffer ws, int wso, FloatBuffer mask, int mo,
                             FloatBuffer cPrev, int cpo, FloatBuffer c, int co,
                             FloatBuffer dOut, int doo, int lddo,
                             FloatBuffer dh, int dho, FloatBuffer dc, int dco,
                             FloatBuffer dGates, int dgo) {
        int g4 = 4 * hid;
        int tile = s.tileRows(hid);
        int cap = tile * hid;
        float[] i = s.get(0, cap);
        float[] f = s.get(1, cap);
        float[] g = s.get(2, cap);
        float[] o = s.get(3, cap);
        float[] cp = s.get(4, cap);
        float[] cs = s.get(5, cap);
        float[] dhs = s.get(6, cap);
        float[] dcs = s.get(7, cap);
        float[] tmp = s.get(8, cap);
        float[] tc = s.get(9, cap);
        float[] dht = s.get(10, cap);
        float[] dct = s.get(11, cap);
        float[] di = s.get(12, cap);
        float[] df = s.get(13, cap);
        float[] dg = s.get(14, cap);
        float[] dO = s.get(15, cap);
        float[] dcNew = s.get(16, cap);
        float[][] gates = {i, f, g, o};
        float[][] grads = {di, df, dg, dO};
        for (int r0 = from; r0 < to; r0 += tile) {
            int rows = Math.min(tile, to - r0);
            int n = rows * hid;
            for (int q = 0; q < 4; q++) gather(ws, wso, g4, q * hid, r0, rows, hid, gates[q]);
            cPrev.get(cpo + r0 * hid, cp, 0, n);
            c.get(co + r0 * hid, cs, 0, n);
            dh.get(dho + r0 * hid, dhs, 0, n);
            dc.get(dco + r0 * hid, dcs, 0, n);
            withOutputGrad(dht, dhs, dOut, doo, lddo, r0, rows, hid, tmp);
            tanhOf(tc, cs, n);
            addMulTanhGrad(dct, dcs, dht, o, tc, n);
            mulSigmoidGrad(di, dct, g, i, n);
            mulSigmoidGrad(df, dct, cp, f, n);
            mulMulTanhGrad(dg, dct, i, g, n);
            mulSigmoidGrad(dO, dht, tc, o, n);
            mul(dcNew, dct, f, n);
            // dh of a valid row now flows only through W_hh (the caller's GEMM); masked rows keep theirs.
            for (int r = 0; r < rows; r++) {
                int a = r * hid;
                if (masked(mask, mo, r0 + r)) {
                    for (float[] d : grads) Arrays.fill(d, a, a + hid, 0f);
                    System.arraycopy(dcs, a, dcNew, a, hid);
                } else {
                    Arrays.fill(dhs, a, a + hid, 0f);
                }
            }
            for (int q = 0; q < 4; q++) scatter(grads[q], dGates, dgo, g4, q * hid, r0, rows, hid);
            dh.put(dho + r0 * hid, dhs, 0, n);
            dc.put(dco + r0 * hid, dcNew, 0, n);
        }
    }

    static void gruForward(Scratch s, int from, int to, int hid,
                           FloatBuffer xp, int xpo, FloatBuffer hpj, int hpjo,
                           FloatBuffer bih, FloatBuffer bhh, FloatBuffer mask, int mo,
                           FloatBuffer hPrev, int hpo, FloatBuffer h, int ho,
                           FloatBuffer out, int oo, int ldo, FloatBuffer ws, int wso) {
        int g3 = 3 * hid;
        int g4 = 4 * hid;
        int tile = s.tileRows(hid);
        int cap = tile * hid;
        float[] r = s.get(0, cap);
        float[] z = s.get(1, cap);
        float[] nn = s.get(2, cap);
        float[] hn = s.get(3, cap);
        float[] tmp = s.get(4, cap);
        float[] hp = s.get(5, cap);
        float[] hs = s.get(6, cap);
        float[] br = biasTile(s, 7, bih, bhh, 0, hid, tile);
        float[] bz = biasTile(s, 8, bih, bhh, hid, hid, tile);
        float[] bin = biasTile(s, 9, bih, null, 2 * hid, hid, tile);
        float[] bhn = biasTile(s, 10, bhh, null, 2 * hid, hid, tile);
        float[] zeros = zeros(s, 11, hid);
        for (int r0 = from; r0 < to; r0 += tile) {
            int rows = Math.min(tile, to - r0);
            int n = rows * hid;
            gather(xp, xpo, g3, 0, r0, rows, hid, r);
            gather(hpj, hpjo, g3, 0, r0, rows, hid, tmp);
            addAdd(r, tmp, br, n);
            sigmoidInPlace(r, n);
            gather(xp, xpo, g3, hid, r0, rows, hid, z);
            gather(hpj, hpjo, g3, hid, r0, rows, hid, tmp);
            addAdd(z, tmp, bz, n);
            sigmoidInPlace(z, n);
            // hn = h₋·W_hnᵀ + b_hn stays apart: r scales it inside n's tanh.
            gather(hpj, hpjo, g3, 2 * hid, r0, rows, hid, hn);
            add(hn, bhn, n);
            gather(xp, xpo, g3, 2 * hid, r0, rows, hid, nn);
            addAddMul(nn, bin, r, hn, n);
            tanhInPlace(nn, n);
            hPrev.get(hpo + r0 * hid, hp, 0, n);
            lerp(hs, nn, z, hp, n);
            for (int q = 0; q < rows; q++) {
                if (masked(mask, mo, r0 + q)) System.arraycopy(hp, q * hid, hs, q * hid, hid);
            }
            scatter(r, ws, wso, g4, 0, r0, rows, hid);
            scatter(z, ws, wso, g4, hid, r0, rows, hid);
            scatter(nn, ws, wso, g4, 2 * hid, r0, rows, hid);
            scatter(hn, ws, wso, g4, 3 * hid, r0, rows, hid);
            h.put(ho + r0 * hid, hs, 0, n);
            storeOut(out, oo, ldo, mask, mo, r0, rows, hid, hs, zeros);
        }
    }

    static void gruBackward(Scratch s, int from, int to, int hid,
                            FloatBuffer ws, int wso, FloatBuffer mask, int mo,
                            FloatBuffer hPrev, int hpo, FloatBuffer dOut, int doo, int lddo,
                            FloatBuffer dh, int dho,
                            FloatBuffer dGatesIh, int dgio, FloatBuffer dGatesHh, int dgho) {
        int g3 = 3 * hid;
        int g4 = 4 * hid;
        int tile = s.tileRows(hid);
        int cap = tile * hid;
        float[] r = s.get(0, cap);
        float[] z = s.get(1, cap);
        float[] nn = s.get(2, cap);
        float[] hn = s.get(3, cap);
        float[] hp = s.get(4, cap);
        float[] dhs = s.get(5, cap);
        float[] tmp = s.get(6, cap);
        float[] dht = s.get(7, cap);
        float[] dnp = s.get(8, cap);
        float[] drp = s.get(9, cap);
        float[] dzp = s.get(10, cap);
        float[] dnh = s.get(11, cap);
        float[] dhNew = s.get(12, cap);
        float[][] grads = {drp, dzp, dnp, dnh};
        for (int r0 = from; r0 < to; r0 += tile) {
            int rows = Math.min(tile, to - r0);
            int n = rows * hid;
            gather(ws, wso, g4, 0, r0, rows, hid, r);
            gather(ws, wso, g4, hid, r0, rows, hid, z);
            gather(ws, wso, g4, 2 * hid, r0, rows, hid, nn);
            gather(ws, wso, g4, 3 * hid, r0, rows, hid, hn);
            hPrev.get(hpo + r0 * hid, hp, 0, n);
            dh.get(dho + r0 * hid, dhs, 0, n);
            withOutputGrad(dht, dhs, dOut, doo, lddo, r0, rows, hid, tmp);
            mulOneMinusMulTanhGrad(dnp, dht, z, nn, n);
            mulSigmoidGrad(drp, dnp, hn, r, n);
            mulDiffSigmoidGrad(dzp, dht, hp, nn, z, n);
            mul(dnh, dnp, r, n);
            mul(dhNew, dht, z, n);
            for (int q = 0; q < rows; q++) {
                int a = q * hid;
                if (!masked(mask, mo, r0 + q)) continue;
                for (float[] d : grads) Arrays.fill(d, a, a + hid, 0f);
                System.arraycopy(dhs, a, dhNew, a, hid);
            }
            scatter(drp, dGatesIh, dgio, g3, 0, r0, rows, hid);
            scatter(dzp, dGatesIh, dgio, g3, hid, r0, rows, hid);
            scatter(dnp, dGatesIh, dgio, g3, 2 * hid, r0, rows, hid);
            scatter(drp, dGatesHh, dgho, g3, 0, r0, rows, hid);
            scatter(dzp, dGatesHh, dgho, g3, hid, r0, rows, hid);
            scatter(dnh, dGatesHh, dgho, g3, 2 * hid, r0, rows, hid);
            dh.put(dho + r0 * hid, dhNew, 0, n);
        }
    }

    static void rnnTanhForward(Scratch s, int from, int to, int hid,
                               FloatBuffer xp, int xpo, FloatBuffer hpj, int hpjo,
                               FloatBuffer bih, FloatBuffer bhh, FloatBuffer mask, int mo,
                               FloatBuffer hPrev, int hpo, FloatBuffer h, int ho,
                               FloatBuffer out, int oo, int ldo) {
        int tile = s.tileRows(hid);
        int cap = tile * hid;
        float[] x = s.get(0, cap);
        float[] tmp = s.get(1, cap);
        float[] bias = biasTile(s, 2, bih, bhh, 0, hid, tile);
        float[] zeros = zeros(s, 3, hid);
        for (int r0 = from; r0 < to; r0 += tile) {
            int rows = Math.min(tile, to - r0);
            int n = rows * hid;
            xp.get(xpo + r0 * hid, x, 0, n);
            hpj.get(hpjo + r0 * hid, tmp, 0, n);
            addAdd(x, tmp, bias, n);
            tanhInPlace(x, n);
            for (int r = 0; r < rows; r++) {
                if (masked(mask, mo, r0 + r)) hPrev.get(hpo + (r0 + r) * hid, x, r * hid, hid);
            }
            h.put(ho + r0 * hid, x, 0, n);
            storeOut(out, oo, ldo, mask, mo, r0, rows, hid, x, zeros);
        }
    }

    static void rnnTanhBackward(Scratch s, int from, int to, int hid,
                                FloatBuffer mask, int mo, FloatBuffer h, int ho,
                                FloatBuffer dOut, int doo, int lddo,
                                FloatBuffer dh, int dho, FloatBuffer dGates, int dgo) {
        int tile = s.tileRows(hid);
        int cap = tile * hid;
        float[] hs = s.get(0, cap);
        float[] dhs = s.get(1, cap);
        float[] tmp = s.get(2, cap);
        float[] dht = s.get(3, cap);
        float[] dg = s.get(4, cap);
        for (int r0 = from; r0 < to; r0 += tile) {
            int rows = Math.min(tile, to - r0);
            int n = rows * hid;
            h.get(ho + r0 * hid, hs, 0, n);
            dh.get(dho + r0 * hid, dhs, 0, n);
            withOutputGrad(dht, dhs, dOut, doo, lddo, r0, rows, hid, tmp);
            mulOneMinusSq(dg, dht, hs, n);
            for (int r = 0; r < rows; r++) {
                int a = r * hid;
                if (masked(mask, mo, r0 + r)) {
                    Arrays.fill(dg, a, a + hid, 0f);
                } else {
                    Arrays.fill(dhs, a, a + hid, 0f);
                }
            }
            dGates.put(dgo + r0 * hid, dg, 0, n);
            dh.put(dho + r0 * hid, dhs, 0, n);
        }
    }
}
