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
    },
    /**
     * Documents that match: {@code equals} on one of 100 fields for one of 100 values (10,000 distinct filters), the
     * document holding every field with the value {@code v7}: it matches 100 filters.
     */
    EQUALS_HIT("equals-hit")
    {
        JsonNode filter(final SplittableRandom random)
        {
            return wrap("equals", object("f" + random.nextInt(100), text("v" + random.nextInt(100))));
        }

        JsonNode document(final SplittableRandom random)
        {
            final ObjectNode document = NODES.objectNode();
            for (int field = 0; field < 100; field++)
            {
                document.put("f" + field, "v7");
            }
            return document;
        }
    },
    /** Issue 16's hit workload: circles of 20 km centred in a 2° square around the point [0, 0], which is in ~250. */
    GEO_DISTANCE_HIT("geoDistance-hit")
    {
        JsonNode filter(final SplittableRandom random)
        {
            final ObjectNode spec = NODES.objectNode();
            spec.put("distance", "20km");
            spec.set("point", point(random.nextDouble(-1, 1), random.nextDouble(-1, 1)));
            return wrap("geoDistance", spec);
        }
    },
    /** Rings of 5 to 20 km centred in a 2° square around [0, 0]. */
    GEO_DISTANCE_RANGE_HIT("geoDistanceRange-hit")
    {
        JsonNode filter(final SplittableRandom random)
        {
            final ObjectNode spec = NODES.objectNode();
            spec.put("from", "5km");
            spec.set("point", point(random.nextDouble(-1, 1), random.nextDouble(-1, 1)));
            spec.put("to", "20km");
            return wrap("geoDistanceRange", spec);
        }
    },
    /** Boxes of 0.4° with their top-left corner in a 2° square around [0, 0], which is in ~400. */
    GEO_BOUNDING_BOX_HIT("geoBoundingBox-hit")
    {
        JsonNode filter(final SplittableRandom random)
        {
            final double top = random.nextDouble(-1, 1), left = random.nextDouble(-1, 1);
            final ObjectNode box = NODES.objectNode();
            box.put("bottom", top - .4).put("left", left).put("right", left + .4).put("top", top);
            return wrap("geoBoundingBox", object("point", box));
        }
    },
    /** Issue 16's polygon hit workload: 10-vertex polygons up to 1.5° across, hubs in a 4° square, [0, 0] in ~700. */
    GEO_POLYGON_HIT("geoPolygon-hit")
    {
        JsonNode filter(final SplittableRandom random)
        {
            return wrap("geoPolygon", object("point", object("points",
                ring(random, 10, .75, random.nextDouble(-2, 2), random.nextDouble(-2, 2)))));
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

    /**
     * A ring like geojson-random's: {@code vertices} at increasing random angles around a hub, each at a random
     * distance up to {@code maxRadial} degrees, closed by repeating the first vertex.
     */
    private static ArrayNode ring(
        final SplittableRandom random, final int vertices, final double maxRadial, final double hubLat,
        final double hubLon)
    {
        final double[] offsets = new double[vertices + 1];
        for (int i = 0; i <= vertices; i++)
        {
            offsets[i] = random.nextDouble() + (i > 0 ? offsets[i - 1] : 0);
        }
        final ArrayNode points = NODES.arrayNode();
        for (int i = 0; i < vertices; i++)
        {
            final double angle = offsets[i] * 2 * Math.PI / offsets[vertices];
            final double radial = random.nextDouble() * maxRadial;
            points.add(point(hubLat + radial * Math.sin(angle), hubLon + radial * Math.cos(angle)));
        }
        points.add(points.get(0));
        return points;
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
