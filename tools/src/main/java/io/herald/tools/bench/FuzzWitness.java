package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fuzz run's witness: an ordinary client beside the hostile ones. Its subscriber listens on an index no hostile
 * frame touches; its publisher publishes a numbered document there every 10 ms. Every publish the server
 * acknowledged must reach the subscriber exactly once.
 */
final class FuzzWitness implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventLoopGroup group;
    private final URI url;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    private final ConcurrentHashMap<Long, Boolean> acknowledged = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Integer> received = new ConcurrentHashMap<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final CompletableFuture<Boolean> subscribed = new CompletableFuture<>();
    private final CompletableFuture<Boolean> finalAnswer = new CompletableFuture<>();
    private BenchSocket subscriber;
    private BenchSocket publisher;

    FuzzWitness(final EventLoopGroup group, final URI url)
    {
        this.group = group;
        this.url = url;
    }

    void start() throws Exception
    {
        subscriber = BenchSocket.connect(group, url, this::onSubscriberFrame);
        subscriber.send("{\"controller\":\"realtime\",\"action\":\"subscribe\",\"requestId\":\"witness-sub\"," +
            "\"index\":\"" + HostileFrames.WITNESS_INDEX + "\",\"collection\":\"w\"," +
            "\"body\":{\"equals\":{\"k\":\"w\"}}}");
        subscribed.get(10, TimeUnit.SECONDS);
        publisher = BenchSocket.connect(group, url, this::onPublisherFrame);
        clock.scheduleAtFixedRate(this::publish, 0, 10, TimeUnit.MILLISECONDS);
    }

    private void publish()
    {
        final long seq = published.incrementAndGet();
        publisher.send("{\"controller\":\"realtime\",\"action\":\"publish\",\"requestId\":\"w-" + seq + "\"," +
            "\"index\":\"" + HostileFrames.WITNESS_INDEX + "\",\"collection\":\"w\",\"body\":{\"k\":\"w\",\"seq\":" +
            seq + "}}");
    }

    private static JsonNode parse(final ByteBuf data)
    {
        try
        {
            return JSON.readTree((InputStream)new ByteBufInputStream(data.duplicate()));
        }
        catch (final IOException ex)
        {
            return JSON.createObjectNode();
        }
    }

    private void onSubscriberFrame(final ByteBuf data)
    {
        final JsonNode message = parse(data);
        if ("witness-sub".equals(message.path("room").asText()))
        {
            subscribed.complete(200 == message.path("status").asInt());
        }
        else if ("document".equals(message.path("type").asText()))
        {
            received.merge(message.path("result").path("_source").path("seq").asLong(), 1, Integer::sum);
        }
    }

    private void onPublisherFrame(final ByteBuf data)
    {
        final JsonNode message = parse(data);
        final String room = message.path("room").asText("");
        if ("witness-final".equals(room))
        {
            finalAnswer.complete(200 == message.path("status").asInt());
        }
        else if (room.startsWith("w-"))
        {
            if (200 == message.path("status").asInt())
            {
                acknowledged.put(Long.parseLong(room.substring(2)), Boolean.TRUE);
            }
            else
            {
                refused.incrementAndGet();
            }
        }
    }

    /**
     * Stops publishing and waits (up to 10 s) for the acknowledged publishes to arrive.
     */
    void stop() throws InterruptedException
    {
        clock.shutdown();
        clock.awaitTermination(5, TimeUnit.SECONDS);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lost() > 0 && System.nanoTime() < deadline)
        {
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    /**
     * @return true when the server still answers a request, after everything.
     */
    boolean serverAnswers()
    {
        try
        {
            publisher.send("{\"controller\":\"server\",\"action\":\"now\",\"requestId\":\"witness-final\"}");
            return finalAnswer.get(10, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            return false;
        }
    }

    long lost()
    {
        return acknowledged.keySet().stream().filter((seq) -> !received.containsKey(seq)).count();
    }

    long duplicated()
    {
        return received.values().stream().filter((times) -> times > 1).count();
    }

    String summary()
    {
        return published.get() + " published, " + acknowledged.size() + " acknowledged, " + received.size() +
            " received";
    }

    ObjectNode toJson()
    {
        return JSON.createObjectNode().put("published", published.get()).put("acknowledged", acknowledged.size())
            .put("refused", refused.get()).put("received", received.size()).put("lost", lost())
            .put("duplicated", duplicated());
    }

    public void close()
    {
        clock.shutdownNow();
        if (null != subscriber)
        {
            subscriber.close();
        }
        if (null != publisher)
        {
            publisher.close();
        }
    }
}
