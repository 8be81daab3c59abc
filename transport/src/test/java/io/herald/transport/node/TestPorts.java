package io.herald.transport.node;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;

import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;

/**
 * Free UDP ports on localhost for test clusters, the one-member member string that uses them, and the settings of a
 * test's cluster client.
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
     * @return the settings of a test's cluster client of a one-member cluster (add an Aeron client or directory).
     */
    static AeronCluster.Context clientContext(final int ingressPort, final EgressListener listener)
    {
        return new AeronCluster.Context()
            .ingressChannel("aeron:udp?term-length=128k")
            .ingressEndpoints("0=localhost:" + ingressPort)
            .egressChannel("aeron:udp?endpoint=localhost:0|term-length=128k")
            .egressListener(listener)
            .messageTimeoutNs(TimeUnit.SECONDS.toNanos(5));
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
