using System.Globalization;
using System.Text;

namespace NvrBlazor.Domain.Metrics;

public enum MetricType { Counter, Gauge }

/// <summary>
/// Writes the Prometheus text exposition format (version 0.0.4): per metric family one HELP and one
/// TYPE line, then its samples. Label values are escaped (backslash, double quote, line feed), so a
/// camera named <c>Porch "front"</c> cannot break the output; numbers use the invariant culture.
/// </summary>
public sealed class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";
    private readonly StringBuilder text = new();
    private readonly HashSet<string> families = new(StringComparer.Ordinal);
    private string? current;

    /// <summary>Starts a metric family; its samples follow. A family may be started only once.</summary>
    public PrometheusText Family(string name, MetricType type, string help)
    {
        if (!IsName(name))
            throw new ArgumentException($"'{name}' is not a valid metric name", nameof(name));
        if (!families.Add(name))
            throw new InvalidOperationException($"metric family {name} was already written");
        current = name;
        text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type == MetricType.Counter ? "counter" : "gauge").Append('\n');
        return this;
    }

    /// <summary>One sample of the current family, with label names and values in pairs.</summary>
    public PrometheusText Sample(double value, params (string Name, string Value)[] labels)
    {
        var name = current ?? throw new InvalidOperationException("a sample needs a metric family first");
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (!IsName(labels[i].Name) || labels[i].Name.Contains(':', StringComparison.Ordinal))
                    throw new ArgumentException($"'{labels[i].Name}' is not a valid label name", nameof(labels));
                if (i > 0)
                    text.Append(',');
                text.Append(labels[i].Name).Append("=\"").Append(EscapeLabel(labels[i].Value)).Append('"');
            }
            text.Append('}');
        }
        text.Append(' ').Append(Number(value)).Append('\n');
        return this;
    }

    public override string ToString() => text.ToString();

    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ when value == Math.Floor(value) && Math.Abs(value) < 1e15 => ((long)value).ToString(CultureInfo.InvariantCulture),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>[a-zA-Z_:][a-zA-Z0-9_:]*</summary>
    private static bool IsName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');
}
