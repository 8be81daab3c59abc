package io.herald.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A benchmark run written down: its settings and figures as JSON, and a percentile plot (PNG) of one or more runs'
 * latency distributions — the x axis is "1 in N" (log scale), so the tail is as readable as the median.
 */
final class BenchResults
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99, 100};
    private static final List<String> PERCENTILE_LABELS = List.of("0%", "90%", "99%", "99.9%", "99.99%", "99.999%");
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd)};

    private BenchResults()
    {
    }

    /**
     * @return the figures of a latency histogram (microseconds) and its percentile distribution.
     */
    static ObjectNode latency(final Histogram histogram)
    {
        final ObjectNode node = JSON.createObjectNode();
        node.put("count", histogram.getTotalCount());
        for (final double percentile : PERCENTILES)
        {
            node.put(percentile == 100 ? "maxUs" : "p" + format(percentile) + "Us",
                histogram.getValueAtPercentile(percentile) / 1e3);
        }
        node.put("meanUs", histogram.getMean() / 1e3);
        final ArrayNode distribution = node.putArray("distribution");
        for (final HistogramIterationValue value : histogram.percentiles(5))
        {
            distribution.addArray().add(value.getPercentileLevelIteratedTo()).add(value.getValueIteratedTo() / 1e3);
        }
        return node;
    }

    static ObjectNode object()
    {
        return JSON.createObjectNode();
    }

    static void write(final File file, final ObjectNode result) throws IOException
    {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file, result);
    }

    /**
     * @return a histogram's percentile distribution as (percentile, microseconds) pairs.
     */
    static double[][] distribution(final Histogram histogram)
    {
        final List<double[]> points = new ArrayList<>();
        for (final HistogramIterationValue value : histogram.percentiles(5))
        {
            points.add(new double[] {value.getPercentileLevelIteratedTo(), value.getValueIteratedTo() / 1e3});
        }
        return points.toArray(new double[0][]);
    }

    /**
     * @return the distribution a result file holds (written by {@link #latency}).
     */
    static double[][] distribution(final JsonNode result)
    {
        final JsonNode points = result.path("latency").path("distribution");
        final double[][] distribution = new double[points.size()][];
        for (int i = 0; i < points.size(); i++)
        {
            distribution[i] = new double[] {points.get(i).get(0).doubleValue(), points.get(i).get(1).doubleValue()};
        }
        return distribution;
    }

    static JsonNode read(final File file) throws IOException
    {
        return JSON.readTree(file);
    }

    /**
     * Draws each named distribution as one line: latency (log scale) against the percentile ("1 in N", log scale).
     *
     * @param runs name → (percentile, microseconds) pairs in percentile order.
     */
    static void plot(final File png, final String title, final Map<String, double[][]> runs) throws IOException
    {
        final int width = 900;
        final int height = 560;
        final int left = 80;
        final int right = 20;
        final int top = 40;
        final int bottom = 60;
        final BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        final double maxX = Math.log10(1e5); // up to 99.999%
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        for (final double[][] points : runs.values())
        {
            for (final double[] point : points)
            {
                minY = Math.min(minY, point[1]);
                maxY = Math.max(maxY, point[1]);
            }
        }
        final double logMinY = Math.floor(Math.log10(Math.max(1, minY)));
        final double logMaxY = Math.max(logMinY + 1, Math.ceil(Math.log10(Math.max(10, maxY))));
        final int plotWidth = width - left - right;
        final int plotHeight = height - top - bottom;

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        final Color grid = new Color(0xdddddd);
        for (int decade = 0; decade <= (int)maxX; decade++)
        {
            final int x = left + (int)(plotWidth * decade / maxX);
            g.setColor(grid);
            g.drawLine(x, top, x, top + plotHeight);
            g.setColor(Color.DARK_GRAY);
            g.drawString(PERCENTILE_LABELS.get(decade), decade == (int)maxX ? x - 45 : x - 15, top + plotHeight + 18);
        }
        for (double decade = logMinY; decade <= logMaxY; decade++)
        {
            final int y = top + plotHeight - (int)(plotHeight * (decade - logMinY) / (logMaxY - logMinY));
            g.setColor(grid);
            g.drawLine(left, y, left + plotWidth, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(microseconds(Math.pow(10, decade)), 8, y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, plotWidth, plotHeight);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("percentile", left + plotWidth / 2 - 30, height - 18);

        int line = 0;
        g.setStroke(new BasicStroke(2f));
        for (final Map.Entry<String, double[][]> run : runs.entrySet())
        {
            g.setColor(COLOURS[line % COLOURS.length]);
            int lastX = -1;
            int lastY = -1;
            double p50 = 0;
            double p99 = 0;
            for (final double[] point : run.getValue())
            {
                final double percentile = Math.min(point[0], 99.999);
                p50 = percentile <= 50 ? point[1] : p50;
                p99 = percentile <= 99 ? point[1] : p99;
                final double x = Math.log10(1 / (1 - percentile / 100));
                final double y = Math.log10(Math.max(1, point[1]));
                final int px = left + (int)(plotWidth * Math.min(x, maxX) / maxX);
                final int py = top + plotHeight - (int)(plotHeight * (y - logMinY) / (logMaxY - logMinY));
                if (lastX >= 0)
                {
                    g.drawLine(lastX, lastY, px, py);
                }
                lastX = px;
                lastY = py;
            }
            g.drawString(run.getKey() + "  p50 " + microseconds(p50) + "  p99 " + microseconds(p99), left + 12,
                top + 20 + 16 * line);
            line++;
        }
        g.dispose();
        ImageIO.write(image, "png", png);
    }

    private static String microseconds(final double us)
    {
        return us >= 1_000 ? String.format(Locale.ROOT, "%.3g ms", us / 1_000) :
            String.format(Locale.ROOT, "%.3g us", us);
    }

    private static String format(final double percentile)
    {
        return percentile == Math.rint(percentile) ? Integer.toString((int)percentile) :
            Double.toString(percentile).replace('.', '_');
    }
}
