package io.stockflow.perf.report;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PercentilePlotTest
{
    @Test
    void svgIsWellFormedWithOneLinePerSeries(@TempDir final Path directory) throws Exception
    {
        final Histogram fast = Histograms.nanos();
        final Histogram slow = Histograms.nanos();
        for (int i = 1; i <= 10_000; i++)
        {
            Histograms.record(fast, 1_000L + i);
            Histograms.record(slow, 50_000L * (i % 100 + 1));
        }
        final Path file = directory.resolve("plot.svg");

        new PercentilePlot("engine <vs> baselines & \"jitter\"").add("engine", slow).add("bare pipeline", fast)
            .add("empty", Histograms.nanos()).writeTo(file);

        final Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        assertEquals("svg", svg.getDocumentElement().getTagName());
        assertEquals(2, svg.getElementsByTagName("polyline").getLength());
        final String text = Files.readString(file);
        assertTrue(text.contains(">99%<") && text.contains(">99.9%<"), text);
        assertTrue(text.contains("engine &lt;vs&gt; baselines &amp;"), text);
    }
}
