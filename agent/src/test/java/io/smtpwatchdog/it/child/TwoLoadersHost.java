package io.smtpwatchdog.it.child;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * A host that, like an application server with two web applications, loads Angus Mail twice, in two class loaders
 * of its own that share nothing but the JDK, and sends through each once. Usage: {@code host port recipients}.
 * Prints {@code LOADER <n> } and what {@link JakartaMailClient#sendOnce} prints, for each loader, then the agent's counters.
 */
public final class TwoLoadersHost {
    public static void main(String[] a) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("smtp-watchdog-agent")) {
                urls.add(new File(entry).toURI().toURL()); // these programs and the library, not the agent
            }
        }
        AgentView.awaitLive();
        List<URLClassLoader> loaders = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            URLClassLoader loader = new URLClassLoader("webapp-" + i, urls.toArray(new URL[0]),
                    ClassLoader.getPlatformClassLoader());
            loaders.add(loader);
            // By name: this class must not load the library, or the application loader would define it a third time.
            Class<?> client = loader.loadClass("io.smtpwatchdog.it.child.JakartaMailClient");
            if (client.getClassLoader() != loader) {
                throw new IllegalStateException("not isolated: " + client.getClassLoader());
            }
            System.out.print("LOADER " + i + " ");
            // As an application server does: the mail library finds its providers through the context loader.
            Thread.currentThread().setContextClassLoader(loader);
            client.getMethod("sendOnce", String.class, String.class, String.class).invoke(null, a[0], a[1], a[2]);
        }
        AgentView.printCounters();
        for (URLClassLoader l : loaders) {
            l.close();
        }
        System.exit(0);
    }
}
