package io.herald.engine.filter;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;

/**
 * The geo shapes registered on one field, answering "which shapes contain this point".
 * <p>
 * A hierarchy of latitude/longitude grids (level L has 2^L x 2^L cells). A shape is filed, in every cell its
 * bounding box overlaps, at the finest level (among 0, 3, 6, ... 24) where that box spans at most
 * {@link #MAX_ROWS} rows and {@link #MAX_COLUMNS} columns. A point query computes the point's cell at each level in
 * use from one fixed-point coordinate (shifts only), tests a per-level occupancy bitmap, and only then looks the
 * cell up and tests its shapes exactly.
 */
final class GeoGrid
{
    static final int MAX_LEVEL = 24;

    /** Shapes are filed only at every third level: a query visits at most 9 levels. */
    static final int LEVEL_STEP = 3;

    static final int MAX_ROWS = 4;

    /**
     * Wider than {@link #MAX_ROWS}: lat/lon cells narrow towards the poles, so a shape's longitude span is often
     * larger than its latitude span.
     */
    static final int MAX_COLUMNS = 8;

    /**
     * Occupancy bitmaps have at most 2^10 x 2^10 coarse cells per level. Bits are not cleared on removal (a stale
     * bit costs one lookup).
     */
    private static final int OCCUPANCY_BITS = 10;
    private static final int CELLS = 1 << MAX_LEVEL;

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

    private final Long2ObjectHashMap<ArrayList<Entry>> cells = new Long2ObjectHashMap<>();
    private final long[][] occupancy = new long[MAX_LEVEL + 1][];

    /**
     * The same 2^10 x 2^10 coarse cells over all levels together: one bit test answers most queries (points where
     * no shape is).
     */
    private final long[] anyOccupancy = new long[(1 << (2 * OCCUPANCY_BITS)) >>> 6];
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
        final int x = fixedLon(GeoShape.normalizeLon(lon));
        final int y = fixedLat(lat);
        final int anyBit = ((y >>> (MAX_LEVEL - OCCUPANCY_BITS)) << OCCUPANCY_BITS) | (x >>> (MAX_LEVEL - OCCUPANCY_BITS));
        if ((anyOccupancy[anyBit >>> 6] & (1L << anyBit)) == 0)
        {
            return;
        }
        // the point as a unit vector, once for every candidate (circles compare dot products)
        final double phi = Math.toRadians(lat);
        final double lambda = Math.toRadians(lon);
        final double cosPhi = Math.cos(phi);
        final double px = cosPhi * Math.cos(lambda);
        final double py = cosPhi * Math.sin(lambda);
        final double pz = Math.sin(phi);
        int levels = levelsInUse;
        while (levels != 0)
        {
            final int level = Integer.numberOfTrailingZeros(levels);
            levels &= levels - 1;
            final int column = x >>> (MAX_LEVEL - level);
            final int row = y >>> (MAX_LEVEL - level);
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
                    if (entry.shape.contains(lat, lon, px, py, pz))
                    {
                        sink.hit(entry.slot);
                    }
                }
            }
        }
    }

    private static int levelOf(final GeoShape shape)
    {
        final int rowLow = fixedLat(shape.minLat);
        final int rowHigh = fixedLat(shape.maxLat);
        final int columnLow = fixedLon(Math.max(-180, shape.minLon));
        final int columnHigh = fixedLon(Math.min(180, shape.maxLon));
        for (int level = MAX_LEVEL; level > 0; level -= LEVEL_STEP)
        {
            final int shift = MAX_LEVEL - level;
            final int rows = (rowHigh >>> shift) - (rowLow >>> shift) + 1;
            final int columns = shape.minLon <= shape.maxLon ? (columnHigh >>> shift) - (columnLow >>> shift) + 1 :
                ((CELLS - 1) >>> shift) - (columnLow >>> shift) + 1 + (columnHigh >>> shift) + 1;
            if (rows <= MAX_ROWS && columns <= MAX_COLUMNS)
            {
                return level;
            }
        }
        return 0;
    }

    private void visitCells(final GeoShape shape, final int level, final Entry entry, final boolean add)
    {
        final int shift = MAX_LEVEL - level;
        final int rowLow = fixedLat(shape.minLat) >>> shift;
        final int rowHigh = fixedLat(shape.maxLat) >>> shift;
        if (shape.minLon <= shape.maxLon)
        {
            visitColumns(level, fixedLon(Math.max(-180, shape.minLon)) >>> shift,
                fixedLon(Math.min(180, shape.maxLon)) >>> shift, rowLow, rowHigh, entry, add);
        }
        else
        {
            visitColumns(level, fixedLon(shape.minLon) >>> shift, (CELLS - 1) >>> shift, rowLow, rowHigh, entry, add);
            visitColumns(level, 0, fixedLon(shape.maxLon) >>> shift, rowLow, rowHigh, entry, add);
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
        if ((occupancy[level][bit >>> 6] & (1L << bit)) != 0)
        {
            return;
        }
        occupancy[level][bit >>> 6] |= 1L << bit;

        // first shape in this coarse cell: mark the cells of the all-levels bitmap it covers
        final int spread = OCCUPANCY_BITS - bits;
        final int width = 1 << spread;
        final int coarseRow = (row >>> shift) << spread;
        final int coarseColumn = (column >>> shift) << spread;
        for (int r = coarseRow; r < coarseRow + width; r++)
        {
            setBits(anyOccupancy, (r << OCCUPANCY_BITS) | coarseColumn, width);
        }
    }

    private static void setBits(final long[] bitmap, final int from, final int count)
    {
        int bit = from;
        final int end = from + count;
        while (bit < end)
        {
            final int inWord = bit & 63;
            final int n = Math.min(64 - inWord, end - bit);
            bitmap[bit >>> 6] |= (n == 64 ? -1L : ((1L << n) - 1)) << inWord;
            bit += n;
        }
    }

    /**
     * Longitude in [-180, 180] as a cell index at the finest level.
     */
    private static int fixedLon(final double lon)
    {
        return Math.max(0, Math.min(CELLS - 1, (int)((lon + 180) * (CELLS / 360.0))));
    }

    private static int fixedLat(final double lat)
    {
        return Math.max(0, Math.min(CELLS - 1, (int)((lat + 90) * (CELLS / 180.0))));
    }

    private static long key(final int level, final int column, final int row)
    {
        return ((long)level << 58) | ((long)row << 29) | column;
    }
}
