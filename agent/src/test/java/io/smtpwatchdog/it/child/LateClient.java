package io.smtpwatchdog.it.child;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A host started without the agent: once the trigger file exists (after the test has attached the agent), it runs
 * {@link GreetingClient} against the given peer. Usage: {@code triggerFile host port}.
 */
public final class LateClient {
    public static void main(String[] a) throws Exception {
        System.out.println("READY");
        Path trigger = Path.of(a[0]);
        while (!Files.exists(trigger)) {
            Thread.sleep(20);
        }
        GreetingClient.main(new String[] {a[1], a[2], "plain", "0", "0"});
    }
}
