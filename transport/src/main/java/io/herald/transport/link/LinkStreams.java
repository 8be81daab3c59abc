package io.herald.transport.link;

/**
 * The Aeron streams of the edge-to-node link outside the cluster's log, declared once for both ends: an edge (and a
 * node asking its peers how far they applied the log) sends reads on a node's read channel, {@link #READ}; a node
 * answers on the asker's answer channel, {@link #ANSWER}. Writes go through Aeron Cluster's own ingress and egress.
 */
public final class LinkStreams
{
    /** Publishes, counts, lists and status requests, to a node's read channel. */
    public static final int READ = 1001;
    /** Notification lists, counts, lists, statuses, remote notifications and errors, to an edge's answer channel. */
    public static final int ANSWER = 1002;

    private LinkStreams()
    {
    }
}
