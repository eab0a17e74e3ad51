package dev.abuseguard.gateway.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Holds the code to the package table of docs/architecture.md: the table names every package of
 * {@code dev.abuseguard}, each package imports only the packages its row allows, and no packages import each
 * other in a cycle. The table is the one place the rules are written.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.abuseguard.";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // under verify the library's test classes come as its test-jar, which the option above does not know
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.abuseguard");
    private static final Map<String, Row> TABLE = table(Path.of("../docs/architecture.md"));

    /** A row of the table: a package (below {@code dev.abuseguard}) and what it may import. */
    private record Row(String name, Set<String> mayImport, boolean jdkOnly) {
    }

    @Test
    void theTableListsEveryPackageAndNoOther() {
        assertThat(TABLE.keySet()).as("packages in docs/architecture.md's table")
                .containsExactlyInAnyOrderElementsOf(packagesOfTheCode());
    }

    @Test
    void eachPackageImportsOnlyWhatItsRowAllows() {
        Set<String> violations = new TreeSet<>();
        for (JavaClass type : CLASSES) {
            Row row = TABLE.get(relative(type.getPackageName()));
            if (row == null) {
                continue; // theTableListsEveryPackageAndNoOther names it
            }
            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                String target = dependency.getTargetClass().getBaseComponentType().getPackageName();
                if (!allowed(row, type.getPackageName(), target)) {
                    violations.add(row.name() + " may not import " + relative(target) + ": "
                            + dependency.getDescription());
                }
            }
        }
        assertThat(violations).as("imports the table does not allow").isEmpty();
    }

    @Test
    void noPackagesImportEachOtherInACycle() {
        SlicesRuleDefinition.slices().matching("dev.abuseguard.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    private static boolean allowed(Row row, String from, String target) {
        if (target.isEmpty() || target.equals(from)) {
            return true;
        }
        if (row.jdkOnly()) {
            return target.startsWith("java.");
        }
        return !target.startsWith(ROOT) || row.mayImport().contains(relative(target));
    }

    private static Set<String> packagesOfTheCode() {
        return CLASSES.stream().map(type -> relative(type.getPackageName())).collect(Collectors.toSet());
    }

    private static String relative(String packageName) {
        return packageName.startsWith(ROOT) ? packageName.substring(ROOT.length()) : packageName;
    }

    /** The rows of the table under "## Packages": name, what lives there, may import. */
    private static Map<String, Row> table(Path page) {
        String text;
        try {
            text = Files.readString(page);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + page.toAbsolutePath(), e);
        }
        String fromHeading = text.substring(text.indexOf("\n## Packages"));
        String section = fromHeading.substring(0, fromHeading.indexOf("\n## ", 1));
        Map<String, Row> rows = new LinkedHashMap<>();
        Pattern named = Pattern.compile("`([a-z.*]+)`");
        for (String line : section.split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String name = cells[1].trim().replace("`", "");
            String imports = cells[cells.length - 1].trim();
            Set<String> mayImport = new TreeSet<>();
            Matcher each = named.matcher(imports);
            while (each.find()) {
                mayImport.add(each.group(1));
            }
            rows.put(name, new Row(name, mayImport, imports.equals("`java.*`")));
        }
        Set<String> all = packagesOfTheCode();
        rows.replaceAll((name, row) -> switch (row.mayImport().isEmpty() ? cellOf(section, name) : "") {
            case "every library package" -> new Row(name, all.stream().filter(p -> !p.startsWith("gateway"))
                    .collect(Collectors.toSet()), false);
            case "every package" -> new Row(name, all, false);
            default -> row;
        });
        assertThat(rows).as("rows of the package table in " + page).hasSizeGreaterThan(10);
        return rows;
    }

    private static String cellOf(String section, String name) {
        for (String line : section.split("\n")) {
            if (line.startsWith("| `" + name + "` |")) {
                String[] cells = line.split("\\|");
                return cells[cells.length - 1].trim();
            }
        }
        return "";
    }
}
