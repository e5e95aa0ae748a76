package org.rnnclust.backend.cuda;

/**
 * The kernels of kernels/rnn.cu and their parameter lists, one letter per parameter: {@code i} int,
 * {@code l} long long, {@code f} float, {@code d} double, {@code p} a pointer. A launch passes each argument boxed as
 * the matching Java type (Integer, Long, Float, Double, Long), and {@link KernelLauncher} refuses any other
 * count or type, so an int given where a kernel reads 8 bytes fails in Java instead of reading
 * garbage on the device. {@code RnnKernelsTest} parses rnn.cu and checks these strings against it.
 */
enum RnnKernels {
    lstmForward("iippppppppppip"),
    lstmBackward("iipppppippp"),
    gruForward("iippppppppip"),
    gruBackward("iippppippp"),
    rnnTanhForward("iippppppppi"),
    rnnTanhBackward("iipppipp"),
    addRowVector("iippi"),
    columnSumPartials("iipiip"),
    addColumnPartials("iipp"),
    scaleKernel("plf"),
    axpyKernel("lfpp"),
    transpose01("iiipp"),
    maxPoolLeakyRelu("iiiifpp"),
    maxPoolLeakyReluBackward("iiiiifppp"),
    sumSquaresPartials("plp"),
    mseLossPartials("iipppp"),
    sumPartials("piip"),
    weightSum("ipp"),
    mseLossBackward("iipppfpp"),
    adamKernel("lppppffffffff"),
    studentTAssign("iiifppp"),
    decFrequencies("iipp"),
    decTarget("iippp"),
    klPartials("lppp"),
    decBackwardZ("iiiffppppp"),
    decBackwardMu("iiiffppppp"),
    mseLossFinish("piip"),
    clipByNormKernel("plpd"),
    recordBatch("piddddiii"),
    repeatKernel("lipp"),
    gatherSequences("iiiippp");

    /** The module (kernels/NAME.cu) these kernels are in. */
    static final String MODULE = "rnn";

    final String signature;

    RnnKernels(String signature) {
        this.signature = signature;
    }
}
