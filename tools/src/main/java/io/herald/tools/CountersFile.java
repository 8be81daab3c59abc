package io.herald.tools;

import io.aeron.CncFileDescriptor;
import io.herald.engine.counters.HeraldCounter;
import io.herald.engine.counters.RoundTrips;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Herald's counters read from outside the process that keeps them: its media driver's counters file
 * ({@code <driver directory>/cnc.dat}), mapped read-only as AeronStat does.
 */
final class CountersFile
{
    private CountersFile()
    {
    }

    /**
     * @return Herald's counters in that driver's file, label → value in file order; empty when there is no file.
     */
    static Map<String, Long> read(final File driverDirectory)
    {
        final Map<String, Long> values = new LinkedHashMap<>();
        final File cnc = new File(driverDirectory, CncFileDescriptor.CNC_FILE);
        if (!cnc.isFile())
        {
            return values;
        }
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(cnc, "cnc");
        try
        {
            final UnsafeBuffer metaData = CncFileDescriptor.createMetaDataBuffer(mapped);
            final CountersReader counters = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(mapped, metaData),
                CncFileDescriptor.createCountersValuesBuffer(mapped, metaData));
            counters.forEach((counterId, typeId, key, label) ->
            {
                if (null != HeraldCounter.ofTypeId(typeId) || RoundTrips.isTypeId(typeId))
                {
                    values.put(label, counters.getCounterValue(counterId));
                }
            });
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
        return values;
    }
}
