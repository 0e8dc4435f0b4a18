package io.smtpwatchdog.it.child;

/** A host that only proves it ran: the agent, however misconfigured, must not stop it. */
public final class HostApp {
    public static void main(String[] a) throws Exception {
        Thread.sleep(a.length > 0 ? Long.parseLong(a[0]) : 0);
        System.out.println("HOST RAN");
    }
}
