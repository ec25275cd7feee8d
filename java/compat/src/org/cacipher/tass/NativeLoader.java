package org.cacipher.tass;

import cn.tass.exceptions.TAException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Loads the native libraries the compatibility jar carries and the org.cacipher classes that
 * use them, the way sqlite-jdbc and netty-tcnative do, without changing org.cacipher.CACipher.
 *
 * <p>The jar holds {@code native/linux-x86_64/libcacipher.so} and {@code libcacipher_jni.so}.
 * On linux-x86_64 they are copied into a new private directory
 * ({@code Files.createTempDirectory}: owner-only permissions), and a child-first class loader
 * defines {@code org.cacipher.*} (from the same jar) with {@link ClassLoader#findLibrary}
 * answering those two files: CACipher's own {@code System.loadLibrary("cacipher")} and
 * {@code ("cacipher_jni")} then load them ({@code System.load} of an absolute path, done by
 * the JDK). Once CACipher is initialised the files and the directory are deleted (the
 * mappings stay). Elsewhere, or when the jar carries no libraries, or when the system property
 * {@code cacipher.compat.embedded=false} is set, {@code findLibrary} answers nothing and the
 * JDK searches {@code java.library.path} as usual.
 */
public final class NativeLoader {
    static final String PLATFORM = "linux-x86_64";
    private static final String[] LIBS = {"cacipher", "cacipher_jni"};
    private static Backend.Factory factory;
    private static TAException failure;
    private static String origin = "";

    private NativeLoader() {
    }

    /** Where the native libraries came from: "embedded" or "java.library.path" (after {@link #factory()}). */
    public static synchronized String origin() {
        return origin;
    }

    /** The backend factory, loading the native libraries on the first call. */
    public static synchronized Backend.Factory factory() throws TAException {
        if (factory != null) return factory;
        if (failure != null) throw failure;
        Path dir = null;
        Map<String, Path> libs = new HashMap<>();
        try {
            dir = extract(libs);
            ChildFirstLoader loader = new ChildFirstLoader(NativeLoader.class.getClassLoader(), libs);
            Class.forName("org.cacipher.CACipher", true, loader);
            Class<?> f = Class.forName("org.cacipher.tass.impl.CACipherBackend$Factory", true, loader);
            factory = (Backend.Factory) f.getDeclaredConstructor().newInstance();
            origin = libs.isEmpty() ? "java.library.path" : "embedded";
            return factory;
        } catch (LinkageError | ReflectiveOperationException | IOException | RuntimeException e) {
            failure = new TAException(TAException.NOT_INITIALIZED,
                    "cn.tass compat: cannot load libcacipher and libcacipher_jni (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
            throw failure;
        } finally {
            for (Path p : libs.values()) deleteQuietly(p);
            if (dir != null) deleteQuietly(dir);
        }
    }

    private static boolean onPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /** Copies the embedded libraries into a new private directory; none (null) when not applicable. */
    private static Path extract(Map<String, Path> libs) throws IOException {
        if ("false".equalsIgnoreCase(System.getProperty("cacipher.compat.embedded", "true")) || !onPlatform()) return null;
        if (NativeLoader.class.getResource(resource(LIBS[0])) == null) return null;
        Path dir = Files.createTempDirectory("cacipher-native-");
        dir.toFile().deleteOnExit();
        for (String name : LIBS) {
            try (InputStream in = NativeLoader.class.getResourceAsStream(resource(name))) {
                if (in == null) throw new IOException("the jar lacks " + resource(name));
                Path p = dir.resolve("lib" + name + ".so");
                Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
                p.toFile().deleteOnExit();
                libs.put(name, p);
            }
        }
        return dir;
    }

    private static String resource(String name) {
        return "/native/" + PLATFORM + "/lib" + name + ".so";
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // deleteOnExit remains
        }
    }

    /** Defines org.cacipher.* (but not org.cacipher.tass.*) itself; knows where the libraries are. */
    private static final class ChildFirstLoader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final ClassLoader parent;
        private final Map<String, Path> libs;
        private final ProtectionDomain domain = NativeLoader.class.getProtectionDomain();

        ChildFirstLoader(ClassLoader parent, Map<String, Path> libs) {
            super("cacipher-compat", parent);
            this.parent = parent;
            this.libs = Map.copyOf(libs);
        }

        private static boolean mine(String name) {
            return name.startsWith("org.cacipher.") && (!name.startsWith("org.cacipher.tass.") || name.startsWith("org.cacipher.tass.impl."));
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!mine(name)) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    String path = name.replace('.', '/') + ".class";
                    byte[] b;
                    try (InputStream in = parent.getResourceAsStream(path)) {
                        if (in == null) throw new ClassNotFoundException(name);
                        b = in.readAllBytes();
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                    c = defineClass(name, b, 0, b.length, domain);
                }
                if (resolve) resolveClass(c);
                return c;
            }
        }

        @Override
        protected String findLibrary(String name) {
            Path p = libs.get(name);
            return p == null ? null : p.toAbsolutePath().toString();
        }
    }
}
