package io.herald.engine.filter;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;

/**
 * The geo shapes registered on one field, answering "which shapes contain this point".
 * <p>
 * A hierarchy of latitude/longitude grids (level L has 2^L x 2^L cells): each shape is filed at the finest level
 * whose cells are at least as high as its bounding box and at most {@link #MAX_COLUMNS} cells narrower, in the
 * cells its box overlaps. A point query looks up one cell per level in use, then tests the candidates exactly.
 */
final class GeoGrid
{
    static final int MAX_LEVEL = 24;

    /**
     * Shapes are filed only at every third level (0, 3, ..., 24): a query then looks up at most 9 cells, and a
     * shape filed up to two levels coarser than it could be still overlaps at most 2 cells in height.
     */
    static final int LEVEL_STEP = 3;

    /**
     * How many cells wide a shape may span at its level. Latitude/longitude cells narrow towards the poles, so a
     * shape's longitude span can be far larger than its latitude span; letting it cover several cells in width
     * keeps it at the level its height calls for instead of sinking to a coarse level every query visits.
     */
    static final int MAX_COLUMNS = 8;

    private static final class Entry
    {
        final GeoShape shape;
        final int slot;

        Entry(final GeoShape shape, final int slot)
        {
            this.shape = shape;
            this.slot = slot;
        }
    }

    /**
     * Per level, a bitmap of at most 2^10 x 2^10 coarse cells telling whether any cell of that level below it has
     * ever held a shape: most queries land where no shape is, and a bit test is cheaper than a hash lookup. Bits are
     * not cleared on removal (a stale bit costs one lookup).
     */
    private static final int OCCUPANCY_BITS = 10;

    private final Long2ObjectHashMap<ArrayList<Entry>> cells = new Long2ObjectHashMap<>();
    private final long[][] occupancy = new long[MAX_LEVEL + 1][];
    private final int[] shapesPerLevel = new int[MAX_LEVEL + 1];
    private int levelsInUse;
    private int size;

    void add(final int slot, final GeoShape shape)
    {
        final int level = levelOf(shape);
        visitCells(shape, level, new Entry(shape, slot), true);
        if (shapesPerLevel[level]++ == 0)
        {
            levelsInUse |= 1 << level;
        }
        size++;
    }

    void remove(final int slot, final GeoShape shape)
    {
        final int level = levelOf(shape);
        visitCells(shape, level, new Entry(shape, slot), false);
        if (--shapesPerLevel[level] == 0)
        {
            levelsInUse &= ~(1 << level);
        }
        size--;
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    void query(final double lat, final double lon, final HitSink sink)
    {
        final double x = GeoShape.normalizeLon(lon) + 180;
        final double y = Math.max(-90, Math.min(90, lat)) + 90;
        int levels = levelsInUse;
        while (levels != 0)
        {
            final int level = Integer.numberOfTrailingZeros(levels);
            levels &= levels - 1;
            final int cellsPerSide = 1 << level;
            final int column = column(x, cellsPerSide);
            final int row = row(y, cellsPerSide);
            if (!occupied(level, column, row))
            {
                continue;
            }
            final ArrayList<Entry> entries = cells.get(key(level, column, row));
            if (null != entries)
            {
                for (int i = 0, n = entries.size(); i < n; i++)
                {
                    final Entry entry = entries.get(i);
                    if (entry.shape.contains(lat, lon))
                    {
                        sink.hit(entry.slot);
                    }
                }
            }
        }
    }

    private static int levelOf(final GeoShape shape)
    {
        final double width = shape.minLon <= shape.maxLon ? shape.maxLon - shape.minLon :
            (180 - shape.minLon) + (shape.maxLon + 180);
        final double height = Math.max(0, shape.maxLat - shape.minLat);
        int level = 0;
        while (level < MAX_LEVEL && width <= MAX_COLUMNS * 360.0 / (1 << (level + 1)) &&
            height <= 180.0 / (1 << (level + 1)))
        {
            level++;
        }
        return level - level % LEVEL_STEP;
    }

    private void visitCells(final GeoShape shape, final int level, final Entry entry, final boolean add)
    {
        final int cellsPerSide = 1 << level;
        final int rowLow = row(Math.max(-90, shape.minLat) + 90, cellsPerSide);
        final int rowHigh = row(Math.min(90, shape.maxLat) + 90, cellsPerSide);
        if (shape.minLon <= shape.maxLon)
        {
            visitColumns(level, column(Math.max(-180, shape.minLon) + 180, cellsPerSide),
                column(Math.min(180, shape.maxLon) + 180, cellsPerSide), rowLow, rowHigh, entry, add);
        }
        else
        {
            visitColumns(level, column(shape.minLon + 180, cellsPerSide), cellsPerSide - 1, rowLow, rowHigh,
                entry, add);
            visitColumns(level, 0, column(shape.maxLon + 180, cellsPerSide), rowLow, rowHigh, entry, add);
        }
    }

    private void visitColumns(final int level, final int columnLow, final int columnHigh, final int rowLow,
        final int rowHigh, final Entry entry, final boolean add)
    {
        for (int column = columnLow; column <= columnHigh; column++)
        {
            for (int row = rowLow; row <= rowHigh; row++)
            {
                final long key = key(level, column, row);
                ArrayList<Entry> entries = cells.get(key);
                if (add)
                {
                    markOccupied(level, column, row);
                    if (null == entries)
                    {
                        entries = new ArrayList<>(2);
                        cells.put(key, entries);
                    }
                    entries.add(entry);
                }
                else if (null != entries)
                {
                    entries.removeIf((e) -> e.slot == entry.slot);
                    if (entries.isEmpty())
                    {
                        cells.remove(key);
                    }
                }
            }
        }
    }

    private boolean occupied(final int level, final int column, final int row)
    {
        final int shift = Math.max(0, level - OCCUPANCY_BITS);
        final int bits = Math.min(level, OCCUPANCY_BITS);
        final int bit = ((row >>> shift) << bits) | (column >>> shift);
        return (occupancy[level][bit >>> 6] & (1L << bit)) != 0;
    }

    private void markOccupied(final int level, final int column, final int row)
    {
        final int shift = Math.max(0, level - OCCUPANCY_BITS);
        final int bits = Math.min(level, OCCUPANCY_BITS);
        if (null == occupancy[level])
        {
            occupancy[level] = new long[Math.max(1, (1 << (2 * bits)) >>> 6)];
        }
        final int bit = ((row >>> shift) << bits) | (column >>> shift);
        occupancy[level][bit >>> 6] |= 1L << bit;
    }

    private static int column(final double x, final int cellsPerSide)
    {
        return Math.max(0, Math.min(cellsPerSide - 1, (int)(x * cellsPerSide / 360.0)));
    }

    private static int row(final double y, final int cellsPerSide)
    {
        return Math.max(0, Math.min(cellsPerSide - 1, (int)(y * cellsPerSide / 180.0)));
    }

    private static long key(final int level, final int column, final int row)
    {
        return ((long)level << 58) | ((long)row << 29) | column;
    }
}
