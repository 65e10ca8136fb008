package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.taylorism.internal.Names;
import org.taylorism.testing.TestWorkers;

class FootprintTest {

    public enum Colour { RED, GREEN, DARK_BLUE }

    public static class Painter extends Worker {
        @Attribute(aliases = "color", values = {"red", "green"}, remap = {"vert=green"}, outcast = {"dark_blue"})
        public Colour colour;

        @Attribute(defaultValue = "4")
        public double coats;

        @Attribute(optional = true)
        public int sleepingTime;

        @Attribute(optional = true)
        public Path fileA;

        @Attribute(optional = true)
        public Map<String, Integer> sizes;

        @Attribute(optional = true)
        public boolean dryRun;

        @Attribute(optional = true, name = "label")
        public String title;

        @Override
        protected Object task() {
            return null;
        }
    }

    public static class Tagger extends Worker {
        @Attribute
        public String colour;

        @Override
        protected Object task() {
            return null;
        }
    }

    public static class Marker extends Worker {
        @Attribute
        public String colour;

        @Override
        protected Object task() {
            return null;
        }
    }

    public static class Shader extends Worker {
        @Attribute
        public String colour;

        @Attribute(optional = true)
        public Integer depth;

        @Override
        protected Object task() {
            return null;
        }
    }

    /** Takes any JSON value as it comes. */
    public static class Carrier extends Worker {
        @Attribute
        public Object payload;

        @Override
        protected Object task() {
            return null;
        }
    }

    private final WorkerRegistry registry = WorkerRegistry.builder().register(Painter.class).build();

    private WorkerRegistry.Match match(Map<String, Object> instructions) {
        return registry.match(instructions);
    }

    @Test
    void keysAreSnakeCaseAndTheJavaNameIsAcceptedToo() {
        WorkerType painter = WorkerType.of(Painter.class);
        List<String> keys = painter.attributes().stream().map(AttributeInfo::key).toList();
        assertTrue(keys.containsAll(List.of("name", "memory", "expected_time", "colour", "coats", "sleeping_time", "fileA", "label")),
                keys.toString());
        assertEquals(3, match(Map.of("colour", "red", "sleepingTime", "3")).values().get("sleeping_time"));
        assertEquals(7, match(Map.of("colour", "red", "sleeping_time", 7)).values().get("sleeping_time"));
        assertEquals("x", match(Map.of("colour", "red", "label", "x")).values().get("label"));
    }

    @Test
    void valuesAreConvertedToTheDeclaredTypes() {
        Map<String, Object> values = match(Map.of("colour", "RED", "coats", "4", "fileA", "/tmp/a",
                "sizes", Map.of("s", "1", "m", 2.0), "dry_run", "true", "memory", 512, "expected_time", 3)).values();
        assertEquals(Colour.RED, values.get("colour"));
        assertEquals(4.0, values.get("coats"));
        assertEquals(Path.of("/tmp/a"), values.get("fileA"));
        assertEquals(Map.of("s", 1, "m", 2), values.get("sizes"));
        assertEquals(true, values.get("dry_run"));
        assertEquals(512, values.get("memory"));
        assertEquals(3.0, values.get("expected_time"));
    }

    @Test
    void defaultsApplyAndOptionalAttributesWithoutDefaultStayAbsent() {
        Map<String, Object> values = match(Map.of("colour", "green")).values();
        assertEquals(4.0, values.get("coats"));
        assertNull(values.get("sleeping_time"));
        assertTrue(!values.containsKey("name"));
    }

    @Test
    void allowedOutcastAndRemappedValues() {
        assertEquals(Colour.GREEN, match(Map.of("color", "vert")).values().get("colour"), "alias and remap");
        InstructionsException notAllowed = assertThrows(InstructionsException.class, () -> match(Map.of("colour", "dark-blue")));
        assertTrue(notAllowed.getMessage().contains("colour: 'DARK_BLUE' not in [RED, GREEN]"), notAllowed.getMessage());
        InstructionsException unknown = assertThrows(InstructionsException.class, () -> match(Map.of("colour", "blue")));
        assertTrue(unknown.getMessage().contains("'blue' is not one of [red, green, dark_blue]"), unknown.getMessage());
    }

    @Test
    void badValuesAreNamedInTheError() {
        InstructionsException error = assertThrows(InstructionsException.class,
                () -> match(Map.of("colour", "red", "sleeping_time", 1.5, "coats", "many", "sizes", List.of(1))));
        String message = error.getMessage();
        assertTrue(message.contains("sleeping_time: 1.5 is not a whole number"), message);
        assertTrue(message.contains("coats: 'many' is not a double"), message);
        assertTrue(message.contains("sizes: a list is not a Map<String, int>"), message);
        InstructionsException twice = assertThrows(InstructionsException.class, () -> match(Map.of("colour", "red", "color", "red")));
        assertTrue(twice.getMessage().contains("given more than once"), twice.getMessage());
    }

    @Test
    void noMatchListsEveryCandidateWithItsReason() {
        WorkerRegistry two = WorkerRegistry.builder().register(Painter.class).register(TestWorkers.Echo.class).build();
        InstructionsException error = assertThrows(InstructionsException.class, () -> two.match(Map.of("colour", "pink")));
        String message = error.getMessage();
        assertTrue(message.contains("command: command: missing"), message);
        assertTrue(message.contains("Painter: colour: 'pink' is not one of"), message);
        assertTrue(message.contains("Echo: message: missing"), message);
    }

    @Test
    void priorityWinsThenTheNumberOfAttributesSupplied() {
        WorkerRegistry both = WorkerRegistry.builder().register(TestWorkers.Echo.class).register(TestWorkers.LoudEcho.class).build();
        assertEquals("Echo", both.match(Map.of("message", "hi")).type().name());
        assertEquals("loud-echo", both.match(Map.of("message", "hi", "volume", "loud")).type().name());
        WorkerRegistry.Explanation explanation = both.explain(Map.of("message", "hi", "volume", "loud"));
        assertTrue(explanation.rejections().get("Echo").get(0).contains("fits, but loud-echo fits better"),
                explanation.rejections().toString());
        assertEquals(Set.of("volume"), both.match(Map.of("message", "hi", "volume", "soft")).unknownKeys());
    }

    @Test
    void aTieIsResolvedByClassNameAndNamesTheTiedClasses() {
        WorkerRegistry tied = WorkerRegistry.builder().register(Tagger.class).register(Marker.class).build();
        WorkerRegistry.Match match = tied.match(Map.of("colour", "red"));
        assertEquals("Marker", match.type().name(), "FootprintTest$Marker sorts before FootprintTest$Tagger");
        assertEquals(List.of("Tagger"), match.tiedWith().stream().map(WorkerType::name).toList());
    }

    @Test
    void theBestOfSeveralFitsIsChosenWhereverItIsRegisteredAndItsTiesNamedInOrder() {
        WorkerRegistry three = WorkerRegistry.builder().register(Tagger.class).register(Marker.class).register(Shader.class).build();
        Map<String, Object> deep = Map.of("colour", "red", "depth", 2);
        WorkerRegistry.Match best = three.match(deep);
        assertEquals("Shader", best.type().name(), "it supplies two attributes, the others one");
        assertEquals(List.of(), best.tiedWith());
        assertEquals(Set.of(), best.unknownKeys());
        WorkerRegistry.Explanation explained = three.explain(deep);
        assertEquals("Shader", explained.match().type().name());
        assertEquals(List.of("command", "Marker", "Tagger"), List.copyOf(explained.rejections().keySet()));
        assertTrue(explained.rejections().get("Tagger").get(0).startsWith("fits, but Shader fits better"), explained.rejections().toString());

        WorkerRegistry.Match tie = three.match(Map.of("colour", "red"));
        assertEquals("Marker", tie.type().name(), "FootprintTest$Marker sorts first");
        assertEquals(List.of("Shader", "Tagger"), tie.tiedWith().stream().map(WorkerType::name).toList());
        assertEquals(tie.tiedWith(), three.explain(Map.of("colour", "red")).match().tiedWith());
    }

    @Test
    void aNullKeyIsAnUnknownKeyLikeAnyOther() {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("colour", "red");
        set.put(null, "from a set built in Java");
        WorkerRegistry.Match match = WorkerRegistry.builder().register(Tagger.class).build().match(set);
        assertEquals("Tagger", match.type().name());
        assertTrue(match.unknownKeys().contains(null), match.unknownKeys().toString());
    }

    @Test
    void modifiersTakePathsApartAndQuoteForAShellWhateverTheNameHolds() {
        WorkerRegistry registry = WorkerRegistry.builder().build();
        WorkerRegistry.Match match = registry.match(Map.of("file", "d i r/a b.tar.gz", "command", List.of("x",
                "[file|.]", "[file|/]", "[file|//]", "[file|/.]", "[file|/.|.]", "[file|q]", "[file|/.|q]", "[a|b]", "[file|z]")));
        assertEquals(List.of("x", "d i r/a b.tar", "a b.tar.gz", "d i r", "a b.tar", "a b", "'d i r/a b.tar.gz'", "'a b.tar'",
                "[a|b]", "[file|z]"), match.values().get("command"), "[a|b] and [file|z] are no references: left alone");
        assertEquals(List.of(".", "/", ".bashrc", "noext"), registry.match(Map.of("p", "name", "r", "/top", "h", "/home/.bashrc",
                "n", "noext", "command", List.of("[p|//]", "[r|//]", "[h|/.]", "[n|.]"))).values().get("command"));
        String hostile = "it's $(rm -rf ~); \"quoted\"\nline";
        String quoted = (String) ((List<?>) registry.match(Map.of("name", hostile, "command", List.of("[name|q]"))).values()
                .get("command")).get(0);
        assertEquals("'it'\\''s $(rm -rf ~); \"quoted\"\nline'", quoted, "single quotes, a quote as '\\''");
    }

    @Test
    void bracketedKeysAreSubstitutedAndOtherBracketsLeftAlone() {
        WorkerRegistry.Match match = WorkerRegistry.builder().build().match(Map.of(
                "command", List.of("grep", "[0-9]", "[file]", "[coats]"), "file", "a.txt", "name", "job_[file]"));
        assertEquals(List.of("grep", "[0-9]", "a.txt", "[coats]"), match.values().get("command"));
        assertEquals("job_a.txt", match.values().get("name"));
        assertEquals(Set.of(), match.unknownKeys(), "a key used through [file] is not unknown");
    }

    @Test
    void aDefaultCanBeSubstitutedLikeAGivenValue() {
        WorkerRegistry.Match match = match(Map.of("colour", "red", "label", "[coats] coats", "sleeping_time", 2));
        assertEquals("4.0 coats", match.values().get("label"), "[coats] is the default of an attribute the set does not give");
        WorkerRegistry.Match dryRun = match(Map.of("colour", "red", "label", "no [dry_run] here", "dry_run", true));
        assertEquals("no true here", dryRun.values().get("label"));
        assertEquals(Set.of(), dryRun.unknownKeys());
        WorkerRegistry.Match unknown = match(Map.of("colour", "red", "label", "[colour]", "colr", "typo"));
        assertEquals("red", unknown.values().get("label"));
        assertEquals(Set.of("colr"), unknown.unknownKeys());
    }

    @Test
    void aListOrMapGivenInASetIsCopiedNotShared() {
        WorkerRegistry carriers = WorkerRegistry.builder().register(Carrier.class).build();
        List<Object> list = new ArrayList<>(List.of("a", new ArrayList<>(List.of(1))));
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("payload", list);
        WorkerRegistry.Match match = carriers.match(set);
        list.add("added after matching");
        ((List<Object>) list.get(1)).add(2);
        assertEquals(List.of("a", List.of(1)), match.values().get("payload"));
        Map<String, Object> map = new LinkedHashMap<>(Map.of("k", "v"));
        WorkerRegistry.Match mapped = carriers.match(Map.of("payload", map));
        map.put("k2", "v2");
        assertEquals(Map.of("k", "v"), mapped.values().get("payload"));
    }

    @Test
    void malformedFootprintsFailAtRegistration() {
        assertRegistrationFails(NoMandatory.class, "declares no mandatory @Attribute");
        assertRegistrationFails(DefaultNotAllowed.class, "DefaultNotAllowed.size: the default 'XL' not in [S, M]");
        assertRegistrationFails(UnsupportedType.class, "attributes of type java.lang.StringBuilder are not supported");
        assertRegistrationFails(ClashingAlias.class, "key 'a' is claimed by both");
        assertRegistrationFails(ValuesOnList.class, "values, outcast and remap need a scalar type");
        assertRegistrationFails(NoDefaultConstructor.class, "needs a public no-argument constructor");
    }

    private static void assertRegistrationFails(Class<? extends Worker> type, String expected) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> WorkerRegistry.builder().register(type));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    public static class NoMandatory extends Worker {
        @Attribute(optional = true)
        public String maybe;

        @Override
        protected Object task() {
            return null;
        }
    }

    public static class DefaultNotAllowed extends Worker {
        @Attribute
        public String colour;

        @Attribute(values = {"S", "M"}, defaultValue = "XL")
        public String size;

        @Override
        protected Object task() {
            return null;
        }
    }

    public static class UnsupportedType extends Worker {
        @Attribute
        public StringBuilder text;

        @Override
        protected Object task() {
            return null;
        }
    }

    public static class ClashingAlias extends Worker {
        @Attribute
        public String a;

        @Attribute(aliases = "a")
        public String b;

        @Override
        protected Object task() {
            return null;
        }
    }

    public static class ValuesOnList extends Worker {
        @Attribute(values = "x")
        public List<String> items;

        @Override
        protected Object task() {
            return null;
        }
    }

    public static class NoDefaultConstructor extends Worker {
        @Attribute
        public String a;

        public NoDefaultConstructor(String a) {
            this.a = a;
        }

        @Override
        protected Object task() {
            return null;
        }
    }

    @Test
    void discoveryFindsListedClassesWithoutInstantiatingThem() {
        WorkerRegistry discovered = WorkerRegistry.discover(getClass().getClassLoader());
        List<String> names = discovered.types().stream().map(WorkerType::name).toList();
        assertTrue(names.containsAll(List.of("command", "NeverInstantiated")), names.toString());
        assertEquals("NeverInstantiated", discovered.match(Map.of("discovered", true)).type().name());
    }

    /** Listed in this module's test META-INF/services; its constructor must never run in the Boss. */
    public static class NeverInstantiated extends Worker {
        @Attribute
        public boolean discovered;

        public NeverInstantiated() {
            throw new AssertionError("the Boss must not instantiate worker classes");
        }

        @Override
        protected Object task() {
            return null;
        }
    }

    @Test
    void snakeCase() {
        assertEquals("sleeping_time", Names.snakeCase("sleepingTime"));
        assertEquals("fileA", Names.snakeCase("fileA"));
        assertEquals("max_len_report", Names.snakeCase("maxLenReport"));
        assertEquals("name", Names.snakeCase("name"));
        assertEquals("url2_path", Names.snakeCase("url2Path"));
    }

    @Test
    void fileSafeNamesKeepLettersDigitsDotsDashesUnderscoresAndAtMostEightyCharacters() {
        assertEquals("sleeper_1.a-b", Names.fileSafe("sleeper_1.a-b"));
        assertEquals("a_b_c__d", Names.fileSafe("a/b c:\\d"));
        assertEquals("_t_", Names.fileSafe("\u00e9t\u00e9"));
        assertEquals("x".repeat(80), Names.fileSafe("x".repeat(200)));
    }
}
