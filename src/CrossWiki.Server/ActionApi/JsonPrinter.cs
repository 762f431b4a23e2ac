using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrossWiki.Server.ActionApi;

/// <summary>
/// Writes JSON the way MediaWiki's printer does: slashes and <c>&lt;&gt;&amp;</c> unescaped, non-ASCII
/// escaped as <c>\uXXXX</c> unless UTF-8 output is on (formatversion 2 without <c>ascii</c>, or
/// <c>utf8</c>), and U+2028/U+2029 always escaped so the output is also valid JavaScript (JSONP).
/// </summary>
internal static class JsonPrinter
{
    public static string Write(JsonNode? node, bool utf8)
    {
        var sb = new StringBuilder(256);
        WriteNode(sb, node, utf8);
        return sb.ToString();
    }

    private static void WriteNode(StringBuilder sb, JsonNode? node, bool utf8)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in obj)
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteString(sb, key, utf8);
                    sb.Append(':');
                    WriteNode(sb, value, utf8);
                }

                sb.Append('}');
                break;
            case JsonArray array:
                sb.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    WriteNode(sb, array[i], utf8);
                }

                sb.Append(']');
                break;
            case JsonValue value:
                WriteValue(sb, value, utf8);
                break;
        }
    }

    private static void WriteValue(StringBuilder sb, JsonValue value, bool utf8)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(sb, value.GetValue<string>(), utf8);
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Number:
                if (value.TryGetValue<long>(out var l))
                {
                    sb.Append(l.ToString(CultureInfo.InvariantCulture));
                }
                else if (value.TryGetValue<int>(out var i))
                {
                    sb.Append(i.ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append(value.GetValue<double>().ToString("R", CultureInfo.InvariantCulture));
                }

                break;
            default:
                sb.Append("null");
                break;
        }
    }

    public static void WriteString(StringBuilder sb, string s, bool utf8)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || (c >= 0x80 && !utf8))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
