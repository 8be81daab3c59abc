package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilterEngineTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FilterEngine engine = new FilterEngine();
    private final Matches matches = new Matches();

    static JsonNode json(final String text)
    {
        try
        {
            return JSON.readTree(text.replace('\'', '"'));
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(text, ex);
        }
    }

    private List<String> match(final String index, final String document)
    {
        engine.match(index, json(document), matches);
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < matches.size(); i++)
        {
            ids.add(matches.filterId(i));
        }
        return ids;
    }

    @Test
    void idIsTheSameForTheSameFilterInEveryEngineAndDependsOnTheIndex()
    {
        final String filter = "{'and':[{'equals':{'a':1}},{'range':{'b':{'gt':2}}}]}";
        final String id = engine.normalize("i/c", json(filter)).id();
        assertEquals(id, new FilterEngine().normalize("i/c", json(filter)).id());
        assertEquals(32, id.length());
        assertNotEquals(id, engine.normalize("i/other", json(filter)).id());
        assertNotEquals(id, new FilterEngine(new FilterEngineContext().seed("ab".repeat(32)))
            .normalize("i/c", json(filter)).id());
    }

    @Test
    void operandOrderDoesNotChangeTheId()
    {
        final String a = "{'or':[{'and':[{'equals':{'a':1}},{'exists':'b'}]},{'in':{'c':['x','y']}}]}";
        final String b = "{'or':[{'in':{'c':['y','x']}},{'and':[{'exists':'b'},{'equals':{'a':1.0}}]}]}";
        final String c = "{'bool':{'should':[{'equals':{'c':'x'}},{'and':[{'exists':{'field':'b'}}," +
            "{'equals':{'a':1}}]},{'equals':{'c':'y'}}]}}";
        final String id = engine.normalize("i/c", json(a)).id();
        assertEquals(id, engine.normalize("i/c", json(b)).id());
        assertEquals(id, engine.normalize("i/c", json(c)).id());
    }

    @Test
    void equivalentNegationsShareAnId()
    {
        assertEquals(engine.normalize("i/c", json("{'missing':'a'}")).id(),
            engine.normalize("i/c", json("{'not':{'exists':'a'}}")).id());
        assertEquals(engine.normalize("i/c", json("{'not':{'not':{'equals':{'a':'x'}}}}")).id(),
            engine.normalize("i/c", json("{'equals':{'a':'x'}}")).id());
        assertEquals(engine.normalize("i/c", json("{'not':{'and':[{'exists':'a'},{'exists':'b'}]}}")).id(),
            engine.normalize("i/c", json("{'or':[{'missing':'b'},{'missing':'a'}]}")).id());
    }

    @Test
    void impossibleTermsAreRemoved()
    {
        final NormalizedFilter impossible = engine.normalize("i/c",
            json("{'and':[{'equals':{'a':1}},{'equals':{'a':2}}]}"));
        assertEquals("nothing", impossible.canonical());
        assertEquals("nothing", engine.normalize("i/c",
            json("{'and':[{'equals':{'a':'x'}},{'range':{'a':{'gt':0}}}]}")).canonical());
        assertEquals("nothing", engine.normalize("i/c",
            json("{'and':[{'range':{'a':{'lt':0}}},{'range':{'a':{'gte':0}}}]}")).canonical());
        assertEquals("nothing", engine.normalize("i/c", json("{'and':[{'exists':'a'},{'missing':'a'}]}")).canonical());
        final NormalizedFilter kept = engine.normalize("i/c",
            json("{'or':[{'and':[{'equals':{'a':1}},{'equals':{'a':2}}]},{'equals':{'b':3}}]}"));
        assertEquals(engine.normalize("i/c", json("{'equals':{'b':3}}")).id(), kept.id());
    }

    @Test
    void referencesAreCountedAndTheLastRemovalDropsTheFilter()
    {
        final String id = engine.register("i/c", json("{'equals':{'a':1}}"));
        assertEquals(id, engine.register("i/c", json("{'equals':{'a':1.0}}")));
        assertEquals(List.of(id), match("i/c", "{'a':1}"));
        assertFalse(engine.remove(id));
        assertEquals(List.of(id), match("i/c", "{'a':1}"));
        assertTrue(engine.remove(id));
        assertEquals(List.of(), match("i/c", "{'a':1}"));
        assertFalse(engine.remove(id));
        assertFalse(engine.hasFilter(id));
        assertTrue(engine.indexes().isEmpty());
    }

    @Test
    void indexesAreSeparate()
    {
        final String a = engine.register("i/a", json("{'equals':{'x':1}}"));
        final String b = engine.register("i/b", json("{'equals':{'x':1}}"));
        assertEquals(List.of(a), match("i/a", "{'x':1}"));
        assertEquals(List.of(b), match("i/b", "{'x':1}"));
        assertEquals(List.of(), match("i/none", "{'x':1}"));
    }

    @Test
    void emptyFilterMatchesEverything()
    {
        final String id = engine.register("i/c", json("{}"));
        assertEquals(List.of(id), match("i/c", "{}"));
        assertEquals(List.of(id), match("i/c", "{'anything':[1,2]}"));
        assertEquals(id, engine.register("i/c", null));
    }

    @Test
    void sharedConditionsStayWhileAFilterUsesThem()
    {
        final String both = engine.register("i/c", json("{'and':[{'equals':{'a':1}},{'equals':{'b':2}}]}"));
        final String one = engine.register("i/c", json("{'equals':{'a':1}}"));
        final String not = engine.register("i/c", json("{'and':[{'equals':{'a':1}},{'not':{'equals':{'b':2}}}]}"));
        assertEquals(List.of(one, both).stream().sorted().toList(), match("i/c", "{'a':1,'b':2}").stream().sorted()
            .toList());
        assertEquals(List.of(one, not).stream().sorted().toList(), match("i/c", "{'a':1}").stream().sorted().toList());
        assertTrue(engine.remove(one));
        assertEquals(List.of(both), match("i/c", "{'a':1,'b':2}"));
        assertTrue(engine.remove(both));
        assertEquals(List.of(not), match("i/c", "{'a':1,'b':3}"));
        assertEquals(List.of(), match("i/c", "{'a':1,'b':2}"));
    }

    @Test
    void badFiltersNameKeywordAndPath()
    {
        final FilterException unknown = assertThrows(FilterException.class,
            () -> engine.validate(json("{'and':[{'equlas':{'a':1}}]}")));
        assertEquals("\"and.equlas\": unknown keyword", unknown.getMessage());
        assertEquals("equlas", unknown.keyword());
        assertEquals("and.equlas", unknown.path());
        final FilterException scalar = assertThrows(FilterException.class,
            () -> engine.validate(json("{'not':{'equals':{'a':[1]}}}")));
        assertEquals("\"not.equals.a\": must either be a string, a number, a boolean, or null", scalar.getMessage());
        final FilterException notObject = assertThrows(FilterException.class, () -> engine.validate(json("[1]")));
        assertEquals("Invalid filter syntax: filters must be a JSON object", notObject.getMessage());
    }

    @Test
    void filtersAboveTheConditionLimitAreRefused()
    {
        final StringBuilder values = new StringBuilder();
        for (int i = 0; i < 51; i++)
        {
            values.append(i > 0 ? "," : "").append("'v").append(i).append('\'');
        }
        final FilterException tooMany = assertThrows(FilterException.class,
            () -> engine.validate(json("{'in':{'a':[" + values + "]}}")));
        assertEquals("Filter too complex: exceeds the configured maximum number of conditions (conditions: 51, " +
            "max: 50)", tooMany.getMessage());
        new FilterEngine(new FilterEngineContext().maxConditions(0)).validate(json("{'in':{'a':[" + values + "]}}"));
    }

    @Test
    void normalFormsLargerThanTheLimitAreRefused()
    {
        final String in = "{'in':{'%s':['a','b','c','d','e']}}";
        final String filter = "{'and':[" + String.join(",", in.formatted("a"), in.formatted("b"), in.formatted("c"),
            in.formatted("d"), in.formatted("e"), in.formatted("f")) + "]}";
        final FilterException tooBig = assertThrows(FilterException.class, () -> engine.validate(json(filter)));
        assertTrue(tooBig.getMessage().startsWith("Filter too complex: its normalized form exceeds"),
            tooBig.getMessage());
    }

    @Test
    void badContextSettingsNameTheSetting()
    {
        final IllegalArgumentException seed = assertThrows(IllegalArgumentException.class,
            () -> new FilterEngine(new FilterEngineContext().seed("short")));
        assertTrue(seed.getMessage().startsWith(FilterEngineContext.SEED_PROP_NAME), seed.getMessage());
        final IllegalArgumentException max = assertThrows(IllegalArgumentException.class,
            () -> new FilterEngine(new FilterEngineContext().maxConditions(-1)));
        assertTrue(max.getMessage().startsWith(FilterEngineContext.MAX_CONDITIONS_PROP_NAME), max.getMessage());
    }

    @Test
    void dotPathsReachNestedObjectsButNotArrays()
    {
        final String id = engine.register("i/c", json("{'equals':{'a.b':1}}"));
        assertEquals(List.of(id), match("i/c", "{'a':{'b':1}}"));
        assertEquals(List.of(id), match("i/c", "{'a.b':1}"));
        assertEquals(List.of(), match("i/c", "{'a':[{'b':1}]}"));
    }

    @Test
    void dottedMemberNamesReachNestedPathsWhenTheDocumentIsWalked()
    {
        // more registered fields than are looked up one by one: the document is walked along a trie of the paths
        for (final String field : new String[] { "f1", "f2", "f3", "f4", "f5", "a" })
        {
            engine.register("i/c", json("{'exists':'" + field + "'}"));
        }
        final String a = engine.register("i/c", json("{'exists':'a'}"));
        assertEquals(List.of(), match("i/c", "{'a.b':1}"), "no nested path registered: a dotted name finds none");
        assertEquals(List.of(a), match("i/c", "{'a':{'b':1}}"));
        final String ab = engine.register("i/c", json("{'exists':'a.b'}")); // registered after the walk was used
        assertEquals(List.of(ab), match("i/c", "{'a.b':1}"));
        assertEquals(Set.of(a, ab), Set.copyOf(match("i/c", "{'a':{'b':1}}")));
        final String xyz = engine.register("i/c", json("{'equals':{'x.y.z':2}}"));
        assertEquals(List.of(xyz), match("i/c", "{'x':{'y.z':2}}"));
        assertEquals(List.of(xyz), match("i/c", "{'x.y':{'z':2}}"));
    }
}
