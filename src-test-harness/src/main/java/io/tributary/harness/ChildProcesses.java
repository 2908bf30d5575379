package io.tributary.harness;

/** Child processes of the stand-ins end with the JVM, even when it is interrupted (Ctrl-C). */
public final class ChildProcesses {
    private ChildProcesses() {}

    public static void stopOnExit(Process process) {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            process.descendants().forEach(ProcessHandle::destroyForcibly);
                            process.destroyForcibly();
                        },
                        "stop-" + process.pid()));
    }
}
