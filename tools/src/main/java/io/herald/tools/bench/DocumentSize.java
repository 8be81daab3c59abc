package io.herald.tools.bench;

import picocli.CommandLine.Option;

/**
 * {@code --document-bytes}: the size of the documents a harness command publishes, the same for every target.
 */
final class DocumentSize
{
    @Option(names = "--document-bytes", description = "Size of each published document, about (0, the " +
        "default: as small as they come, ~45 bytes; e.g. 2048 for 2 KB documents, sent over several Aeron fragments).")
    int documentBytes;

    /**
     * @return the filler of {@link BenchTarget#publish} for that size.
     */
    String pad()
    {
        return BenchTarget.padding(documentBytes);
    }
}
