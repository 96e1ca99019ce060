using NvrBlazor.Domain.Metrics;

namespace NvrBlazor.Tests.Domain.Metrics;

public class PrometheusTextTests
{
    [Fact]
    public void A_family_has_one_help_and_one_type_line_then_its_samples()
    {
        var text = new PrometheusText()
            .Family("nvr_frames_total", MetricType.Counter, "Frames taken in.")
            .Sample(12, ("camera", "3"), ("name", "Porch"))
            .Sample(0, ("camera", "4"), ("name", "Garden"))
            .Family("nvr_viewers", MetricType.Gauge, "Viewers now.")
            .Sample(2)
            .ToString();

        Assert.Equal(
            "# HELP nvr_frames_total Frames taken in.\n# TYPE nvr_frames_total counter\n" +
            "nvr_frames_total{camera=\"3\",name=\"Porch\"} 12\nnvr_frames_total{camera=\"4\",name=\"Garden\"} 0\n" +
            "# HELP nvr_viewers Viewers now.\n# TYPE nvr_viewers gauge\nnvr_viewers 2\n", text);
    }

    [Fact]
    public void Label_values_with_quotes_backslashes_and_line_feeds_cannot_break_the_line()
    {
        var text = new PrometheusText().Family("nvr_x", MetricType.Gauge, "x").Sample(1, ("name", "Porch \"front\"\\\nnext")).ToString();

        Assert.Contains("nvr_x{name=\"Porch \\\"front\\\"\\\\\\nnext\"} 1\n", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1234567890123.0, "1234567890123")]
    [InlineData(0.25, "0.25")]
    [InlineData(-3.5, "-3.5")]
    [InlineData(1e20, "1E+20")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NaN, "NaN")]
    public void Numbers_are_written_the_same_in_every_culture(double value, string expected)
    {
        var before = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Assert.Equal(expected, PrometheusText.Number(value));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = before;
        }
    }

    [Fact]
    public void Bad_names_and_a_family_written_twice_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new PrometheusText().Family("3frames", MetricType.Counter, "x"));
        Assert.Throws<ArgumentException>(() => new PrometheusText().Family("frames-total", MetricType.Counter, "x"));
        Assert.Throws<ArgumentException>(() => new PrometheusText().Family("ok", MetricType.Counter, "x").Sample(1, ("bad-label", "v")));
        Assert.Throws<InvalidOperationException>(() => new PrometheusText().Family("ok", MetricType.Counter, "x").Family("ok", MetricType.Gauge, "y"));
        Assert.Throws<InvalidOperationException>(() => new PrometheusText().Sample(1));
    }
}
