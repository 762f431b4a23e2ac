using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace CrossWiki.Server.ActionApi;

/// <summary>
/// The parameters of one api.php request: query string and body merged, the body winning as with PHP's
/// <c>$_POST + $_GET</c> (spec §2.1). Reading a parameter marks it used, so the rest are reported as
/// unrecognized at the end, as MediaWiki does.
/// </summary>
internal sealed class ApiRequest
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _inQuery;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public ApiRequest(Dictionary<string, string> values, HashSet<string> inQuery, string method)
    {
        _values = values;
        _inQuery = inQuery;
        Method = method;
    }

    public string Method { get; }

    public bool WasPosted => Method == HttpMethods.Post;

    /// <summary>Warnings found while reading the request (array syntax, bad UTF-8), for the main module.</summary>
    public List<(string Code, string Text)> ReadWarnings { get; } = [];

    public bool Has(string name)
    {
        _used.Add(name);
        return _values.ContainsKey(name);
    }

    public string? Get(string name)
    {
        _used.Add(name);
        return _values.GetValueOrDefault(name);
    }

    /// <summary>Reads a value without marking it used (for checks that are not the parameter's owner).</summary>
    public string? Peek(string name) => _values.GetValueOrDefault(name);

    public bool IsInQueryString(string name) => _inQuery.Contains(name);

    public void MarkUsed(string name) => _used.Add(name);

    public IEnumerable<string> Unused() => _values.Keys.Where(k => !_used.Contains(k)).Order(StringComparer.Ordinal);

    /// <summary>
    /// Reads query string and body. A body that cannot be parsed is left out, as PHP does, and
    /// reported with a warning instead of failing the request.
    /// </summary>
    public static async Task<ApiRequest> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var inQuery = new HashSet<string>(StringComparer.Ordinal);
        var warnings = new List<(string, string)>();
        foreach (var (key, value) in request.Query)
        {
            if (Add(values, key, value, warnings))
            {
                inQuery.Add(key);
            }
        }

        if (request.HasFormContentType && (request.Method == HttpMethods.Post || request.Method == HttpMethods.Put))
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(ct);
            }
            catch (InvalidDataException) when (IsTooLarge(request))
            {
                throw TooLarge();
            }
            catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
            {
                form = FormCollection.Empty;
                warnings.Add(("badbody", "The request body could not be parsed as form data and was ignored."));
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw TooLarge();
            }

            foreach (var (key, value) in form)
            {
                Add(values, key, value, warnings);
            }

            foreach (var file in form.Files)
            {
                // Multipart file parts carry parameter values too (mwn sends long text as multipart).
                using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
                var text = await reader.ReadToEndAsync(ct);
                Add(values, file.Name, text, warnings);
            }
        }

        var result = new ApiRequest(values, inQuery, request.Method);
        result.ReadWarnings.AddRange(warnings);
        return result;
    }

    /// <summary>The largest request body api.php reads; larger ones get <c>http-contenttoolarge</c>.</summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    private static bool IsTooLarge(HttpRequest request) => request.ContentLength > MaxBodyBytes;

    private static ApiError TooLarge() =>
        new("http-contenttoolarge", $"The data provided exceeds the maximum allowed length of {MaxBodyBytes:N0} bytes.", 413);

    private static bool Add(Dictionary<string, string> values, string key, Microsoft.Extensions.Primitives.StringValues value, List<(string, string)> warnings)
    {
        var bracket = key.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0 && key.EndsWith(']'))
        {
            // PHP array syntax is not a parameter MediaWiki accepts (spec §2.1, origin[]=*).
            warnings.Add(("unsupportedarray", $"Parameter \"{key[..bracket]}\" uses unsupported PHP array syntax."));
            return false;
        }

        // PHP keeps the last of repeated keys.
        var v = value.Count == 0 ? "" : value[^1] ?? "";
        var clean = Clean(v);
        if (!ReferenceEquals(clean, v))
        {
            warnings.Add(("badutf8", $"The value passed for \"{key}\" contains invalid or non-normalized data. Textual data should be valid, NFC-normalized Unicode without C0 control characters other than HT (\\t), LF (\\n), and CR (\\r)."));
        }

        values[key] = clean;
        return true;
    }

    /// <summary>
    /// A value that starts with U+001F is a multi-value list separated by U+001F (sent by mwn and
    /// mw.Api when an element contains <c>|</c>): MediaWiki cleans each element and keeps the
    /// separators, which are C0 controls that <see cref="CleanPart"/> would drop
    /// (ApiParamValidatorCallbacks::getValue).
    /// </summary>
    private static string Clean(string v)
    {
        if (!v.StartsWith('\u001f'))
        {
            return CleanPart(v);
        }

        var parts = v[1..].Split('\u001f');
        var changed = false;
        for (var i = 0; i < parts.Length; i++)
        {
            var clean = CleanPart(parts[i]);
            changed |= !ReferenceEquals(clean, parts[i]);
            parts[i] = clean;
        }

        return changed ? "\u001f" + string.Join('\u001f', parts) : v;
    }

    /// <summary>
    /// MediaWiki normalises every input value to NFC and drops C0 controls other than tab, LF and CR;
    /// invalid UTF-8 has already become U+FFFD when the value was decoded.
    /// </summary>
    private static string CleanPart(string v)
    {
        var needsWork = false;
        foreach (var c in v)
        {
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == '\uFFFD' || c >= 0x300)
            {
                needsWork = true;
                break;
            }
        }

        if (!needsWork)
        {
            return v;
        }

        var sb = new StringBuilder(v.Length);
        foreach (var c in v)
        {
            if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
            {
                sb.Append(c);
            }
        }

        var s = sb.ToString();
        if (!s.IsNormalized(NormalizationForm.FormC))
        {
            s = s.Normalize(NormalizationForm.FormC);
        }

        return s == v && !v.Contains('\uFFFD', StringComparison.Ordinal) ? v : s;
    }
}
