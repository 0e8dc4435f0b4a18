package io.smtpwatchdog.it.child;

import java.net.InetSocketAddress;
import java.net.Socket;

/** Connects once with a connect timeout and reports how it went. Usage: {@code host port timeoutMs}. */
public final class ConnectClient {
    public static void main(String[] a) throws Exception {
        AgentView.awaitLive();
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(a[0], Integer.parseInt(a[1])), Integer.parseInt(a[2]));
            System.out.println("CONNECTED");
        } catch (Exception e) {
            System.out.println("FAILED " + e.getClass().getName() + ": " + e.getMessage());
        } finally {
            s.close();
        }
        AgentView.printCounters();
        System.exit(0);
    }
}
