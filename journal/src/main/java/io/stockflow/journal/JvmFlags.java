package io.stockflow.journal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The JVM flags Chronicle needs, read from the one place the build defines them (the parent pom,
 * filtered into {@code io/stockflow/journal/jvm-flags.properties}), and a start-up check that the
 * running JVM has them.
 *
 * <p>Without the check, an application that forgot a flag fails deep inside Chronicle with an
 * {@code IllegalAccessException} or {@code InaccessibleObjectException}; with it, it fails at
 * {@link Journal#open} with the exact flag to add.
 */
public final class JvmFlags
{
    private static final String RESOURCE = "jvm-flags.properties";
    private static final int NATIVE_ACCESS_FEATURE = 24;

    private JvmFlags()
    {
    }

    /** @return the flags every JVM running Chronicle needs (also the {@code -D} switches that silence it) */
    public static List<String> base()
    {
        return split(properties().getProperty("base", ""));
    }

    /** @return the extra flags for JDK 24 and later (JDK 17 refuses to start with them) */
    public static List<String> jdk24()
    {
        return split(properties().getProperty("jdk24", ""));
    }

    /**
     * @return the flags for a child JVM of the same version as this one: {@link #base()} plus
     *         {@link #jdk24()} when {@code Runtime.version().feature() >= 24}
     */
    public static List<String> forCurrentJvm()
    {
        List<String> flags = new ArrayList<>(base());
        if (Runtime.version().feature() >= NATIVE_ACCESS_FEATURE)
        {
            flags.addAll(jdk24());
        }
        return Collections.unmodifiableList(flags);
    }

    /**
     * Sets each {@code -D} switch of {@link #base()} (Chronicle's analytics and announcer off) as a
     * system property unless the application set it already, so an application embedding the
     * engine without those flags still never has Chronicle phone home or print a banner. Called
     * before any queue or map is built; Chronicle reads the switches when it builds one.
     */
    public static void applyChronicleSwitches()
    {
        for (String flag : base())
        {
            if (flag.startsWith("-D") && flag.indexOf('=') > 2)
            {
                String key = flag.substring(2, flag.indexOf('='));
                if (System.getProperty(key) == null)
                {
                    System.setProperty(key, flag.substring(flag.indexOf('=') + 1));
                }
            }
        }
    }

    /**
     * Applies the {@code -D} switches ({@link #applyChronicleSwitches()}) and checks that the
     * running JVM grants every export, open and native-access permission Chronicle needs.
     *
     * @throws IllegalStateException naming the first missing flag exactly as it must be written
     */
    public static void checkChronicleAccess()
    {
        applyChronicleSwitches();
        Module self = JvmFlags.class.getModule();
        for (String flag : forCurrentJvm())
        {
            if (!isGranted(flag, self))
            {
                throw new IllegalStateException("The JVM lacks the flag " + flag
                    + " that Chronicle Queue needs; start it with: " + String.join(" ", forCurrentJvm()));
            }
        }
    }

    private static boolean isGranted(String flag, Module self)
    {
        if (flag.startsWith("--add-exports=") || flag.startsWith("--add-opens="))
        {
            String spec = flag.substring(flag.indexOf('=') + 1);
            int slash = spec.indexOf('/');
            int equals = spec.indexOf('=');
            String moduleName = spec.substring(0, slash);
            String packageName = spec.substring(slash + 1, equals);
            Optional<Module> module = ModuleLayer.boot().findModule(moduleName);
            if (module.isEmpty())
            {
                return true;
            }
            return flag.startsWith("--add-opens=")
                ? module.get().isOpen(packageName, self)
                : module.get().isExported(packageName, self);
        }
        if (flag.startsWith("--enable-native-access="))
        {
            return nativeAccessEnabled(self);
        }
        if (flag.startsWith("--sun-misc-unsafe-memory-access="))
        {
            return ManagementFactory.getRuntimeMXBean().getInputArguments().contains(flag);
        }
        return true;
    }

    private static boolean nativeAccessEnabled(Module self)
    {
        try
        {
            Method method = Module.class.getMethod("isNativeAccessEnabled");
            return (Boolean)method.invoke(self);
        }
        catch (NoSuchMethodException e)
        {
            return true;
        }
        catch (ReflectiveOperationException e)
        {
            throw new IllegalStateException("cannot ask whether native access is enabled", e);
        }
    }

    private static Properties properties()
    {
        Properties properties = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("missing resource io/stockflow/journal/" + RESOURCE);
            }
            properties.load(in);
        }
        catch (IOException e)
        {
            throw new UncheckedIOException("cannot read io/stockflow/journal/" + RESOURCE, e);
        }
        return properties;
    }

    private static List<String> split(String flags)
    {
        String trimmed = flags.trim();
        if (trimmed.isEmpty() || trimmed.startsWith("${"))
        {
            return List.of();
        }
        return List.copyOf(Arrays.asList(trimmed.split("\\s+")));
    }
}
