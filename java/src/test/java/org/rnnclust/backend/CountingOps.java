package org.rnnclust.backend;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TensorOps} that passes every call to a real one and records the most floats its buffers
 * held at once (allocated and not yet closed): what a memory estimate is compared with.
 */
public final class CountingOps implements InvocationHandler {
    private final TensorOps real;
    private final TensorOps proxy;
    private final List<OwnedBuffer> buffers = new ArrayList<>();
    private long peak;

    public CountingOps(TensorOps real) {
        this.real = real;
        this.proxy = (TensorOps) Proxy.newProxyInstance(TensorOps.class.getClassLoader(),
                new Class<?>[] {TensorOps.class}, this);
    }

    /** The ops to hand to the code under test. */
    public TensorOps ops() {
        return proxy;
    }

    /** The most floats that were allocated and not closed at any one time. */
    public synchronized long peakFloats() {
        return peak;
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        Object result;
        try {
            result = method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (method.getName().equals("allocate")) recordAllocation((OwnedBuffer) result);
        return result;
    }

    private synchronized void recordAllocation(OwnedBuffer b) {
        buffers.add(b);
        buffers.removeIf(OwnedBuffer::isClosed);
        long live = 0;
        for (OwnedBuffer o : buffers) live += o.size();
        peak = Math.max(peak, live);
    }
}
