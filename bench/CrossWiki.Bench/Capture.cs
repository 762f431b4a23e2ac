using System.Net;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace CrossWiki.Bench;

/// <summary>One request as the bench sends it, both to CrossWiki and to the baseline.</summary>
internal sealed record BenchRequest(string Method, string PathAndQuery, IReadOnlyList<KeyValuePair<string, string>> Headers, string? Body = null, string? ContentType = null);

/// <summary>A response as CrossWiki sent it: status, headers (without the framing ones) and body bytes.</summary>
internal sealed record Captured(int Status, IReadOnlyList<KeyValuePair<string, StringValues>> Headers, byte[] Body)
{
    /// <summary>Headers Kestrel writes itself (date, framing); everything else is replayed as captured.</summary>
    private static readonly HashSet<string> Framing = new(StringComparer.OrdinalIgnoreCase)
    {
        "Date", "Transfer-Encoding", "Content-Length", "Connection", "Keep-Alive", "Server",
    };

    /// <summary>Sends the request once with a plain client (no cookie jar, no redirects, no decompression).</summary>
    public static async Task<Captured> FetchAsync(HttpClient http, string origin, BenchRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(origin + request.PathAndQuery));
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body));
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType ?? "application/x-www-form-urlencoded");
        }

        using var response = await http.SendAsync(message);
        var body = await response.Content.ReadAsByteArrayAsync();
        var headers = new List<KeyValuePair<string, StringValues>>();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!Framing.Contains(name))
            {
                headers.Add(new(name, new StringValues([.. values])));
            }
        }

        return new Captured((int)response.StatusCode, headers, body);
    }

    /// <summary>A client that shows responses exactly as sent.</summary>
    public static HttpClient RawClient() => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
    })
    { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Same status, same header names and values, same body (values that change per request may differ).</summary>
    public string? Difference(Captured other, bool valuesVary)
    {
        if (Status != other.Status)
        {
            return $"status {Status} vs {other.Status}";
        }

        var mine = Headers.Select(h => h.Key.ToLowerInvariant()).Order(StringComparer.Ordinal);
        var theirs = other.Headers.Select(h => h.Key.ToLowerInvariant()).Order(StringComparer.Ordinal);
        if (!mine.SequenceEqual(theirs))
        {
            return $"headers [{string.Join(", ", mine)}] vs [{string.Join(", ", theirs)}]";
        }

        if (valuesVary)
        {
            return Body.Length == other.Body.Length ? null : $"body length {Body.Length} vs {other.Body.Length}";
        }

        foreach (var (name, values) in Headers)
        {
            var theirValues = other.Headers.First(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            if (!string.Equals(values.ToString(), theirValues.ToString(), StringComparison.Ordinal))
            {
                return $"{name}: '{values}' vs '{theirValues}'";
            }
        }

        return Body.AsSpan().SequenceEqual(other.Body) ? null : "body differs";
    }
}
