package io.siphon.engine.jet;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets the idle writers of a stream sleep until the reader has handed them something, instead of
 * looking at their queues every few milliseconds (Jet's idle backoff, which cost an idle pipeline a
 * steady share of a core).
 *
 * <p>The reader rings after each batch or snapshot barrier it put in the writers' queues, and when
 * a snapshot's second phase starts (writers must take part in it too). A writer notes the count of
 * rings when it hands control back to Jet, which then looks at its queue; it sleeps only while the
 * count has not moved since, so an item queued after Jet's look always wakes it, and one queued
 * before it is in hand already. Sleeps are bounded, so a writer never depends on a ring to notice
 * that its job is being cancelled.
 */
final class WriterWakeup {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition rung = lock.newCondition();
    private long rings;

    /** Wakes every sleeping writer; called by the reader after it queued something for them. */
    void ring() {
        lock.lock();
        try {
            rings++;
            rung.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many times the reader has rung so far. */
    long rings() {
        lock.lock();
        try {
            return rings;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sleeps until the reader rings after {@code seen} rings, or until {@code deadlineNanos} (of
     * {@link System#nanoTime()}); returns at once when it has rung since. An interrupt ends the
     * sleep and stays set for the caller.
     */
    void awaitRingAfter(long seen, long deadlineNanos) {
        lock.lock();
        try {
            long left = deadlineNanos - System.nanoTime();
            while (rings == seen && left > 0) {
                left = rung.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
