package io.smtpwatchdog.it.child;

import net.bytebuddy.ByteBuddy;
import org.slf4j.LoggerFactory;

/**
 * A host with its own Byte Buddy, SLF4J and logback, in other versions than the agent shades: both must keep working.
 * Then runs {@link GreetingClient} against the given tarpit. Usage: {@code host port}.
 */
public final class ClashHost {
    public static void main(String[] a) throws Exception {
        Class<?> made = new ByteBuddy().subclass(Object.class).name("host.Generated").make()
                .load(ClashHost.class.getClassLoader()).getLoaded();
        String jar = ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        System.out.println("HOST BYTEBUDDY " + jar.substring(jar.lastIndexOf('/') + 1) + " made " + made.getName());
        LoggerFactory.getLogger("host").info("host logging works");
        System.out.println("HOST SLF4J " + LoggerFactory.getILoggerFactory().getClass().getName());
        GreetingClient.main(new String[]{a[0], a[1], "plain", "0", "0"});
    }
}
