package io.tributary.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the AWS API operations Java sources call on AWS SDK v2 clients, as IAM actions
 * ({@code dynamodb:PutItem}). No list to keep by hand: the client interfaces the sources name
 * ({@code software.amazon.awssdk.services.<service>.<Name>Client}) are loaded, their operations
 * read by reflection (methods taking the operation's {@code AwsRequest}, and {@code …Paginator}
 * forms), and every {@code .operation(} call outside comments in a file that uses the service
 * counts. An operation's IAM action is the service's prefix and the operation's name, which holds
 * for the services the job uses (DynamoDB, Kinesis, Secrets Manager).
 *
 * <p>Limit: a call in a file that names nothing of the service's package (no client, no model
 * class) is not seen; code that reaches a client without naming its type does not exist here.
 */
final class AwsSdkCallScanner {
    private static final Pattern CLIENT =
            Pattern.compile("software\\.amazon\\.awssdk\\.services\\.([a-z0-9]+)\\.([A-Z]\\w*Client)\\b");
    private static final Pattern SERVICE = Pattern.compile("software\\.amazon\\.awssdk\\.services\\.([a-z0-9]+)\\.");
    private static final String AWS_REQUEST = "software.amazon.awssdk.awscore.AwsRequest";

    private AwsSdkCallScanner() {}

    /** IAM action → the files (relative to their root) that call it, for every {@code .java} file below {@code roots}. */
    static Map<String, Set<String>> actionsCalled(Path... roots) {
        Map<Path, String> sources = new TreeMap<>();
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
                    sources.put(root.relativize(f), withoutComments(Files.readString(f, StandardCharsets.UTF_8)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // service → (operation method name → IAM action), over every client interface any source names
        Map<String, Map<String, String>> operations = new TreeMap<>();
        for (String text : sources.values()) {
            Matcher m = CLIENT.matcher(text);
            while (m.find()) {
                operations.computeIfAbsent(m.group(1), s -> new TreeMap<>()).putAll(operationsOf(m.group(0)));
            }
        }
        Map<String, Set<String>> called = new TreeMap<>();
        sources.forEach((file, text) -> {
            Set<String> services = new TreeSet<>();
            Matcher m = SERVICE.matcher(text);
            while (m.find()) {
                services.add(m.group(1));
            }
            for (String service : services) {
                operations.getOrDefault(service, Map.of()).forEach((method, action) -> {
                    if (Pattern.compile("\\.\\s*" + method + "\\s*\\(")
                            .matcher(text)
                            .find()) {
                        called.computeIfAbsent(action, a -> new TreeSet<>()).add(file.toString());
                    }
                });
            }
        });
        return called;
    }

    /** Method name → IAM action for every operation of one SDK client interface. */
    static Map<String, String> operationsOf(String clientClassName) {
        Class<?> client;
        Class<?> request;
        String prefix;
        try {
            client = Class.forName(clientClassName);
            request = Class.forName(AWS_REQUEST);
            prefix = (String) client.getField("SERVICE_METADATA_ID").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "cannot read the operations of " + clientClassName
                            + ": is its SDK module on the job's test classpath?",
                    e);
        }
        Map<String, String> ops = new TreeMap<>();
        for (Method method : client.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())
                    || method.getParameterCount() != 1
                    || !request.isAssignableFrom(method.getParameterTypes()[0])) {
                continue;
            }
            String name = method.getName();
            String operation =
                    name.endsWith("Paginator") ? name.substring(0, name.length() - "Paginator".length()) : name;
            ops.put(name, prefix + ":" + Character.toUpperCase(operation.charAt(0)) + operation.substring(1));
        }
        return ops;
    }

    /** The source without comments and literals' contents, so a call in a Javadoc example or a message does not count. */
    static String withoutComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < source.length() && source.charAt(i + 1) == '/') {
                while (i < source.length() && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < source.length() && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
                out.append(' ');
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < source.length() && source.charAt(j) != c) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                out.append(c).append(c);
                i = j + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
