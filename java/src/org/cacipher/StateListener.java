package org.cacipher;

/**
 * Told of every change of a group member's state (ejected, rejoined, kept out by the DMK
 * guard, joined on first contact): {@link CACipher#setStateListener}.
 *
 * <p>Called on the library's notifier thread (one per instance, attached to the JVM for
 * the call), never while the library holds a lock and never on the thread of the call
 * that caused the change; in the order of the changes. Return promptly: later changes
 * wait. An exception thrown by the listener is caught and dropped. Do not close the
 * instance from inside the listener.
 */
@FunctionalInterface
public interface StateListener {
    /**
     * @param member 0 for [HOST1], ...
     * @param from   the state before
     * @param to     the state now
     */
    void stateChanged(int member, HostStatus.State from, HostStatus.State to);
}
