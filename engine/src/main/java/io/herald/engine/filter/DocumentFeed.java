package io.herald.engine.filter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.io.NumberInput;

import java.io.IOException;

/**
 * Jackson's non-blocking parser, kept for the life of a {@link Document} and fed one document after another: a
 * blocking parser reads one input and is made anew for the next, this one allocates nothing once warm. Its tokens
 * go into the document's tables.
 */
final class DocumentFeed
{
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).enable(JsonFactory.Feature.INTERN_FIELD_NAMES).build();
    private static final byte[] SEPARATOR = {' '};

    private JsonParser parser;

    /**
     * Reads one JSON value into {@code target}, emptied by the caller.
     *
     * @throws DocumentException when the bytes are not one JSON value; the caller then {@link #discard}s the parser.
     */
    void read(final byte[] bytes, final int offset, final int length, final Document target)
    {
        try
        {
            if (null == parser)
            {
                parser = FACTORY.createNonBlockingByteArrayParser();
            }
            final ByteArrayFeeder feeder = (ByteArrayFeeder)parser.getNonBlockingInputFeeder();
            feeder.feedInput(bytes, offset, offset + length);
            boolean complete = readValue(target);
            if (complete && parser.nextToken() != JsonToken.NOT_AVAILABLE)
            {
                throw new DocumentException("more than one JSON value");
            }
            // a value at the end of the input may go on (a number, "1 2"): a separator completes or shows it
            feeder.feedInput(SEPARATOR, 0, 1);
            complete = complete || readValue(target);
            if (!complete)
            {
                throw new DocumentException("not one complete JSON value");
            }
            if (parser.nextToken() != JsonToken.NOT_AVAILABLE)
            {
                throw new DocumentException("more than one JSON value");
            }
        }
        catch (final IOException ex)
        {
            throw new DocumentException(ex.getMessage());
        }
    }

    /**
     * After a failed read the parser is in the middle of something: the next read starts a new one.
     */
    void discard()
    {
        if (null != parser)
        {
            try
            {
                parser.close();
            }
            catch (final IOException ignored)
            {
                // nothing held but memory
            }
            parser = null;
        }
    }

    /**
     * Reads tokens until one root value is complete.
     *
     * @return false when the input ended first.
     */
    private boolean readValue(final Document target) throws IOException
    {
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.NOT_AVAILABLE)
        {
            if (null == token)
            {
                return false;
            }
            switch (token)
            {
                case FIELD_NAME:
                    target.nextName(parser.currentName());
                    break;
                case START_OBJECT:
                    target.openContainer(Document.OBJECT);
                    break;
                case START_ARRAY:
                    target.openContainer(Document.ARRAY);
                    break;
                case END_OBJECT:
                case END_ARRAY:
                    target.closeContainer();
                    break;
                case VALUE_STRING:
                    target.addString(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    break;
                case VALUE_NUMBER_INT:
                    target.addNumber(integer());
                    break;
                case VALUE_NUMBER_FLOAT:
                    target.addDecimal(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    break;
                case VALUE_TRUE:
                    target.add(Document.TRUE);
                    break;
                case VALUE_FALSE:
                    target.add(Document.FALSE);
                    break;
                case VALUE_NULL:
                    target.add(Document.NULL);
                    break;
                default:
                    throw new DocumentException("unexpected " + token);
            }
            if (target.depth() == 0 && token != JsonToken.FIELD_NAME)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Integers as the parser already read them; one beyond 2<sup>53</sup> is read from its text, so that it rounds
     * once, as {@code JSON.parse} does. (The parser makes the text of a lone 0 on demand: it is not asked for it.)
     */
    private double integer() throws IOException
    {
        final JsonParser.NumberType type = parser.getNumberType();
        if (type == JsonParser.NumberType.INT)
        {
            return parser.getIntValue();
        }
        if (type == JsonParser.NumberType.LONG)
        {
            final long value = parser.getLongValue();
            if (Math.abs(value) <= 1L << 53)
            {
                return value;
            }
        }
        return NumberInput.parseDouble(
            parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength(), true);
    }
}
