/*
 * JNI glue for the live group state (docs/java.md): CACipher.setStateListener (through
 * CACipher_SetStateCallback), CACipher.metricsText (CACipher_MetricsText) and
 * CACipher.transmit(command, timeoutMillis) (CACipher_TransmitTimeout).
 *
 * The listener: a global reference to its StateListenerBridge, held by one record per
 * handle. The C callback runs on the library's notifier thread: it attaches that thread to
 * the JVM (as a daemon), calls StateListenerBridge.changed(int,int,int), clears any
 * exception and detaches again. CACipher_SetStateCallback guarantees that the previous
 * callback is not running when it returns, so the previous record is freed right after.
 */
#include <jni.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cacipher.h>
#include "org_cacipher_CACipher.h"

struct listener {
    JavaVM *vm;
    jobject bridge;    /* global reference */
    jmethodID changed; /* (III)V */
    cacipher_t *h;
    struct listener *next;
};

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static struct listener *g_listeners; /* one per handle that has a listener */

static void state_throw(JNIEnv *env, int rc) {
    if ((*env)->ExceptionCheck(env)) return;
    const char *msg = CACipher_LastError();
    if (!msg || !*msg) msg = CACipher_ErrorString(rc);
    jclass c = (*env)->FindClass(env, "org/cacipher/CACipherException");
    if (!c) return;
    jmethodID init = (*env)->GetMethodID(env, c, "<init>", "(I[B)V");
    size_t n = strlen(msg);
    jbyteArray m = init ? (*env)->NewByteArray(env, (jsize)n) : NULL;
    if (m) {
        (*env)->SetByteArrayRegion(env, m, 0, (jsize)n, (const jbyte *)msg);
        jobject e = (*env)->NewObject(env, c, init, (jint)rc, m);
        if (e) (*env)->Throw(env, (jthrowable)e);
    }
    (*env)->DeleteLocalRef(env, c);
}

static void on_state(void *user, int member, int oldState, int newState) {
    struct listener *l = user;
    /* Copied first: a listener that replaces itself frees its record during the call. */
    JavaVM *vm = l->vm;
    JNIEnv *env = NULL;
    int attached = 0;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) == JNI_EDETACHED) {
        if ((*vm)->AttachCurrentThreadAsDaemon(vm, (void **)&env, NULL) != JNI_OK) return;
        attached = 1;
    }
    if (!env) return;
    (*env)->CallVoidMethod(env, l->bridge, l->changed, (jint)member, (jint)oldState, (jint)newState);
    if ((*env)->ExceptionCheck(env)) (*env)->ExceptionClear(env);
    if (attached) (*vm)->DetachCurrentThread(vm);
}

/* Takes the record of handle h out of the list (NULL if none). */
static struct listener *take(cacipher_t *h) {
    struct listener **p = &g_listeners, *l;
    while ((l = *p) != NULL) {
        if (l->h == h) { *p = l->next; l->next = NULL; return l; }
        p = &l->next;
    }
    return NULL;
}

/* Sets (l != NULL) or clears the handle's callback; frees the previous record. */
static void set_listener(JNIEnv *env, cacipher_t *h, struct listener *l) {
    /* Serialised: the C call replaces the callback and returns once the old one is idle. */
    pthread_mutex_lock(&g_lock);
    int rc = CACipher_SetStateCallback(h, l ? on_state : NULL, l);
    struct listener *old = NULL;
    if (rc == CACIPHER_OK) {
        old = take(h);
        if (l) { l->next = g_listeners; g_listeners = l; }
    }
    pthread_mutex_unlock(&g_lock);
    if (old) { (*env)->DeleteGlobalRef(env, old->bridge); free(old); }
    if (rc != CACIPHER_OK) {
        if (l) { (*env)->DeleteGlobalRef(env, l->bridge); free(l); }
        state_throw(env, rc);
    }
}

static void throw_npe(JNIEnv *env, const char *name) {
    if ((*env)->ExceptionCheck(env)) return;
    jclass c = (*env)->FindClass(env, "java/lang/NullPointerException");
    if (c) { (*env)->ThrowNew(env, c, name); (*env)->DeleteLocalRef(env, c); }
}

JNIEXPORT void JNICALL Java_org_cacipher_CACipher_nSetStateListener(JNIEnv *env, jclass cls, jlong jh, jobject bridge) {
    (void)cls;
    cacipher_t *h = (cacipher_t *)(intptr_t)jh;
    if (!h) { state_throw(env, CACIPHER_E_NOT_INITIALIZED); return; }
    if (!bridge) { throw_npe(env, "listener"); return; }
    struct listener *l = calloc(1, sizeof *l);
    if (!l) { (*env)->ThrowNew(env, (*env)->FindClass(env, "java/lang/OutOfMemoryError"), "libcacipher_jni"); return; }
    jclass c = (*env)->GetObjectClass(env, bridge);
    l->changed = c ? (*env)->GetMethodID(env, c, "changed", "(III)V") : NULL;
    if (c) (*env)->DeleteLocalRef(env, c);
    if (!l->changed || (*env)->GetJavaVM(env, &l->vm) != 0 || !(l->bridge = (*env)->NewGlobalRef(env, bridge))) {
        free(l);
        return; /* an exception is pending (NoSuchMethodError, OutOfMemoryError) */
    }
    l->h = h;
    set_listener(env, h, l);
}

JNIEXPORT void JNICALL Java_org_cacipher_CACipher_nClearStateListener(JNIEnv *env, jclass cls, jlong jh) {
    (void)cls;
    cacipher_t *h = (cacipher_t *)(intptr_t)jh;
    if (!h) { state_throw(env, CACIPHER_E_NOT_INITIALIZED); return; }
    set_listener(env, h, NULL);
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nMetricsText(JNIEnv *env, jclass cls, jlong jh) {
    (void)cls;
    cacipher_t *h = (cacipher_t *)(intptr_t)jh;
    if (!h) { state_throw(env, CACIPHER_E_NOT_INITIALIZED); return NULL; }
    for (int attempt = 0; attempt < 4; attempt++) {
        size_t n = 0;
        int rc = CACipher_MetricsText(h, NULL, &n);
        if (rc != CACIPHER_OK) { state_throw(env, rc); return NULL; }
        n += 256; /* room for counters that grow meanwhile */
        char *buf = malloc(n);
        if (!buf) { (*env)->ThrowNew(env, (*env)->FindClass(env, "java/lang/OutOfMemoryError"), "libcacipher_jni"); return NULL; }
        rc = CACipher_MetricsText(h, buf, &n);
        if (rc == CACIPHER_OK) {
            jstring s = (*env)->NewStringUTF(env, buf); /* the text is ASCII */
            free(buf);
            return s;
        }
        free(buf);
        if (rc != CACIPHER_E_BUFFER_TOO_SMALL) { state_throw(env, rc); return NULL; }
    }
    state_throw(env, CACIPHER_E_BUFFER_TOO_SMALL);
    return NULL;
}

JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nTransmitTimeout(JNIEnv *env, jclass cls, jlong jh, jbyteArray command,
                                                                         jint timeoutMillis) {
    (void)cls;
    cacipher_t *h = (cacipher_t *)(intptr_t)jh;
    if (!h) { state_throw(env, CACIPHER_E_NOT_INITIALIZED); return NULL; }
    if (!command) { throw_npe(env, "command"); return NULL; }
    jsize cn = (*env)->GetArrayLength(env, command);
    unsigned char *cmd = malloc(cn > 0 ? (size_t)cn : 1);
    unsigned char *rsp = malloc(65535);
    jbyteArray r = NULL;
    if (!cmd || !rsp) { (*env)->ThrowNew(env, (*env)->FindClass(env, "java/lang/OutOfMemoryError"), "libcacipher_jni"); goto done; }
    (*env)->GetByteArrayRegion(env, command, 0, cn, (jbyte *)cmd);
    size_t n = 65535;
    int rc = CACipher_TransmitTimeout(h, cmd, (size_t)cn, rsp, &n, (int)timeoutMillis);
    if (rc != CACIPHER_OK) { state_throw(env, rc); goto done; }
    r = (*env)->NewByteArray(env, (jsize)n);
    if (r) (*env)->SetByteArrayRegion(env, r, 0, (jsize)n, (const jbyte *)rsp);
done:
    /* a raw command or reply may carry a clear PIN: both are zeroed */
    if (cmd) { volatile unsigned char *v = cmd; for (jsize i = 0; i < cn; i++) v[i] = 0; free(cmd); }
    if (rsp) { volatile unsigned char *v = rsp; for (size_t i = 0; i < 65535; i++) v[i] = 0; free(rsp); }
    return r;
}
