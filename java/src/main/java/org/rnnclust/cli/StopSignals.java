package org.rnnclust.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT into a request to stop, for a command that can stop cleanly at a safe
 * point (train: at the next batch boundary, after writing its checkpoint). The command hands
 * {@link #requested} to the library's cancel hook; the library knows nothing of signals.
 *
 * <p>Why a signal handler and not a shutdown hook: a hook runs once the JVM has already begun to
 * exit, when the exit status is the signal's (143 for SIGTERM, 130 for SIGINT). It would have to
 * block until the training thread had written its checkpoint and then end the JVM with
 * {@code Runtime.halt(75)}, skipping the other hooks and racing the main thread's own message.
 * With a handler the JVM does not begin to exit: the main thread stops at the batch boundary,
 * writes the checkpoint, unwinds through the {@link org.rnnclust.CancelledException}, prints its
 * one line and exits 75 the ordinary way, every time.
 *
 * <p>Further signals only repeat the request, so nothing interrupts the checkpoint while it is
 * written (it is written atomically besides, so that even SIGKILL leaves the previous one whole).
 * Where no handler can be installed (the JVM runs with {@code -Xrs}, or lacks the JDK's
 * {@code sun.misc.Signal}), the signal keeps its default action, ending the process without a
 * checkpoint; one line says so.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported, exported for exactly this use) is reached by
 * reflection: named in the source, it draws an "internal proprietary API" warning from javac that
 * no annotation silences.
 */
final class StopSignals implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final String[] NAMES = {"TERM", "INT"};

    private final AtomicReference<String> received = new AtomicReference<>();
    private final List<Object> signals = new ArrayList<>();
    private final List<Object> previous = new ArrayList<>();

    private StopSignals() {}

    /** Handles SIGTERM and SIGINT until {@link #close}. */
    static StopSignals install() {
        StopSignals s = new StopSignals();
        for (String name : NAMES) {
            try {
                Object signal = Jdk.SIGNAL.getConstructor(String.class).newInstance(name);
                s.previous.add(Jdk.HANDLE.invoke(null, signal, s.handler()));
                s.signals.add(signal);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                Throwable why = e instanceof InvocationTargetException i ? i.getCause() : e;
                LOG.warn("SIG" + name + " cannot be caught here (" + why + "): it will stop the run without a checkpoint");
            }
        }
        return s;
    }

    /** A sun.misc.SignalHandler that records the first signal's name. */
    private Object handler() {
        return Proxy.newProxyInstance(Jdk.HANDLER.getClassLoader(), new Class<?>[] {Jdk.HANDLER}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "handle" -> received.compareAndSet(null, "SIG" + Jdk.NAME.invoke(args[0]));
                case "equals" -> { return proxy == args[0]; }
                case "hashCode" -> { return System.identityHashCode(proxy); }
                case "toString" -> { return "stop request on SIGTERM/SIGINT"; }
                default -> { }
            }
            return null;
        });
    }

    /** How many of SIGTERM and SIGINT this object handles (fewer where the JVM refused a handler). */
    int handled() {
        return signals.size();
    }

    /** Whether a signal asked the command to stop. */
    boolean requested() {
        return received.get() != null;
    }

    /** The first signal received ("SIGTERM", "SIGINT"), or null. */
    String signal() {
        return received.get();
    }

    /**
     * Restores the handlers there were before, unless a signal has asked to stop: the command is
     * then ending with exit 75, and a second signal on its way out must not turn that into the
     * signal's own status.
     */
    @Override
    public void close() {
        if (!requested()) restore();
    }

    /** Restores the handlers there were before. */
    void restore() {
        for (int i = 0; i < signals.size(); i++) {
            try {
                Jdk.HANDLE.invoke(null, signals.get(i), previous.get(i));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("restoring the handler of " + signals.get(i), e);
            }
        }
    }

    /** The JDK's signal API, looked up once. */
    private static final class Jdk {
        static final Class<?> SIGNAL = load("sun.misc.Signal");
        static final Class<?> HANDLER = load("sun.misc.SignalHandler");
        static final Method HANDLE = method(SIGNAL, "handle", SIGNAL, HANDLER);
        static final Method NAME = method(SIGNAL, "getName");

        private static Class<?> load(String name) {
            try {
                return Class.forName(name);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(name + " is not in this Java runtime", e);
            }
        }

        private static Method method(Class<?> c, String name, Class<?>... parameters) {
            try {
                return c.getMethod(name, parameters);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
