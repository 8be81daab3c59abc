package io.herald.engine.filter;

/**
 * A window on a {@link Document}'s characters, reused: valid until the document's next {@code text} call.
 */
final class TextView implements CharSequence
{
    private char[] chars;
    private int offset;
    private int length;

    TextView wrap(final char[] chars, final int offset, final int length)
    {
        this.chars = chars;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public int length()
    {
        return length;
    }

    public char charAt(final int index)
    {
        return chars[offset + index];
    }

    public CharSequence subSequence(final int start, final int end)
    {
        return new String(chars, offset + start, end - start);
    }

    public String toString()
    {
        return new String(chars, offset, length);
    }
}
