package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code geoBoundingBox}, {@code geoDistance}, {@code geoDistanceRange}, {@code geoPolygon}: the field is a
 * geopoint inside the shape.
 */
final class GeoCondition extends Condition
{
    final GeoShape shape;

    GeoCondition(final FieldPath field, final GeoShape shape)
    {
        super(Kind.GEO, field, "geo " + Canonical.string(field.path()) + ' ' + shape.canonical());
        this.shape = shape;
    }

    boolean test(final JsonNode document)
    {
        final double[] latLon = new double[2];
        return Geo.parse(field.resolve(document), latLon) && shape.contains(latLon[0], latLon[1]);
    }
}
