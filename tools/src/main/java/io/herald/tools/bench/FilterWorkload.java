package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.SplittableRandom;

/**
 * Koncorde's own benchmark workload ({@code benchmark.js} in kuzzleio/koncorde): per keyword, random filters of
 * that keyword and the one document matched repeatedly. Same shapes and value ranges; a seeded generator instead
 * of random-js and geojson-random, so runs are repeatable.
 */
public enum FilterWorkload
{
    EQUALS("equals")
    {
        JsonNode filter(final SplittableRandom random)
        {
            return wrap("equals", object("str", text(randomString(random))));
        }

        JsonNode document(final SplittableRandom random)
        {
            return object("str", text(randomString(random)));
        }
    },
    EXISTS("exists")
    {
        JsonNode filter(final SplittableRandom random)
        {
            return wrap("exists", object("field", text(randomString(random))));
        }

        JsonNode document(final SplittableRandom random)
        {
            return object(randomString(random), NODES.booleanNode(true));
        }
    },
    GEO_BOUNDING_BOX("geoBoundingBox")
    {
        JsonNode filter(final SplittableRandom random)
        {
            final double lon = lon(random), lat = lat(random);
            final ObjectNode box = NODES.objectNode();
            box.put("bottom", lat - .5).put("left", lon).put("right", lon + .5).put("top", lat);
            return wrap("geoBoundingBox", object("point", box));
        }
    },
    GEO_DISTANCE("geoDistance")
    {
        JsonNode filter(final SplittableRandom random)
        {
            final ObjectNode spec = NODES.objectNode();
            spec.put("distance", "500m");
            spec.set("point", point(lat(random), lon(random)));
            return wrap("geoDistance", spec);
        }
    },
    GEO_DISTANCE_RANGE("geoDistanceRange")
    {
        JsonNode filter(final SplittableRandom random)
        {
            final ObjectNode spec = NODES.objectNode();
            spec.put("from", "500m");
            spec.set("point", point(lat(random), lon(random)));
            spec.put("to", "1km");
            return wrap("geoDistanceRange", spec);
        }
    },
    GEO_POLYGON("geoPolygon")
    {
        /**
         * Like geojson-random's polygon(1, 5): 5 vertices at increasing angles around a random centre, each at a
         * random distance up to 10 degrees, the ring closed by repeating the first vertex.
         */
        JsonNode filter(final SplittableRandom random)
        {
            final double centreLon = lon(random), centreLat = lat(random);
            final int vertices = 5;
            final double[] offsets = new double[vertices + 1];
            double sum = 0;
            for (int i = 0; i <= vertices; i++)
            {
                offsets[i] = random.nextDouble() + (i > 0 ? offsets[i - 1] : 0);
            }
            sum = offsets[vertices];
            final ArrayNode points = NODES.arrayNode();
            double firstLat = 0, firstLon = 0;
            for (int i = 0; i < vertices; i++)
            {
                final double angle = offsets[i] * 2 * Math.PI / sum;
                final double radial = random.nextDouble() * 10;
                final double lon = centreLon + radial * Math.cos(angle);
                final double lat = centreLat + radial * Math.sin(angle);
                if (i == 0)
                {
                    firstLat = lat;
                    firstLon = lon;
                }
                points.add(point(lat, lon));
            }
            points.add(point(firstLat, firstLon));
            return wrap("geoPolygon", object("point", object("points", points)));
        }
    },
    IN("in")
    {
        JsonNode filter(final SplittableRandom random)
        {
            final ArrayNode values = NODES.arrayNode();
            for (int i = 0; i < 5; i++)
            {
                values.add(randomString(random));
            }
            return wrap("in", object("str", values));
        }

        JsonNode document(final SplittableRandom random)
        {
            return object("str", text(randomString(random)));
        }
    },
    RANGE("range")
    {
        JsonNode filter(final SplittableRandom random)
        {
            final int bound = random.nextInt(-10_000, 10_001);
            final ObjectNode bounds = NODES.objectNode();
            bounds.put("gte", bound).put("lte", bound + 100);
            return wrap("range", object("integer", bounds));
        }

        JsonNode document(final SplittableRandom random)
        {
            return object("integer", NODES.numberNode(random.nextInt(-10_000, 10_001)));
        }
    };

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String POOL = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";

    private final String keyword;

    FilterWorkload(final String keyword)
    {
        this.keyword = keyword;
    }

    /**
     * @return the Koncorde keyword the workload exercises.
     */
    public String keyword()
    {
        return keyword;
    }

    /**
     * @return a random filter of this keyword.
     */
    abstract JsonNode filter(SplittableRandom random);

    /**
     * @return the document Koncorde's benchmark matches (geo keywords: the point [0, 0]).
     */
    JsonNode document(final SplittableRandom random)
    {
        final ArrayNode origin = NODES.arrayNode().add(0).add(0);
        return object("point", origin);
    }

    /**
     * @param count how many filters.
     * @param seed  random seed.
     * @return the filters, generated up front so that timing registration measures the engine only.
     */
    public JsonNode[] filters(final int count, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final JsonNode[] filters = new JsonNode[count];
        for (int i = 0; i < count; i++)
        {
            filters[i] = filter(random);
        }
        return filters;
    }

    /**
     * @param seed random seed.
     * @return the document to match.
     */
    public JsonNode document(final long seed)
    {
        return document(new SplittableRandom(seed ^ 0x5DEECE66DL));
    }

    public static FilterWorkload of(final String keyword)
    {
        for (final FilterWorkload workload : values())
        {
            if (workload.keyword.equals(keyword))
            {
                return workload;
            }
        }
        throw new IllegalArgumentException("unknown keyword: " + keyword);
    }

    private static String randomString(final SplittableRandom random)
    {
        final char[] chars = new char[20];
        for (int i = 0; i < chars.length; i++)
        {
            chars[i] = POOL.charAt(random.nextInt(POOL.length()));
        }
        return new String(chars);
    }

    private static double lon(final SplittableRandom random)
    {
        return random.nextDouble() * 360 - 180;
    }

    private static double lat(final SplittableRandom random)
    {
        return random.nextDouble() * 180 - 90;
    }

    private static JsonNode point(final double lat, final double lon)
    {
        return NODES.arrayNode().add(lat).add(lon);
    }

    private static JsonNode text(final String value)
    {
        return NODES.textNode(value);
    }

    private static ObjectNode object(final String key, final JsonNode value)
    {
        final ObjectNode node = NODES.objectNode();
        node.set(key, value);
        return node;
    }

    private static ObjectNode wrap(final String keyword, final JsonNode value)
    {
        return object(keyword, value);
    }
}
