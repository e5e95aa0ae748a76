package org.rnnclust.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.rnnclust.api.Device;
import org.rnnclust.api.DeviceOptions;

/**
 * One CPU device for a test class, opened before its first test and closed after its last:
 * {@code @RegisterExtension static final CpuDevice CPU = CpuDevice.forNetworks(true);}, then
 * {@code CPU.get()} in the tests.
 */
public final class CpuDevice implements BeforeAllCallback, AfterAllCallback {
    private final DeviceOptions options;
    private Device device;

    private CpuDevice(DeviceOptions options) {
        this.options = options;
    }

    /** Two threads; {@code networks}: whether the class runs recurrent networks on it. */
    public static CpuDevice forNetworks(boolean networks) {
        return new CpuDevice(new DeviceOptions("cpu", 2, false, 0, networks));
    }

    /** The open device. */
    public Device get() {
        if (device == null) throw new IllegalStateException("the CPU device is open only while the test class runs");
        return device;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        device = Device.open(options);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (device != null) device.close();
        device = null;
    }
}
