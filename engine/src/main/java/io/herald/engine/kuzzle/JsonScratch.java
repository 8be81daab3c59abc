package io.herald.engine.kuzzle;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One UTF-8 JSON generator kept and reused from message to message, with its output buffer.
 * <p>
 * Jackson makes a generator, a write context and an I/O context for every {@code createGenerator}, and
 * {@code ObjectMapper} a serializer provider and a string writer for every tree it writes: on the router, which
 * writes a source, a notification and a response per publish, that was most of the edge's allocation per publish
 * (JFR, see {@code BENCHMARKS.md}). Here the generator stays at the root between messages (no root separator), trees
 * are written with {@link JsonNode#serialize} and one serializer provider kept with the generator, and a message ends as
 * bytes or a string copied out of the buffer.
 * <p>
 * Not thread-safe: one per thread ({@link #local()}), or one per single-threaded owner. A message that failed half
 * written leaves the generator in an unknown state: {@link #abandon()} drops it.
 */
final class JsonScratch
{
    private static final JsonFactory FACTORY = new JsonFactoryBuilder().rootValueSeparator((String)null)
        .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ThreadLocal<JsonScratch> LOCAL = ThreadLocal.withInitial(JsonScratch::new);

    /** The generator writes here when flushed; reset per message. */
    private static final class Sink extends OutputStream
    {
        byte[] bytes = new byte[1024];
        int size;

        public void write(final int b)
        {
            ensure(1);
            bytes[size++] = (byte)b;
        }

        public void write(final byte[] source, final int offset, final int length)
        {
            ensure(length);
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }

        private void ensure(final int more)
        {
            if (size + more > bytes.length)
            {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }

    private final Sink sink = new Sink();
    /** Reused: ObjectMapper makes one per value written. Decimal and null-property settings are read from it. */
    private final SerializerProvider provider = MAPPER.getSerializerProviderInstance();
    private JsonGenerator generator;

    /**
     * @return this thread's scratch.
     */
    static JsonScratch local()
    {
        return LOCAL.get();
    }

    /**
     * Starts a message.
     *
     * @return the generator, at the root.
     */
    JsonGenerator begin()
    {
        sink.size = 0;
        if (null == generator)
        {
            try
            {
                generator = FACTORY.createGenerator(sink, JsonEncoding.UTF8);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("a generator over memory cannot fail", ex);
            }
        }
        return generator;
    }

    /**
     * @param dropLast bytes at the end not to copy.
     * @return the message written since {@link #begin()}.
     */
    byte[] bytes(final int dropLast) throws IOException
    {
        generator.flush();
        return Arrays.copyOf(sink.bytes, sink.size - dropLast);
    }

    /**
     * @return the message written since {@link #begin()}.
     */
    String text() throws IOException
    {
        generator.flush();
        return new String(sink.bytes, 0, sink.size, StandardCharsets.UTF_8);
    }

    /**
     * Drops a generator a failure left in the middle of a message.
     */
    void abandon()
    {
        generator = null;
        sink.size = 0;
    }

    /**
     * A message failed half written: drops the generator ({@link #abandon()}).
     *
     * @return what to throw: the failure itself, or an I/O one wrapped (writing to memory fails only on bad input).
     */
    RuntimeException failed(final Exception ex)
    {
        abandon();
        return ex instanceof RuntimeException ? (RuntimeException)ex :
            new UncheckedIOException("cannot write this JSON", (IOException)ex);
    }

    /**
     * @return a tree as JSON, as {@code ObjectMapper.writeValueAsString} writes it.
     */
    String text(final JsonNode tree)
    {
        try
        {
            writeTree(begin(), tree);
            return text();
        }
        catch (final IOException | RuntimeException ex)
        {
            throw failed(ex);
        }
    }

    /**
     * Writes a tree, or {@code null}.
     */
    void writeTree(final JsonGenerator json, final JsonNode tree) throws IOException
    {
        if (null == tree)
        {
            json.writeNull();
        }
        else
        {
            tree.serialize(json, provider);
        }
    }
}
