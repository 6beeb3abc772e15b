package org.musicgen.trainer.training;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.Locale;

/** Turns {@code auto}/{@code cpu}/{@code gpu} into the devices a run trains on. */
public final class DeviceSelector {

    private DeviceSelector() {
    }

    public static void validate(String requested) {
        String value = requested == null ? "" : requested.trim().toLowerCase(Locale.ROOT);
        if (!value.equals("auto") && !value.equals("cpu") && !value.equals("gpu")) {
            throw new IllegalArgumentException("device must be 'auto', 'cpu' or 'gpu', got '" + requested + "'");
        }
    }

    /** All GPUs for {@code auto} when there are any (data parallel), otherwise the CPU. */
    public static Device[] select(String requested) {
        validate(requested);
        String value = requested.trim().toLowerCase(Locale.ROOT);
        int gpus = Engine.getInstance().getGpuCount();
        if (value.equals("cpu") || (value.equals("auto") && gpus == 0)) {
            return new Device[]{Device.cpu()};
        }
        if (gpus == 0) {
            throw new IllegalStateException("device 'gpu' was requested but the engine sees no GPU");
        }
        Device[] devices = new Device[gpus];
        for (int i = 0; i < gpus; i++) {
            devices[i] = Device.gpu(i);
        }
        return devices;
    }

    public static String describe(Device[] devices) {
        return devices.length == 1 ? devices[0].toString() : devices.length + " x " + devices[0].getDeviceType();
    }
}
