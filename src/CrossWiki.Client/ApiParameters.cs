using System.Collections;
using System.Globalization;
using System.Text;

namespace CrossWiki.Client;

/// <summary>
/// Turns call parameters into the strings api.php receives, the way mw.Api's
/// <c>preprocessParameters</c> and mwn do (spec foreignapi-centralauth.md §1.3).
/// </summary>
internal static class ApiParameters
{
    /// <summary>U+001F, the multi-value separator MediaWiki accepts since 1.28 when a value starts with it.</summary>
    public const char UnitSeparator = '\x1f';

    /// <summary>
    /// Serializes <paramref name="parameters"/> over <paramref name="defaults"/> (a later key replaces an
    /// earlier one in place): null and false drop the key, true is "1", lists are joined with '|' or,
    /// when an element contains '|', written as U+001F + elements joined by U+001F. The <c>token</c>
    /// parameter is moved last so that a truncated POST lacks it and fails safely (API:Edit).
    /// </summary>
    public static List<KeyValuePair<string, string>> Serialize(
        IEnumerable<KeyValuePair<string, object?>>? defaults,
        IEnumerable<KeyValuePair<string, object?>>? parameters)
    {
        var merged = new Dictionary<string, string?>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var source in new[] { defaults, parameters })
        {
            if (source is null)
            {
                continue;
            }

            foreach (var (key, value) in source)
            {
                ArgumentException.ThrowIfNullOrEmpty(key, nameof(parameters));
                if (!merged.ContainsKey(key))
                {
                    order.Add(key);
                }

                merged[key] = Value(value);
            }
        }

        var result = new List<KeyValuePair<string, string>>(order.Count);
        string? token = null;
        foreach (var key in order)
        {
            var value = merged[key];
            if (value is null)
            {
                continue;
            }

            if (key == "token")
            {
                token = value;
                continue;
            }

            result.Add(KeyValuePair.Create(key, value));
        }

        if (token is not null)
        {
            result.Add(KeyValuePair.Create("token", token));
        }

        return result;
    }

    /// <summary>The wire form of one value, or null when the key is to be left out.</summary>
    public static string? Value(object? value) => value switch
    {
        null => null,
        bool b => b ? "1" : null,
        string s => s,
        IEnumerable list => List(list),
        _ => Scalar(value),
    };

    private static string List(IEnumerable list)
    {
        var items = new List<string>();
        foreach (var item in list)
        {
            items.Add(item is null ? string.Empty : Scalar(item));
        }

        return items.Exists(i => i.Contains('|', StringComparison.Ordinal))
            ? UnitSeparator + string.Join(UnitSeparator, items)
            : string.Join('|', items);
    }

    private static string Scalar(object value) => value switch
    {
        string s => s,
        bool b => b ? "1" : string.Empty,
        DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DateTime d => (d.Kind == DateTimeKind.Unspecified ? d : d.ToUniversalTime()).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>
    /// <c>application/x-www-form-urlencoded</c> text with every reserved character percent-encoded
    /// (<c>encodeURIComponent</c>, spaces as %20), as jQuery's <c>$.param</c> writes it.
    /// </summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in parameters)
        {
            if (text.Length > 0)
            {
                text.Append('&');
            }

            text.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return text.ToString();
    }

    /// <summary><paramref name="url"/> with <paramref name="query"/> appended after '?' or '&amp;'.</summary>
    public static Uri Append(Uri url, string query)
    {
        if (query.Length == 0)
        {
            return url;
        }

        var text = url.OriginalString;
        var separator = text.Contains('?', StringComparison.Ordinal) ? (text.EndsWith('?') || text.EndsWith('&') ? string.Empty : "&") : "?";
        return new Uri(text + separator + query, UriKind.Absolute);
    }
}
