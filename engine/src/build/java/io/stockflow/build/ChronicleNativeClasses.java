package io.stockflow.build;

import net.openhft.chronicle.hash.VanillaGlobalMutableState;
import net.openhft.chronicle.values.ValueModel;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Build step (the engine module's {@code process-classes} phase): generates the native
 * implementations of the Chronicle Values interfaces that Chronicle Map instantiates,
 * with Chronicle Values' own generator, and compiles them into the engine's classes.
 *
 * <p>Why: Chronicle Values first tries to load {@code <interface>$$Native} from the
 * interface's class loader and only generates and compiles it (with javac, in
 * process) when that fails. Every JVM that opened or created its first Chronicle Map
 * paid that compile: about 1.3 s of one CPU, on the critical path of a restart's
 * snapshot load and on the snapshot thread at a running engine's first snapshot.
 * Built here, from the library version on the class path, the class is always the one
 * the library would have compiled, and {@code ChronicleNativeClassesTest} fails if the
 * runtime would still compile it.
 *
 * <p>Not part of the engine: never on its class path at run time.
 */
public final class ChronicleNativeClasses
{
    /** The value interfaces Chronicle Map 2026.1 instantiates natively: one per map. */
    private static final List<Class<?>> VALUE_INTERFACES = List.of(VanillaGlobalMutableState.class);

    private ChronicleNativeClasses()
    {
    }

    /**
     * @param args the class output directory.
     * @throws Exception if generating or compiling fails: the build fails with it.
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length != 1)
        {
            throw new IllegalArgumentException("usage: ChronicleNativeClasses CLASS_OUTPUT_DIRECTORY");
        }
        final Path classes = Path.of(args[0]);
        final Path sources = Files.createTempDirectory("stockflow-chronicle-native");
        try
        {
            final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac == null)
            {
                throw new IllegalStateException("no system Java compiler: build with a JDK, not a JRE");
            }
            for (final Class<?> valueInterface : VALUE_INTERFACES)
            {
                final Path source = writeSource(sources, valueInterface);
                final int status = javac.run(null, null, null, "--release", "17", "-nowarn", "-classpath",
                    System.getProperty("java.class.path"), "-d", classes.toString(), source.toString());
                if (status != 0)
                {
                    throw new IllegalStateException("javac exited " + status + " compiling " + source);
                }
            }
        }
        finally
        {
            deleteTree(sources);
        }
    }

    private static Path writeSource(final Path sources, final Class<?> valueInterface) throws Exception
    {
        final String simpleName = valueInterface.getSimpleName() + "$$Native";
        // Generators is package-private: Chronicle Values exposes its generator only through the runtime compile.
        final Method generate = Class.forName("net.openhft.chronicle.values.Generators")
            .getDeclaredMethod("generateNativeClass", ValueModel.class, String.class);
        generate.setAccessible(true);
        final String code = (String)generate.invoke(null, ValueModel.acquire(valueInterface), simpleName);
        final Path directory = sources.resolve(valueInterface.getPackageName().replace('.', '/'));
        Files.createDirectories(directory);
        final Path source = directory.resolve(simpleName + ".java");
        Files.writeString(source, code, StandardCharsets.UTF_8);
        return source;
    }

    private static void deleteTree(final Path root) throws IOException
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
