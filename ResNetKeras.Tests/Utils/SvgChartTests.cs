using System.Xml.Linq;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Utils;

[TestClass]
public sealed class SvgChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static List<XElement> SeriesGroups(XDocument doc) =>
        doc.Descendants(Svg + "g").Where(p => (string?)p.Attribute("class") == "series").ToList();

    private static List<double[]> Points(XElement polyline) =>
        ((string)polyline.Attribute("points")!).Split(' ').Select(t => t.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToList();

    private static (string, IReadOnlyList<double>, IReadOnlyList<double>) S(string name, double[] x, double[] y) => (name, x, y);

    [TestMethod]
    public void TwoPanels_ParseAsXml_OnePolylinePerSeries_WithLegendAxesAndDistinctStyles()
    {
        double[] epochs = [1, 2, 3, 4, 5];
        string dir = Path.Combine(Path.GetTempPath(), $"svg_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "history.svg");
            SvgChart.Write(path, "CIFAR-10 ResNet20v1 <loss & 'accuracy'>", "epoch", "loss",
                [S("training", epochs, [2.1, 1.6, 1.3, 1.1, 0.95]), S("validation", epochs, [1.9, 1.5, 1.4, 1.2, 1.15])],
                ("accuracy", [S("training", epochs, [0.3, 0.45, 0.55, 0.62, 0.68]), S("validation", epochs, [0.35, 0.47, 0.52, 0.6, 0.61])]));
            CollectionAssert.AreEqual(new[] { "history.svg" }, Directory.GetFiles(dir).Select(Path.GetFileName).ToArray());
            var doc = XDocument.Load(path);
            Assert.AreEqual(Svg + "svg", doc.Root!.Name);
            Assert.AreEqual("CIFAR-10 ResNet20v1 <loss & 'accuracy'>", doc.Root.Element(Svg + "title")!.Value);
            var groups = SeriesGroups(doc);
            Assert.AreEqual(4, groups.Count);
            Assert.AreEqual(4, doc.Descendants(Svg + "polyline").Count());
            CollectionAssert.AreEqual(new[] { "training", "validation", "training", "validation" }, groups.Select(p => (string)p.Attribute("data-name")!).ToArray());
            // Within a panel, series differ in colour and dash pattern.
            Assert.AreNotEqual((string)groups[0].Attribute("stroke")!, (string)groups[1].Attribute("stroke")!);
            Assert.AreNotEqual((string?)groups[0].Attribute("stroke-dasharray"), (string?)groups[1].Attribute("stroke-dasharray"));
            // Five points, left to right, the lowest loss drawn lowest (largest SVG y).
            var pts = Points(groups[0].Elements(Svg + "polyline").Single());
            Assert.AreEqual(5, pts.Count);
            for (int i = 1; i < 5; i++) Assert.IsTrue(pts[i][0] > pts[i - 1][0] && pts[i][1] > pts[i - 1][1], $"point {i}");
            var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
            CollectionAssert.Contains(texts, "epoch");
            CollectionAssert.Contains(texts, "loss");
            CollectionAssert.Contains(texts, "accuracy");
            Assert.AreEqual(2, texts.Count(t => t == "validation"), "one legend entry per series");
            CollectionAssert.Contains(texts, "3", "integer epoch ticks");
            CollectionAssert.DoesNotContain(texts, "2.5", "no fractional epoch ticks");
            Assert.AreEqual(2, doc.Descendants(Svg + "g").Count(g => (string?)g.Attribute("class") == "legend"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [TestMethod]
    public void NaN_BreaksTheLine_OnePoint_IsADot_EmptySeries_KeepsItsLegend()
    {
        string svg = SvgChart.Render("t", "x", "y",
        [
            S("gappy", [1, 2, 3, 4, 5], [1, 2, double.NaN, 4, 5]),
            S("single", [3], [2.5]),
            S("empty", [], []),
            S("isolated", [1, 2, 3], [double.PositiveInfinity, 3, double.NaN]),
        ]);
        var doc = XDocument.Parse(svg);
        var groups = SeriesGroups(doc);
        Assert.AreEqual(4, groups.Count);
        Assert.AreEqual(2, groups[0].Elements(Svg + "polyline").Count(), "NaN splits the line in two");
        Assert.AreEqual(1, groups[1].Elements(Svg + "circle").Count(), "a single point is a dot");
        Assert.AreEqual(1, groups[1].Elements(Svg + "polyline").Count(), "still one polyline for the series");
        Assert.IsFalse(groups[2].HasElements, "nothing drawn for an empty series");
        Assert.AreEqual(1, groups[3].Elements(Svg + "circle").Count(), "a point isolated by non-finite neighbours is a dot");
        Assert.AreEqual(2, doc.Descendants(Svg + "circle").Count());
        Assert.AreEqual(2 + 1 + 0 + 1, doc.Descendants(Svg + "polyline").Count());
        CollectionAssert.Contains(doc.Descendants(Svg + "text").Select(t => t.Value).ToList(), "empty");
    }

    [TestMethod]
    public void DegenerateInputs_StillGiveWellFormedSvg()
    {
        foreach (var series in new[]
        {
            new[] { S("flat", [1, 2, 3], [0.5, 0.5, 0.5]) },
            new[] { S("all NaN", [1, 2], [double.NaN, double.NaN]) },
            new[] { S("tiny", [0, 1e-9], [1e-7, 2e-7]) },
            new[] { S("huge", [0, 1], [-1e250, 1e250]) },
            new[] { S("ctrl\u0001chars\u0007", [0, 1], [0, 1]) },
            Array.Empty<(string, IReadOnlyList<double>, IReadOnlyList<double>)>(),
        })
        {
            var doc = XDocument.Parse(SvgChart.Render("title\u0002", "x", "y", series));
            Assert.AreEqual(series.Length, SeriesGroups(doc).Count);
            var attributes = doc.Descendants().SelectMany(e => e.Attributes()).Where(a => a.Name != "data-name").Select(a => a.Value).ToList();
            Assert.IsFalse(attributes.Any(a => a.Contains("NaN") || a.Contains("Infinity") || a.Contains('∞')), "no NaN or infinite coordinates");
        }
    }

    [TestMethod]
    public void Legend_AvoidsTheLines()
    {
        // Rising curves fill the upper right, matplotlib's first choice; the legend must go elsewhere.
        double[] x = Enumerable.Range(1, 40).Select(i => (double)i).ToArray();
        var doc = XDocument.Parse(SvgChart.Render("t", "epoch", "accuracy",
            [S("training", x, x.Select(e => 1 - Math.Exp(-e / 6)).ToArray()), S("validation", x, x.Select(e => 0.9 - Math.Exp(-e / 7)).ToArray())]));
        var box = doc.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "legend").Element(Svg + "rect")!;
        double bx = (double)box.Attribute("x")!, by = (double)box.Attribute("y")!, bw = (double)box.Attribute("width")!, bh = (double)box.Attribute("height")!;
        foreach (var line in doc.Descendants(Svg + "polyline"))
            foreach (var xy in Points(line))
                Assert.IsFalse(xy[0] >= bx && xy[0] <= bx + bw && xy[1] >= by && xy[1] <= by + bh, $"point ({xy[0]}, {xy[1]}) under the legend at ({bx}, {by})");
    }

    [TestMethod]
    public void MismatchedSeries_AreArgumentExceptions()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => SvgChart.Render("t", "x", "y", [S("bad", [1, 2], [1])]));
        StringAssert.Contains(ex.Message, "'bad' has 2 x values and 1 y values");
        Assert.ThrowsExactly<ArgumentException>(() => SvgChart.Render("t", "x", []));
    }
}
