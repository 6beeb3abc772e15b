package org.musicgen.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every server process the launcher starts. It runs the real main class given as the
 * first argument and ends the process when its standard input reaches end-of-file, which happens when
 * the launching JVM goes away, even when that JVM is killed without running its shutdown hooks. So a
 * crashed test run or a killed launcher never leaves a broker or an S3 server behind.
 *
 * <p>This class is copied as a single class file onto the child's classpath; it must stay free of
 * nested classes and of any dependency beyond the JDK.
 */
public final class ChildWatchdog {

    private ChildWatchdog() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ChildWatchdog <main class> [args...]");
            System.exit(2);
        }
        Thread watcher = new Thread(() -> {
            InputStream in = System.in;
            byte[] buffer = new byte[256];
            try {
                while (in.read(buffer) >= 0) {
                    // the parent never writes; anything read is ignored
                }
            } catch (IOException e) {
                // treated like end-of-file
            }
            System.err.println("[local-stack] launching process is gone: shutting down");
            System.exit(0);
        }, "local-stack-parent-watchdog");
        watcher.setDaemon(true);
        watcher.start();

        Class<?> mainClass = Class.forName(args[0]);
        Method main = mainClass.getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
