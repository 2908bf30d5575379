package io.tributary.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Rules the compiler and the formatter do not check, read from the sources: the package structure
 * (docs/ARCHITECTURE.md, "Packages": what may depend on what, from imports and names written out in code; comments
 * and strings do not count), no fully qualified class name where an import would do, and no test printing to the
 * console (tests log; the harness's command-line tools print).
 */
class SourceRulesTest {
    private static final Path CONNECTORS =
            Path.of("../connectors/src/main/java").toAbsolutePath().normalize();
    private static final Path JOB = Path.of("src/main/java").toAbsolutePath().normalize();
    /** Every module's main and test sources. */
    private static final List<Path> ALL_SOURCES = List.of(
                    "../connectors/src/main/java",
                    "../connectors/src/test/java",
                    "src/main/java",
                    "src/test/java",
                    "../src-test-harness/src/main/java",
                    "../src-test-harness/src/test/java",
                    "../bench-peer/src/main/java")
            .stream()
            .map(p -> Path.of(p).toAbsolutePath().normalize())
            .collect(Collectors.toList());

    private static final Pattern QUALIFIED =
            Pattern.compile("(?<![\\w.@])((?:java|javax|org|com|io|software|net)\\.(?:[a-z_]\\w*\\.)+)([A-Z]\\w*)");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?!static )([\\w.]+)\\.(\\w+);");
    private static final Pattern ANY_IMPORT = Pattern.compile("(?m)^import [^;]*;");
    private static final Pattern DECLARED = Pattern.compile("\\b(?:class|interface|enum|record)\\s+([A-Z]\\w*)");
    private static final Pattern TYPE_PARAMETER = Pattern.compile("<\\s*([A-Z]\\w*)\\s*(?:extends|,|>)");
    /** Each reads or writes one external system; none may reach into another. */
    private static final Set<String> CONNECTORS_PACKAGES = Set.of("postgres", "s3", "kinesis", "dynamodb");
    /** What every connector may use. */
    private static final Set<String> SHARED = Set.of("event", "deadletter", "aws");
    /** Clients and formats of external systems. */
    private static final List<String> EXTERNAL = List.of(
            "java.sql.",
            "javax.sql.",
            "org.postgresql.",
            "io.debezium.",
            "org.apache.kafka.",
            "software.amazon.",
            "com.amazonaws.",
            "org.apache.parquet.",
            "org.apache.avro.",
            "org.apache.hadoop.",
            "org.apache.flink.cdc.",
            "org.apache.flink.connector.",
            "com.zaxxer.");

    private static final Pattern REFERENCE = Pattern.compile(
            "\\b((?:io\\.tributary|java\\.sql|javax\\.sql|org\\.postgresql"
                    + "|io\\.debezium|org\\.apache\\.kafka|software\\.amazon|com\\.amazonaws|org\\.apache\\.parquet|org\\.apache\\.avro"
                    + "|org\\.apache\\.hadoop|org\\.apache\\.flink\\.cdc|org\\.apache\\.flink\\.connector|com\\.zaxxer)(?:\\.\\w+)*)");

    @Test
    void noConnectorPackageReachesIntoAnother() {
        List<String> broken = new ArrayList<>();
        for (Path file : sources(CONNECTORS)) {
            String own = tributaryPackage(CONNECTORS, file);
            if (!CONNECTORS_PACKAGES.contains(own)) {
                continue;
            }
            for (String ref : references(file)) {
                String other = tributaryPackage(ref);
                if (other != null && !other.equals(own) && !SHARED.contains(other)) {
                    broken.add(CONNECTORS.relativize(file) + " uses " + ref);
                }
            }
        }
        assertThat(broken)
                .as("connector packages use only themselves and " + SHARED)
                .isEmpty();
    }

    @Test
    void theEventModelAndTheSharedPackagesUseNoExternalSystemAndNoConnector() {
        List<String> broken = new ArrayList<>();
        for (Path file : sources(CONNECTORS)) {
            String own = tributaryPackage(CONNECTORS, file);
            if (!SHARED.contains(own)) {
                continue;
            }
            for (String ref : references(file)) {
                String other = tributaryPackage(ref);
                boolean external = EXTERNAL.stream().anyMatch(ref::startsWith)
                        && !(own.equals("aws") && ref.startsWith("software.amazon."));
                if (external || (other != null && CONNECTORS_PACKAGES.contains(other))) {
                    broken.add(CONNECTORS.relativize(file) + " uses " + ref);
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void theSequencerUsesNoExternalSystemAndNoConnector() {
        Path sequencer = JOB.resolve("io/tributary/job/sequencer");
        List<Path> files = sources(sequencer);
        assertThat(files).as("the sequencer's sources were found").isNotEmpty();
        List<String> broken = new ArrayList<>();
        for (Path file : files) {
            for (String ref : references(file)) {
                String other = tributaryPackage(ref);
                if (EXTERNAL.stream().anyMatch(ref::startsWith)
                        || (other != null
                                && !SHARED.contains(other)
                                && !ref.startsWith("io.tributary.job.sequencer"))) {
                    broken.add(JOB.relativize(file) + " uses " + ref);
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void theRulesSeeAViolation() throws IOException {
        Path dir = Files.createTempDirectory("import-rules");
        Path file = Files.writeString(
                dir.resolve("X.java"),
                "package io.tributary.s3;\n"
                        + "import io.tributary.postgres.PostgresSources; // a comment io.tributary.kinesis.X\n"
                        + "class X { String s = \"io.tributary.dynamodb.Y\"; java.sql.Connection c; }\n");
        assertThat(references(file))
                .containsExactly("io.tributary.s3", "io.tributary.postgres.PostgresSources", "java.sql.Connection");
    }

    @Test
    void classNamesAreImportedUnlessTheSimpleNameIsTaken() {
        List<String> broken = new ArrayList<>();
        for (Path root : ALL_SOURCES) {
            for (Path file : sources(root)) {
                broken.addAll(needlesslyQualified(file));
            }
        }
        assertThat(broken)
                .as("fully qualified names in code where an import would do")
                .isEmpty();
    }

    @Test
    void testsLogInsteadOfPrinting() {
        List<String> broken = new ArrayList<>();
        for (Path root : ALL_SOURCES) {
            if (!root.endsWith(Path.of("src", "test", "java"))) {
                continue;
            }
            for (Path file : sources(root)) {
                String code = withoutCommentsAndLiterals(read(file));
                if (code.contains("System.out.print")
                        || code.contains("System.err.print")
                        || code.contains(".printStackTrace()")) {
                    broken.add(root.relativize(file).toString());
                }
            }
        }
        assertThat(broken)
                .as("tests that print to the console (use an SLF4J logger)")
                .isEmpty();
    }

    @Test
    void theRulesSeeANeedlessQualifiedName() throws IOException {
        Path dir = Files.createTempDirectory("source-rules");
        Path file = Files.writeString(
                dir.resolve("Y.java"),
                "package x;\n"
                        + "import org.apache.flink.core.fs.Path;\n"
                        + "class Y { java.util.List<String> a; java.nio.file.Path b; Path c; io.x.Y d;\n"
                        + "  /** {@link java.util.Map} */ String e = \"java.util.Set\"; }\n");
        assertThat(needlesslyQualified(file)).hasSize(1).allMatch(s -> s.contains("java.util.List"));
    }

    /** Qualified names in {@code file}'s code whose simple name is free (not imported, declared or in the package). */
    static List<String> needlesslyQualified(Path file) {
        String text = read(file);
        String code = withoutCommentsAndLiterals(text);
        Set<String> taken = new HashSet<>();
        Matcher imports = IMPORT.matcher(text);
        while (imports.find()) {
            taken.add(imports.group(2));
        }
        int bodyStart = 0;
        Matcher anyImport = ANY_IMPORT.matcher(text);
        while (anyImport.find()) {
            bodyStart = anyImport.end();
        }
        for (Pattern p : List.of(DECLARED, TYPE_PARAMETER)) {
            Matcher m = p.matcher(code);
            while (m.find()) {
                taken.add(m.group(1));
            }
        }
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            siblings.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".java"))
                    .forEach(n -> taken.add(n.substring(0, n.length() - ".java".length())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> javaLang = Set.of(
                "String",
                "Object",
                "Integer",
                "Long",
                "Double",
                "Float",
                "Short",
                "Byte",
                "Boolean",
                "Character",
                "Number",
                "Math",
                "System",
                "Thread",
                "Runtime",
                "Process",
                "Record",
                "Exception",
                "Error",
                "Class",
                "Enum",
                "Iterable",
                "Comparable",
                "Runnable",
                "Void",
                "Module",
                "Package",
                "Override",
                "StringBuilder",
                "Throwable",
                "ClassLoader",
                "Deprecated",
                "SuppressWarnings",
                "FunctionalInterface");
        List<String> found = new ArrayList<>();
        int packageEnd = code.indexOf(';');
        Matcher m = QUALIFIED.matcher(code);
        while (m.find(Math.max(bodyStart, packageEnd + 1))) {
            String simple = m.group(2);
            if (!taken.contains(simple) && !javaLang.contains(simple)) {
                int line = (int) text.substring(0, m.start())
                                .chars()
                                .filter(c -> c == '\n')
                                .count()
                        + 1;
                found.add(file.getFileName() + ":" + line + " " + m.group(1) + simple);
            }
            bodyStart = m.end();
        }
        return found;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> sources(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Package and class names the file's code mentions (comments and string literals left out). */
    static List<String> references(Path file) {
        String code;
        try {
            code = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> refs = new ArrayList<>();
        Matcher m = REFERENCE.matcher(withoutCommentsAndLiterals(code));
        while (m.find()) {
            refs.add(m.group(1));
        }
        return refs;
    }

    /** {@code code} with comments, string, text-block and character literals replaced by spaces. */
    static String withoutCommentsAndLiterals(String code) {
        StringBuilder out = new StringBuilder(code.length());
        int i = 0;
        while (i < code.length()) {
            int end;
            if (code.startsWith("/*", i)) {
                end = until(code, "*/", i + 2);
            } else if (code.startsWith("//", i)) {
                end = code.indexOf('\n', i);
                end = end < 0 ? code.length() : end;
            } else if (code.startsWith("\"\"\"", i)) {
                end = until(code, "\"\"\"", i + 3);
            } else if (code.charAt(i) == '"' || code.charAt(i) == '\'') {
                end = literalEnd(code, i);
            } else {
                out.append(code.charAt(i++));
                continue;
            }
            out.append(" ".repeat(end - i));
            i = end;
        }
        return out.toString();
    }

    private static int until(String code, String close, int from) {
        int at = code.indexOf(close, from);
        return at < 0 ? code.length() : at + close.length();
    }

    private static int literalEnd(String code, int open) {
        char quote = code.charAt(open);
        int i = open + 1;
        while (i < code.length() && code.charAt(i) != quote) {
            i += code.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, code.length());
    }

    /** {@code postgres} for {@code io.tributary.postgres.auth.X}; null outside io.tributary. */
    private static String tributaryPackage(String reference) {
        if (!reference.startsWith("io.tributary.")) {
            return null;
        }
        String rest = reference.substring("io.tributary.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    private static String tributaryPackage(Path root, Path file) {
        Path relative = root.relativize(file);
        return relative.getNameCount() > 2 ? relative.getName(2).toString() : "";
    }
}
