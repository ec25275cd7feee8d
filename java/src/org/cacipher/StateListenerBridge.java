package org.cacipher;

/** What the JNI glue calls (java/jni/cacipher_jni_state.c): codes to states, exceptions dropped. */
final class StateListenerBridge {
    private final StateListener listener;

    StateListenerBridge(StateListener listener) {
        this.listener = listener;
    }

    /** Called from native code on the library's notifier thread. */
    void changed(int member, int from, int to) {
        try {
            listener.stateChanged(member, HostStatus.State.of(from), HostStatus.State.of(to));
        } catch (RuntimeException e) {
            // A listener's failure must not reach the library's thread.
        }
    }
}
