package io.herald.engine.filter;

/**
 * geoBoundingBox, geoDistance, geoDistanceRange, geoPolygon: per field, a {@link GeoGrid} queried when the field
 * holds a geopoint. Each field is read on its own: a bad point in one field does not stop the others.
 */
final class GeoIndex implements OperandIndex
{
    private final FieldEntries<GeoGrid> fields = new FieldEntries<>();
    private final double[] point = new double[2];

    public void add(final int slot, final Condition condition)
    {
        fields.getOrCreate(condition.field, (path) -> new GeoGrid()).add(slot, ((GeoCondition)condition).shape);
    }

    public void remove(final int slot, final Condition condition)
    {
        final GeoGrid grid = fields.get(condition.field);
        grid.remove(slot, ((GeoCondition)condition).shape);
        if (grid.isEmpty())
        {
            fields.remove(condition.field);
        }
    }

    public void match(final Document document, final HitSink sink)
    {
        for (int i = 0, n = fields.resolve(document); i < n; i++)
        {
            if (Geo.parse(document, fields.presentValue(i), point))
            {
                fields.presentEntry(i).query(point[0], point[1], sink);
            }
        }
    }

    public boolean isEmpty()
    {
        return fields.size() == 0;
    }
}
