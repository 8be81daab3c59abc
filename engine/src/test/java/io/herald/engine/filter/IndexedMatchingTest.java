package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The indexed matcher (operand indexes, counting over AND terms, negations, rebuilds after adds and removes) must
 * give exactly the answer of evaluating each filter's tree directly on the document, for random filters mixing
 * every keyword and random documents over the same fields.
 */
class IndexedMatchingTest
{
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] FIELDS = { "a", "b", "c.d", "tags", "pos" };
    private static final String[] WORDS = { "x", "y", "z", "foo", "bar" };

    @Test
    void indexedMatchingEqualsDirectEvaluation()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final FilterEngine engine = new FilterEngine(new FilterEngineContext().maxConjunctions(4096));
        final FilterParser parser = new FilterParser(new Normalizer(0, 4096), new ConditionFactory());
        final Map<String, FilterNode> trees = new HashMap<>();
        final Map<String, Integer> references = new HashMap<>();
        final List<String> registered = new ArrayList<>();
        final Matches matches = new Matches();
        int checkedDocuments = 0;
        int totalMatches = 0;
        for (int round = 0; round < 60; round++)
        {
            for (int i = 0; i < 40; i++)
            {
                final JsonNode filter = filter(random, 0);
                final String id = engine.register("i/c", filter);
                trees.putIfAbsent(id, parser.parse(filter));
                references.merge(id, 1, Integer::sum);
                registered.add(id);
            }
            for (int i = 0; i < 15 && !registered.isEmpty(); i++)
            {
                final String id = registered.remove(random.nextInt(registered.size()));
                final boolean gone = engine.remove(id);
                final int left = references.merge(id, -1, Integer::sum);
                assertEquals(left == 0, gone, "remove must say when the last reference went");
                if (left == 0)
                {
                    references.remove(id);
                    trees.remove(id);
                }
            }
            for (int d = 0; d < 30; d++)
            {
                totalMatches += checkMatch(engine, trees, document(random), matches);
                checkedDocuments++;
            }
        }
        // A long run of documents with no change in between: lets the range index materialize its answers.
        for (int d = 0; d < 3_000; d++)
        {
            checkMatch(engine, trees, document(random), matches);
        }
        assertEquals(engine.filterCount(), trees.size());
        System.out.printf("checked %d documents, %d matches, %d filters left%n", checkedDocuments, totalMatches,
            trees.size());
    }

    /**
     * @return how many filters the document matched, after checking the engine against direct evaluation.
     */
    private static int checkMatch(
        final FilterEngine engine, final Map<String, FilterNode> trees, final JsonNode document, final Matches matches)
    {
        final TreeSet<String> expected = new TreeSet<>();
        trees.forEach((id, tree) ->
        {
            if (tree.evaluate(document))
            {
                expected.add(id);
            }
        });
        engine.match("i/c", document, matches);
        final TreeSet<String> actual = new TreeSet<>();
        for (int i = 0; i < matches.size(); i++)
        {
            actual.add(matches.filterId(i));
        }
        assertEquals(expected.size(), matches.size(), "no filter reported twice");
        assertEquals(expected, actual, () -> "document " + document);
        return expected.size();
    }

    private static JsonNode filter(final SplittableRandom random, final int depth)
    {
        final int choice = random.nextInt(depth == 0 ? 13 : depth >= 2 ? 9 : 12);
        final String field = FIELDS[random.nextInt(FIELDS.length)];
        switch (choice)
        {
            case 0: return wrap("equals", wrap(field, scalar(random)));
            case 1:
            {
                final ArrayNode values = NODES.arrayNode();
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++)
                {
                    values.add(WORDS[random.nextInt(WORDS.length)]);
                }
                return wrap("in", wrap(field, values));
            }
            case 2: return wrap(random.nextBoolean() ? "exists" : "missing", NODES.textNode(field));
            case 3:
                return wrap("exists", NODES.textNode("tags[" + (random.nextBoolean() ?
                    "\"" + WORDS[random.nextInt(WORDS.length)] + "\"" : String.valueOf(random.nextInt(4))) + "]"));
            case 4:
            {
                final ObjectNode bounds = NODES.objectNode();
                final int low = random.nextInt(-5, 5);
                if (random.nextBoolean())
                {
                    bounds.put(random.nextBoolean() ? "gt" : "gte", low);
                }
                if (bounds.isEmpty() || random.nextBoolean())
                {
                    bounds.put(random.nextBoolean() ? "lt" : "lte", low + 1 + random.nextInt(5));
                }
                return wrap("range", wrap(field, bounds));
            }
            case 5: return wrap("regexp", wrap(field, NODES.textNode(random.nextBoolean() ? "^f" : "a|z")));
            case 6:
            {
                final ObjectNode spec = NODES.objectNode();
                spec.set("pos", NODES.arrayNode().add(random.nextInt(-3, 4)).add(random.nextInt(-3, 4)));
                spec.put("distance", (50 + random.nextInt(300)) + "km");
                return wrap("geoDistance", spec);
            }
            case 7:
            {
                final int top = random.nextInt(-2, 4), left = random.nextInt(-4, 2);
                final ObjectNode box = NODES.objectNode();
                box.put("top", top).put("left", left).put("bottom", top - 1 - random.nextInt(3))
                    .put("right", left + 1 + random.nextInt(3));
                return wrap("geoBoundingBox", wrap("pos", box));
            }
            case 8: return wrap("not", filter(random, depth + 1));
            case 9: case 10:
            {
                final ArrayNode operands = NODES.arrayNode();
                for (int i = 0, n = 2 + random.nextInt(2); i < n; i++)
                {
                    operands.add(filter(random, depth + 1));
                }
                return wrap(choice == 9 ? "and" : "or", operands);
            }
            case 11:
            {
                final ObjectNode bool = NODES.objectNode();
                bool.set("must", NODES.arrayNode().add(filter(random, depth + 1)));
                bool.set(random.nextBoolean() ? "must_not" : "should_not",
                    NODES.arrayNode().add(filter(random, depth + 1)).add(filter(random, depth + 1)));
                return wrap("bool", bool);
            }
            default: return NODES.objectNode();
        }
    }

    private static JsonNode document(final SplittableRandom random)
    {
        final ObjectNode document = NODES.objectNode();
        if (random.nextInt(4) > 0)
        {
            document.set("a", scalar(random));
        }
        if (random.nextInt(4) > 0)
        {
            document.set("b", scalar(random));
        }
        if (random.nextInt(3) > 0)
        {
            document.set("c", wrap("d", scalar(random)));
        }
        if (random.nextInt(3) > 0)
        {
            final ArrayNode tags = NODES.arrayNode();
            for (int i = 0, n = random.nextInt(4); i < n; i++)
            {
                tags.add(random.nextBoolean() ? NODES.textNode(WORDS[random.nextInt(WORDS.length)]) :
                    NODES.numberNode(random.nextInt(4)));
            }
            document.set("tags", tags);
        }
        if (random.nextInt(3) > 0)
        {
            document.set("pos", NODES.arrayNode().add(random.nextDouble(-4, 4)).add(random.nextDouble(-4, 4)));
        }
        return document;
    }

    private static JsonNode scalar(final SplittableRandom random)
    {
        switch (random.nextInt(5))
        {
            case 0: return NODES.numberNode(random.nextInt(-6, 10));
            case 1: return NODES.numberNode(random.nextInt(-6, 10) + 0.5);
            case 2: return NODES.booleanNode(random.nextBoolean());
            case 3: return NODES.nullNode();
            default: return NODES.textNode(WORDS[random.nextInt(WORDS.length)]);
        }
    }

    private static ObjectNode wrap(final String key, final JsonNode value)
    {
        final ObjectNode node = NODES.objectNode();
        node.set(key, value);
        return node;
    }
}
