package io.herald.engine.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON document as the filter engine reads it: a flat, reusable table of values instead of a tree of objects.
 * <p>
 * Every value is an {@code int} handle, in document order; a container's members follow it, and
 * {@link #end(int)} is the handle after its last descendant. Strings are kept as UTF-16 in one shared array,
 * numbers as doubles (JavaScript's only number type, as Koncorde sees them), member names as the parser's
 * canonical {@link String}s. {@link #parse} reads bytes with Jackson's non-blocking parser, which is kept for the
 * life of the document, fed one document after another; once the tables have grown to the largest document seen,
 * parsing a document whose member names were seen before allocates nothing. New names are canonicalized by the
 * parser, whose table stays bounded (3M documents of 6M distinct names kept the heap under 8 MB).
 * <p>
 * JSON's duplicate member names resolve as {@code JSON.parse} (and Jackson's trees) do: the last one wins, the
 * earlier ones are hidden from every reader. The same way, {@link #parse(byte[], int, int, String)} can replace
 * the root's {@code _id}.
 * <p>
 * Not thread-safe: one instance belongs to one thread.
 */
public final class Document
{
    public static final byte OBJECT = 1;
    public static final byte ARRAY = 2;
    public static final byte STRING = 3;
    public static final byte NUMBER = 4;
    public static final byte TRUE = 5;
    public static final byte FALSE = 6;
    public static final byte NULL = 7;

    /** A handle that is not a value: a missing member, an element past the end. */
    public static final int NONE = -1;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_DEPTH = 512;
    private static final String ID = "_id";
    private static final int SMALL_OBJECT = 16;

    private byte[] types = new byte[64];
    private boolean[] hidden = new boolean[64];
    private int[] ends = new int[64];
    private int[] sizes = new int[64];
    private String[] names = new String[64];
    private double[] numbers = new double[64];
    private int[] textOffsets = new int[64];
    private int[] textLengths = new int[64];
    private int[] textHashes = new int[64];
    private boolean[] hashed = new boolean[64];
    private boolean[] unread = new boolean[64];
    private char[] text = new char[1024];
    private int count;
    private int textLength;

    private final int[] open = new int[MAX_DEPTH];
    private int depth;
    private String pendingName;
    private int[] seen = new int[64];

    private final DocumentFeed feed = new DocumentFeed();
    private final TextView view = new TextView();
    private JsonNode tree;

    /**
     * Reads a document.
     *
     * @param bytes  UTF-8 JSON.
     * @param offset where it starts.
     * @param length its length in bytes.
     * @param id     replaces the root object's {@code _id} (a string), or null to keep the document's own.
     * @throws DocumentException when the bytes are not one JSON value; the document is then empty.
     */
    public void parse(final byte[] bytes, final int offset, final int length, final String id)
    {
        final byte[] idBytes = null == id ? null : id.getBytes(StandardCharsets.UTF_8);
        parse(bytes, offset, length, idBytes, null == idBytes ? 0 : idBytes.length);
    }

    /**
     * Reads a document: the path of every publish, which allocates nothing once the tables have grown.
     *
     * @param bytes    UTF-8 JSON.
     * @param offset   where it starts.
     * @param length   its length in bytes.
     * @param id       the UTF-8 bytes of a string that replaces the root object's {@code _id}, or null.
     * @param idLength how many of them; 0 keeps the document's own {@code _id}.
     * @throws DocumentException when the bytes are not one JSON value; the document is then empty.
     */
    public void parse(final byte[] bytes, final int offset, final int length, final byte[] id, final int idLength)
    {
        clear();
        boolean read = false;
        try
        {
            feed.read(bytes, offset, length, this);
            if (count == 0)
            {
                throw new DocumentException("not one complete JSON value");
            }
            read = true;
        }
        finally
        {
            if (!read)
            {
                feed.discard();
                clear();
            }
        }
        if (idLength > 0 && types[0] == OBJECT)
        {
            replaceId(id, idLength);
        }
    }

    /**
     * Reads a tree, through its bytes and the same parser as published documents (tests, and callers that hold a
     * tree already; this allocates).
     *
     * @param document the document.
     */
    public void parse(final JsonNode document)
    {
        final byte[] bytes;
        try
        {
            bytes = MAPPER.writeValueAsBytes(document);
        }
        catch (final JsonProcessingException ex)
        {
            throw new DocumentException(ex.getMessage());
        }
        parse(bytes, 0, bytes.length, null);
    }

    /**
     * @return the root value, or {@link #NONE} for an empty document.
     */
    public int root()
    {
        return count == 0 ? NONE : 0;
    }

    public byte type(final int value)
    {
        return types[value];
    }

    /**
     * @return the handle after the last descendant of a value.
     */
    public int end(final int value)
    {
        return ends[value];
    }

    /**
     * @return the number of members of an object (a name given twice counts once) or elements of an array.
     */
    public int size(final int value)
    {
        return sizes[value];
    }

    /**
     * @return the first member or element of a container, {@link #NONE} when it is empty.
     */
    public int first(final int container)
    {
        return next(container, container);
    }

    /**
     * @return the member or element after {@code child} in {@code container}, {@link #NONE} after the last.
     */
    public int next(final int container, final int child)
    {
        final int end = ends[container];
        int candidate = child == container ? container + 1 : ends[child];
        while (candidate < end && hidden[candidate])
        {
            candidate = ends[candidate];
        }
        return candidate < end ? candidate : NONE;
    }

    /**
     * @return the member name of a value held by an object.
     */
    public String name(final int member)
    {
        return names[member];
    }

    /**
     * @return the value of an object's member, {@link #NONE} when absent or when {@code object} is not an object.
     */
    public int member(final int object, final String name)
    {
        if (object < 0 || types[object] != OBJECT)
        {
            return NONE;
        }
        for (int child = first(object); child != NONE; child = next(object, child))
        {
            final String candidate = names[child];
            // names are interned by the parser, and hashes are cached in both: a different name rarely costs more
            if (candidate == name || (candidate.hashCode() == name.hashCode() && candidate.equals(name)))
            {
                return child;
            }
        }
        return NONE;
    }

    /**
     * @return the element at {@code index} of an array, {@link #NONE} when out of range.
     */
    public int element(final int array, final int index)
    {
        if (index < 0 || index >= sizes[array])
        {
            return NONE;
        }
        int child = first(array);
        for (int i = 0; i < index; i++)
        {
            child = next(array, child);
        }
        return child;
    }

    public double number(final int value)
    {
        if (unread[value])
        {
            // Jackson's fast double parser, on the document's own characters: the parser's getDoubleValue() goes
            // through a String
            numbers[value] = NumberInput.parseDouble(text, textOffsets[value], textLengths[value], true);
            unread[value] = false;
        }
        return numbers[value];
    }

    public boolean isObject(final int value)
    {
        return value >= 0 && types[value] == OBJECT;
    }

    public boolean isArray(final int value)
    {
        return value >= 0 && types[value] == ARRAY;
    }

    /**
     * @return the characters of every string of the document; a string is {@link #textOffset} and
     * {@link #textLength} of them.
     */
    public char[] textChars()
    {
        return text;
    }

    public int textOffset(final int value)
    {
        return textOffsets[value];
    }

    public int textLength(final int value)
    {
        return textLengths[value];
    }

    /**
     * @return {@link String#hashCode()} of a string value, computed once per document.
     */
    public int textHash(final int value)
    {
        if (!hashed[value])
        {
            textHashes[value] = TextTable.hash(text, textOffsets[value], textLengths[value]);
            hashed[value] = true;
        }
        return textHashes[value];
    }

    /**
     * @return a string value as a {@link CharSequence}, one view reused by every call: valid until the next one.
     */
    public CharSequence text(final int value)
    {
        return view.wrap(text, textOffsets[value], textLengths[value]);
    }

    /**
     * @return a string value as a new {@link String}.
     */
    public String string(final int value)
    {
        return new String(text, textOffsets[value], textLengths[value]);
    }

    /**
     * The document as a Jackson tree, built once per document on first use: for the few conditions no index
     * serves (match, select), which may allocate.
     *
     * @return the root as a tree, null for an empty document.
     */
    public JsonNode tree()
    {
        if (null == tree && count > 0)
        {
            tree = DocumentTree.of(this, 0);
        }
        return tree;
    }

    private void clear()
    {
        count = 0;
        textLength = 0;
        depth = 0;
        pendingName = null;
        tree = null;
    }

    /**
     * A member name for the next value (the feed's field name).
     */
    void nextName(final String name)
    {
        pendingName = name;
    }

    int depth()
    {
        return depth;
    }

    void addString(final char[] chars, final int offset, final int length)
    {
        appendText(add(STRING), chars, offset, length);
    }

    void addNumber(final double number)
    {
        final int handle = add(NUMBER);
        numbers[handle] = number;
    }

    /**
     * A decimal kept as text, read on first use: most numbers of a document are looked at by no filter.
     */
    void addDecimal(final char[] chars, final int offset, final int length)
    {
        final int decimal = add(NUMBER);
        unread[decimal] = true;
        appendText(decimal, chars, offset, length);
    }

    int add(final byte type)
    {
        final int value = count++;
        if (value == types.length)
        {
            grow();
        }
        types[value] = type;
        hidden[value] = false;
        hashed[value] = false;
        unread[value] = false;
        ends[value] = value + 1;
        sizes[value] = 0;
        names[value] = pendingName;
        pendingName = null;
        if (depth > 0)
        {
            sizes[open[depth - 1]]++;
        }
        return value;
    }

    /**
     * Duplicate member names: of each name, every member but the last is hidden. Small objects compare names
     * pairwise (by identity first: the parser canonicalizes names); larger ones go through a reused hash table,
     * so that a hostile object of many members costs linear time.
     */
    private void hideDuplicates(final int object)
    {
        final int size = sizes[object];
        if (size < 2)
        {
            return;
        }
        if (size <= SMALL_OBJECT)
        {
            for (int child = object + 1, end = ends[object]; child < end; child = ends[child])
            {
                final String name = names[child];
                for (int later = ends[child]; later < end; later = ends[later])
                {
                    if (names[later] == name || names[later].equals(name))
                    {
                        hidden[child] = true;
                        sizes[object]--;
                        break;
                    }
                }
            }
            return;
        }
        final int capacity = Integer.highestOneBit(size * 2 - 1) << 1;
        if (capacity > seen.length)
        {
            seen = new int[capacity];
        }
        Arrays.fill(seen, 0, capacity, NONE);
        final int mask = capacity - 1;
        for (int child = object + 1, end = ends[object]; child < end; child = ends[child])
        {
            final String name = names[child];
            int slot = name.hashCode() & mask;
            while (seen[slot] != NONE && !names[seen[slot]].equals(name))
            {
                slot = (slot + 1) & mask;
            }
            if (seen[slot] != NONE)
            {
                hidden[seen[slot]] = true;
                sizes[object]--;
            }
            seen[slot] = child;
        }
    }

    void openContainer(final byte type)
    {
        final int value = add(type);
        if (depth == MAX_DEPTH)
        {
            throw new DocumentException("nested deeper than " + MAX_DEPTH + " levels");
        }
        open[depth++] = value;
    }

    void closeContainer()
    {
        final int value = open[--depth];
        ends[value] = count;
        if (types[value] == OBJECT)
        {
            hideDuplicates(value);
        }
    }

    /**
     * Makes characters the text of a value.
     */
    private void appendText(final int value, final char[] chars, final int offset, final int length)
    {
        reserveText(length);
        System.arraycopy(chars, offset, text, textLength, length);
        textOffsets[value] = textLength;
        textLengths[value] = length;
        textLength += length;
    }

    private void reserveText(final int length)
    {
        if (textLength + length > text.length)
        {
            text = Arrays.copyOf(text, Math.max(textLength + length, text.length * 2));
        }
    }

    /**
     * The root's {@code _id} becomes the given string: an existing one is hidden and a new member is appended
     * last, inside the root's range.
     */
    private void replaceId(final byte[] id, final int idLength)
    {
        final int existing = member(0, ID);
        if (existing != NONE)
        {
            hidden[existing] = true;
            sizes[0]--;
        }
        depth = 1;
        open[0] = 0;
        pendingName = ID;
        final int value = add(STRING);
        depth = 0;
        boolean ascii = true;
        for (int i = 0; i < idLength; i++)
        {
            ascii &= id[i] >= 0;
        }
        if (ascii)
        {
            // one character per byte, widened in place: no String on the publish path
            reserveText(idLength);
            for (int i = 0; i < idLength; i++)
            {
                text[textLength + i] = (char)id[i];
            }
            textOffsets[value] = textLength;
            textLengths[value] = idLength;
            textLength += idLength;
        }
        else
        {
            final char[] decoded = new String(id, 0, idLength, StandardCharsets.UTF_8).toCharArray();
            appendText(value, decoded, 0, decoded.length);
        }
        ends[0] = count;
    }

    private void grow()
    {
        final int length = types.length * 2;
        types = Arrays.copyOf(types, length);
        hidden = Arrays.copyOf(hidden, length);
        ends = Arrays.copyOf(ends, length);
        sizes = Arrays.copyOf(sizes, length);
        names = Arrays.copyOf(names, length);
        numbers = Arrays.copyOf(numbers, length);
        textOffsets = Arrays.copyOf(textOffsets, length);
        textLengths = Arrays.copyOf(textLengths, length);
        textHashes = Arrays.copyOf(textHashes, length);
        hashed = Arrays.copyOf(hashed, length);
        unread = Arrays.copyOf(unread, length);
    }
}
