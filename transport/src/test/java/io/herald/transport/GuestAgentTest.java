package io.herald.transport;

import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GuestAgentTest
{
    /** Records what the host thread made it do. */
    private static final class Recording implements Agent
    {
        final List<String> calls = new ArrayList<>();
        volatile Thread startedOn;
        volatile Thread closedOn;
        final AtomicInteger cycles = new AtomicInteger();
        volatile boolean failNext;
        volatile CountDownLatch inWork;
        volatile CountDownLatch release;

        public void onStart()
        {
            startedOn = Thread.currentThread();
            calls.add("start");
        }

        public int doWork() throws InterruptedException
        {
            final CountDownLatch entered = inWork;
            if (null != entered)
            {
                inWork = null;
                entered.countDown();
                release.await(10, TimeUnit.SECONDS);
            }
            if (failNext)
            {
                failNext = false;
                throw new IllegalStateException("boom");
            }
            cycles.incrementAndGet();
            return 1;
        }

        public void onClose()
        {
            closedOn = Thread.currentThread();
            calls.add("close");
        }

        public String roleName()
        {
            return "recording";
        }
    }

    @Test
    void startsOnTheHostReportsFailuresAndGoesOn()
    {
        final Recording agent = new Recording();
        final List<Throwable> errors = new ArrayList<>();
        final GuestAgent guest = new GuestAgent(agent, errors::add);
        assertEquals(1, guest.doWork());
        assertSame(Thread.currentThread(), agent.startedOn);
        agent.failNext = true;
        assertEquals(0, guest.doWork());
        assertEquals(1, errors.size());
        assertEquals("boom", errors.get(0).getMessage());
        assertEquals(1, guest.doWork());
        assertEquals(2, agent.cycles.get());
        guest.close();
        assertEquals(List.of("start", "close"), agent.calls);
        assertEquals(0, guest.doWork(), "closed: the host's calls do nothing");
        guest.close();
        assertEquals(List.of("start", "close"), agent.calls, "closed once");
    }

    @Test
    void closeWaitsForTheDutyCycleInProgress() throws InterruptedException
    {
        final Recording agent = new Recording();
        final GuestAgent guest = new GuestAgent(agent, Throwable::printStackTrace);
        final CountDownLatch entered = new CountDownLatch(1);
        agent.release = new CountDownLatch(1);
        agent.inWork = entered;
        final AtomicBoolean hostDone = new AtomicBoolean();
        final Thread host = new Thread(() ->
        {
            guest.doWork();
            hostDone.set(true);
        });
        host.start();
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the host is in the guest's duty cycle");
        final Thread closer = new Thread(guest::close);
        closer.start();
        closer.join(200);
        assertTrue(closer.isAlive(), "close waits while the host is in the guest's duty cycle");
        assertFalse(agent.calls.contains("close"));
        agent.release.countDown();
        closer.join(10_000);
        host.join(10_000);
        assertFalse(closer.isAlive());
        assertTrue(hostDone.get());
        assertEquals(List.of("start", "close"), agent.calls);
        assertSame(closer, agent.closedOn);
    }

    @Test
    void aGuestNeverRunIsStillClosed()
    {
        final Recording agent = new Recording();
        new GuestAgent(agent, Throwable::printStackTrace).close();
        assertEquals(List.of("close"), agent.calls);
    }
}
