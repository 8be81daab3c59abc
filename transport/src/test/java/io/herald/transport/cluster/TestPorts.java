package io.herald.transport.cluster;

import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.SocketException;

/**
 * Free UDP ports on localhost for test clusters, and the one-member member string that uses them.
 */
final class TestPorts
{
    private TestPorts()
    {
    }

    static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final SocketException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return {@code 0,ingress,consensus,log,catchup,archive} with the given ingress port and free ones elsewhere.
     */
    static String oneMember(final int ingressPort)
    {
        return "0,localhost:" + ingressPort + ",localhost:" + freeUdpPort() + ",localhost:" + freeUdpPort() +
            ",localhost:0,localhost:" + freeUdpPort();
    }
}
