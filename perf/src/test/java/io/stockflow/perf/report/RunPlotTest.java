package io.stockflow.perf.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunPlotTest
{
    @Test
    void svgIsWellFormedWithOneLinePerFigureAndLeavesOutUnmeasuredPoints(@TempDir final Path directory)
        throws Exception
    {
        final Path file = directory.resolve("run.svg");

        new RunPlot("heap <&> orders", "commands (millions)", "MiB", "orders (millions)", new double[] {1, 2, 3})
            .add("heap", new double[] {100, 150, 160}, false)
            .add("RSS", new double[] {-1, 300, 320}, false)
            .add("held orders", new double[] {0.2, 0.4, 0.5}, true)
            .writeTo(file);

        final Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        assertEquals("svg", svg.getDocumentElement().getTagName());
        assertEquals(3, svg.getElementsByTagName("polyline").getLength());
        final String rss = ((Element)svg.getElementsByTagName("polyline").item(1)).getAttribute("points").trim();
        assertEquals(2, rss.split(" ").length, "the unmeasured first RSS point is left out: " + rss);
        final String text = Files.readString(file);
        assertTrue(text.contains("heap &lt;&amp;&gt; orders"), text);
        assertTrue(text.contains("held orders (right)") && text.contains("heap (left)"), text);
    }

    @Test
    void refusesAFigureWithTheWrongNumberOfSamples()
    {
        final RunPlot plot = new RunPlot("t", "x", "l", "r", new double[] {1, 2});

        assertThrows(IllegalArgumentException.class, () -> plot.add("short", new double[] {1}, false));
    }
}
